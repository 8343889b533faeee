/**
 * Turns one attempt at `POST /messages` (an answer, or a thrown transport error) into what it means
 * for the customer: sent, certainly not sent (`failed`), or maybe sent (`unknown`). Pure, so the
 * whole table can be read here and tested without a network. Jelou's error table:
 * https://docs.jelou.ai/en/api/introduction (see ../shared/jelou-api.md, "Errors").
 *
 * | condition                                                       | outcome  | retried |
 * |-----------------------------------------------------------------|----------|---------|
 * | 2xx + `{success: true, messageId}`                              | sent     | -       |
 * | 2xx + documented error code in the body                         | that code's certainty | no |
 * | 2xx + anything else (HTML, not JSON, empty, too large, cut)     | unknown  | no      |
 * | 429 (Retry-After honoured up to the cap)                        | failed   | yes     |
 * | 503 with Jelou's own JSON error body                            | failed   | yes     |
 * | 503 without it (a proxy's page, empty): it may have forwarded   | unknown  | no      |
 * | 400 `message_could_not_be_send`, description names the window   | failed (`outside_24h_window`) | no |
 * | other 4xx (code from body, else from status)                    | failed   | no      |
 * | 500 with Jelou's `internal_server_error` (no company: config)   | failed   | no      |
 * | 5xx otherwise                                                   | unknown  | no      |
 * | 3xx (undici does not follow redirects)                          | unknown  | no      |
 * | ECONNREFUSED, ENOTFOUND, EAI_AGAIN, UND_ERR_CONNECT_TIMEOUT     | failed   | yes     |
 * | UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT                   | unknown  | no      |
 * | any other transport error (UND_ERR_SOCKET, ECONNRESET, ...)     | unknown  | no      |
 *
 * "Retried" is {@link isCertainlyNotTaken}: the one rule for sending again without a person.
 */
import type { Sentence } from '../errors.js';
import {
  CERTAINTY,
  type Certainty,
  isJelouCode,
  isReasonCode,
  JelouCode,
  OwnCode,
  REASONS,
  reasonFor,
  STATUS_FALLBACK,
  withJelouDescription,
} from './reasons.js';
import { parseRetryAfterMs } from './retry.js';
import { ErrorBodySchema, parseJson, SendSuccessSchema } from './schemas.js';
import type { BoundedBody } from './transport.js';

/** Facts about an attempt worth a log line; never the request, never more than a short preview. */
export interface AttemptDetail {
  /** `code` of the thrown transport error (e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`). */
  readonly errorCode?: string;
  /** The code Jelou put in its answer, as sent (even when we do not know it). */
  readonly jelouCode?: string;
  /** Jelou's own description of the error, cut to a short length. */
  readonly jelouMessage?: string;
  /** The start of an answer we could not parse (an HTML page, say), cut to a short length. */
  readonly bodyPreview?: string;
  /** Set when the answer was cut at the byte limit. */
  readonly bodyTooLarge?: boolean;
}

/** What one attempt means. `failed.transient` marks the only results worth retrying. */
export type AttemptResult =
  | { readonly kind: 'sent'; readonly status: number; readonly messageId: string }
  | {
      readonly kind: 'failed';
      readonly status?: number;
      readonly code: string;
      readonly reason: Sentence;
      readonly transient: boolean;
      readonly retryAfterMs?: number;
      readonly detail: AttemptDetail;
    }
  | {
      readonly kind: 'unknown';
      readonly status?: number;
      readonly code: string;
      readonly reason: Sentence;
      readonly detail: AttemptDetail;
    };

/** The one rule for sending again without asking a person; it lives with the retry policy. */
export { isCertainlyNotTaken } from './retry.js';

/** Errors raised before any byte of the request was written: Jelou certainly did not take it. */
const CONNECT_PHASE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Time-outs that can only happen after the request was written. */
const AFTER_WRITE_TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const PREVIEW_CHARS = 120;
const MESSAGE_CHARS = 200;
/** Jelou's client messages longer than this are not a sentence for a person; use ours. */
const CLIENT_MESSAGE_MAX_CHARS = 300;
/** What a code looks like; anything else in a `code` field is ignored (it may be a sentence or junk). */
const CODE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * Every string `code` on an error, its `cause` chain and, for an AggregateError (Node's
 * happy-eyeballs connect), its inner errors. `pool.request` rejects with undici errors
 * (`UND_ERR_*`) or Node system errors (`ECONNREFUSED`); fetch would wrap them in `cause`.
 */
export function errorCodesOf(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 5 || typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if ('code' in value && typeof value.code === 'string') codes.push(value.code);
    if ('cause' in value) visit(value.cause, depth + 1);
    if (value instanceof AggregateError) for (const inner of value.errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return codes;
}

/** Classifies an error thrown by `pool.request()` or while reading the body. */
export function classifyError(error: unknown): AttemptResult {
  const codes = errorCodesOf(error);
  const errorCode = codes[0] ?? (error instanceof Error ? error.name : 'unknown');
  if (codes.some((code) => CONNECT_PHASE_CODES.has(code))) {
    return {
      kind: 'failed',
      code: OwnCode.Unreachable,
      reason: REASONS.unreachable,
      transient: true,
      detail: { errorCode },
    };
  }
  // From here on the request was, or may have been, written: never "failed".
  const code = codes.some((c) => AFTER_WRITE_TIMEOUT_CODES.has(c))
    ? OwnCode.TimeoutUnknown
    : codes.some((c) => c.startsWith('HPE_'))
      ? OwnCode.BadResponse
      : OwnCode.ConnectionLost;
  return { kind: 'unknown', code, reason: REASONS[code], detail: { errorCode } };
}

/** What an error body says, once both documented shapes are folded into one. */
interface ErrorBodyInfo {
  /** The body is Jelou's JSON error shape (a code, or the rich `error` object): Jelou answered. */
  readonly fromJelou: boolean;
  readonly code?: string;
  readonly rawCode?: string;
  readonly message?: string;
  readonly clientMessages?: Sentence;
  readonly success?: boolean;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Reads either documented error shape. The code is, in order: any candidate that is a documented
 * Jelou code (case-insensitive: `{error: 'Unauthorized'}` counts), else an explicit `code`/`key`
 * field as Jelou sent it, else nothing (the caller falls back to the status).
 */
export function interpretErrorBody(value: unknown): ErrorBodyInfo {
  const parsed = ErrorBodySchema.safeParse(value);
  if (!parsed.success) return { fromJelou: false };
  const body = parsed.data;
  const rich = typeof body.error === 'object' ? body.error : undefined;
  const explicit = [body.code, rich?.key, rich?.code].filter(
    (c): c is string => c !== undefined && CODE_PATTERN.test(c),
  );
  const candidates = [...explicit, typeof body.error === 'string' ? body.error : undefined];
  const documented = candidates
    .map((c) => c?.trim().toLowerCase())
    .find((c): c is string => c !== undefined && isJelouCode(c));
  const rawCode = explicit[0];
  const message =
    body.description ??
    rich?.description ??
    rich?.developerMessages?.en ??
    (typeof body.message === 'string' ? body.message : undefined) ??
    (typeof body.error === 'string' ? body.error : undefined);
  const en = rich?.clientMessages?.en?.trim();
  const es = rich?.clientMessages?.es?.trim();
  const clientMessages =
    en && es && en.length <= CLIENT_MESSAGE_MAX_CHARS && es.length <= CLIENT_MESSAGE_MAX_CHARS
      ? { en, es }
      : undefined;
  return {
    fromJelou: documented !== undefined || rawCode !== undefined || rich !== undefined,
    code: documented ?? rawCode,
    rawCode,
    message: message === undefined ? undefined : clip(message, MESSAGE_CHARS),
    clientMessages,
    success: body.success,
  };
}

/**
 * The sentence for a refusal. Jelou's `clientMessages` are used only for a code we do not know:
 * for documented codes our sentences say what the agent should do next (the 24-hour window in
 * particular), which Jelou's generic texts may not; for `unknown` outcomes only our sentences say
 * "check with the customer before sending again".
 */
function sentenceFor(code: string, certainty: Certainty, info: ErrorBodyInfo): Sentence {
  if (certainty === 'failed' && !isReasonCode(code) && info.clientMessages) return info.clientMessages;
  return reasonFor(code, certainty);
}

/** Jelou's "bad request" codes, which name no cause: the sentence carries Jelou's description. */
const NO_CAUSE_CODES: ReadonlySet<string> = new Set([
  JelouCode.MessageCouldNotBeSend,
  JelouCode.NotificationCouldNotBeSend,
]);

/**
 * Jelou's (or WhatsApp's, passed on) words for the 24-hour window: "24 hours", "24 horas",
 * "window", "ventana", "re-engagement" and Meta's error 131047 ("Re-engagement message":
 * more than 24 hours since the customer last replied, developers.facebook.com/docs/whatsapp/
 * cloud-api/support/error-codes).
 */
const SAYS_WINDOW = /24[\s-]*(?:h\b|hours?|horas?)|\bwindow\b|ventana|re-?engagement|131047/iu;

/** The code for a refusal: a bad request whose description names the window is the window. */
export function refusalCode(code: string, description: string | undefined): string {
  if (
    code === JelouCode.MessageCouldNotBeSend &&
    description !== undefined &&
    SAYS_WINDOW.test(description)
  ) {
    return OwnCode.OutsideWindow;
  }
  return code;
}

/** An answer as far as classification needs it: status, headers and the body as read. */
export interface ResponseFacts {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as read, or the error that interrupted reading it. */
  readonly body: BoundedBody | { readonly kind: 'error'; readonly error: unknown };
}

/** Classifies an answer to `POST /v1/bots/{botId}/messages`. `nowMs` dates `Retry-After`. */
export function classifyResponse(facts: ResponseFacts, nowMs: number): AttemptResult {
  const { status, body } = facts;
  const text = body.kind === 'complete' ? body.text : undefined;
  const json = text === undefined ? undefined : parseJson(text);
  // Jelou's yes, the answer to nearly every send, needs nothing of what follows (an error body's
  // reading, the details kept for a log line): it is answered first.
  if (status >= 200 && status < 300 && body.kind === 'complete') {
    const success = SendSuccessSchema.safeParse(json);
    if (success.success) return { kind: 'sent', status, messageId: success.data.messageId };
  }
  const info = interpretErrorBody(json);
  const detail: AttemptDetail = {
    ...(info.rawCode !== undefined || info.code !== undefined
      ? { jelouCode: info.rawCode ?? info.code }
      : {}),
    ...(info.message !== undefined ? { jelouMessage: info.message } : {}),
    ...(text !== undefined && json === undefined && text.trim() !== ''
      ? { bodyPreview: clip(text, PREVIEW_CHARS) }
      : {}),
    ...(body.kind === 'too_large' ? { bodyTooLarge: true } : {}),
    ...(body.kind === 'error' ? { errorCode: errorCodesOf(body.error)[0] ?? 'body_error' } : {}),
  };

  if (status >= 200 && status < 300) {
    if (body.kind === 'error') {
      // The status said yes but the confirmation never fully arrived.
      const code = errorCodesOf(body.error).some((c) => AFTER_WRITE_TIMEOUT_CODES.has(c))
        ? OwnCode.TimeoutUnknown
        : OwnCode.ConnectionLost;
      return { kind: 'unknown', status, code, reason: REASONS[code], detail };
    }
    // A 2xx carrying a documented refusal is believed: Jelou told us what happened.
    if (info.code !== undefined && isJelouCode(info.code) && info.success !== true) {
      const certainty = CERTAINTY[info.code];
      return certainty === 'failed'
        ? { kind: 'failed', status, code: info.code, reason: REASONS[info.code], transient: false, detail }
        : { kind: 'unknown', status, code: info.code, reason: REASONS[info.code], detail };
    }
    // Anything else in a 2xx may well mean "accepted": never claim it failed.
    return { kind: 'unknown', status, code: OwnCode.BadResponse, reason: REASONS.bad_response, detail };
  }

  // A proxy in front of Jelou answers 503 after forwarding a request as readily as before it:
  // only Jelou's own error body proves Jelou itself answered, and so did not take the message.
  if (status === 503 && !info.fromJelou) {
    const code = OwnCode.UnavailableUnknown;
    return { kind: 'unknown', status, code, reason: REASONS[code], detail };
  }

  if (status === 429 || status === 503) {
    const code = status === 429 ? OwnCode.RateLimited : OwnCode.Unavailable;
    const retryAfterMs = parseRetryAfterMs(facts.headers['retry-after'], nowMs);
    return {
      kind: 'failed',
      status,
      code,
      reason: REASONS[code],
      transient: true,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      detail,
    };
  }

  if (status >= 400 && status < 500) {
    const code = refusalCode(info.code ?? STATUS_FALLBACK[status] ?? OwnCode.Rejected, info.message);
    const reason = NO_CAUSE_CODES.has(code)
      ? withJelouDescription(REASONS[code as JelouCode], info.message)
      : sentenceFor(code, 'failed', info);
    return { kind: 'failed', status, code, reason, transient: false, detail };
  }

  // Jelou's table: internal_server_error means the credentials have no company. Only Jelou's own
  // body says so; then nothing was sent and an admin must act.
  if (status === 500 && info.fromJelou && info.code === JelouCode.InternalServerError) {
    const code = JelouCode.InternalServerError;
    return { kind: 'failed', status, code, reason: REASONS[code], transient: false, detail };
  }

  if (status >= 500) {
    const code = info.code ?? OwnCode.ServerError;
    return { kind: 'unknown', status, code, reason: sentenceFor(code, 'unknown', info), detail };
  }

  // 1xx is handled inside undici; 3xx is not followed. A redirect to a POST may or may not have
  // been processed first, so it is not a certain failure.
  return { kind: 'unknown', status, code: OwnCode.BadResponse, reason: REASONS.bad_response, detail };
}
