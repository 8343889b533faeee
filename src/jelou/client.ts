/**
 * The Jelou API client: sends messages and looks up recipients over one keep-alive undici pool.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Sentence } from '../errors.js';
import { type AttemptResult, classifyError, classifyResponse } from './classify.js';
import { JelouEvents } from './events.js';
import { JelouCode, OwnCode, REASONS } from './reasons.js';
import {
  type RecentUsersOptions,
  type RecentUsersResult,
  RecipientDirectory,
  type UserStateResult,
  WHATSAPP_WINDOW_MS,
} from './recipients.js';
import { decideRetry, isCertainlyNotTaken, type RetryPolicy, resolveRetryPolicy } from './retry.js';
import { TemplateApi } from './templates.js';
import { DEFAULT_TIMEOUTS, type JelouTimeouts, JelouTransport, readBounded } from './transport.js';

/**
 * 64 KiB: Jelou's answers are a few hundred bytes of JSON. Anything bigger is not an answer we can
 * use, and reading it all would let a misbehaving proxy fill our memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * How long a refused send may wait for the bot's history, to tell the window from other causes.
 * The send is already over and recorded nowhere yet; two seconds (usually a cache hit) is little.
 */
const WINDOW_EVIDENCE_BUDGET_MS = 2_000;

/** A message for `POST /v1/bots/{botId}/messages`; the card module builds `{type: 'contacts', userId, contacts}`. */
export interface JelouMessage {
  readonly type: string;
  /** Jelou's user id, verbatim: WhatsApp's digits, a business-scoped id, or typed E.164 digits. */
  readonly userId: string;
  readonly [key: string]: unknown;
}

/**
 * How a send ended. Never an exception for upstream or network trouble.
 * - `sent`: Jelou confirmed it.
 * - `failed`: Jelou certainly did not take it; sending again is safe.
 * - `unknown`: it may have reached the customer; a person should check before sending again.
 */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly messageId: string; readonly attempts: number }
  | {
      readonly kind: 'failed';
      readonly status?: number;
      /** A Jelou code (`message_could_not_be_send`, ...) or ours (`unreachable`, `rate_limited`, ...). */
      readonly code: string;
      readonly reason: Sentence;
      readonly attempts: number;
      /**
       * Jelou certainly did not take it and may well take it later (no connection, 429, a 503
       * that proves it): worth trying again after a while, as classify.ts decides.
       */
      readonly transient?: boolean;
      /** Jelou's `Retry-After`, when it sent one. */
      readonly retryAfterMs?: number;
    }
  | {
      readonly kind: 'unknown';
      readonly status?: number;
      readonly code: string;
      readonly reason: Sentence;
      readonly attempts: number;
    };

export interface JelouClientOptions {
  /** From config `JELOU_API_URL`, e.g. `https://api.jelou.ai`; a path prefix and trailing slash are fine. */
  readonly baseUrl: string;
  readonly botId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly logger: Logger;
  /** Defaults: connect 3 s, headers 10 s, body 10 s (see transport.ts for why). */
  readonly timeouts?: Partial<JelouTimeouts>;
  /** Defaults to `DEFAULT_RETRY_POLICY`. */
  readonly retry?: Partial<RetryPolicy>;
  /** Largest answer read from `/messages`; defaults to 64 KiB. */
  readonly maxResponseBytes?: number;
  /** Waits between attempts; tests inject a recorder. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Wall clock in ms (24-hour window, cache expiry, `Retry-After` dates); tests inject one. */
  readonly now?: () => number;
  /** Jitter source in [0, 1); tests inject a constant. */
  readonly random?: () => number;
  /** How long the unfiltered recent-users list is reused; defaults to 30 s. */
  readonly recentUsersTtlMs?: number;
  /** JELOU_TEMPLATES: the only templates offered and sent; unset allows every approved one. */
  readonly templates?: ReadonlySet<string> | undefined;
}

export class JelouClient {
  readonly #transport: JelouTransport;
  readonly #directory: RecipientDirectory;
  /** Templates (HSM): listed for the picker, sent ahead of a card the 24-hour window refused. */
  readonly templates: TemplateApi;
  /** Replies and receipts, polled where the notification URL does not (or cannot) tell. */
  readonly events: JelouEvents;
  readonly #sendPath: string;
  readonly #logger: Logger;
  readonly #policy: RetryPolicy;
  readonly #maxResponseBytes: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(options: JelouClientOptions) {
    this.#logger = options.logger.child({ component: 'jelou' });
    this.#policy = resolveRetryPolicy(options.retry);
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#transport = new JelouTransport({
      baseUrl: options.baseUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    });
    // The bot id is one path segment: encode it so a `/` or space cannot change the route.
    this.#sendPath = `/v1/bots/${encodeURIComponent(options.botId)}/messages`;
    this.templates = new TemplateApi({
      transport: this.#transport,
      botId: options.botId,
      logger: this.#logger,
      allowed: options.templates,
    });
    this.events = new JelouEvents({ transport: this.#transport, botId: options.botId, logger: this.#logger });
    this.#directory = new RecipientDirectory({
      transport: this.#transport,
      botId: options.botId,
      logger: this.#logger,
      now: this.#now,
      ...(options.recentUsersTtlMs !== undefined ? { cacheTtlMs: options.recentUsersTtlMs } : {}),
    });
  }

  /**
   * Sends one message, retrying only where Jelou certainly did not take it (see retry.ts).
   * Resolves with the outcome; rejects only for programming errors (a message that cannot be
   * serialised to JSON).
   */
  async send(message: JelouMessage): Promise<SendOutcome> {
    const json = JSON.stringify(message);
    // Fields safe to log: never the body (customers' personal data), never the phone number.
    const about = {
      messageType: message.type,
      ...(Array.isArray(message.contacts) ? { contacts: message.contacts.length } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const result = await this.#attempt(json);
      const durationMs = Math.round(performance.now() - started);
      const decision = decideRetry(result, attempt, this.#policy, this.#random);
      this.#logger.info(
        {
          ...about,
          attempt,
          outcome: result.kind,
          status: result.status,
          code: result.kind === 'sent' ? undefined : result.code,
          ...(result.kind === 'sent' ? { messageId: result.messageId } : result.detail),
          durationMs,
          ...(decision.retry ? { retryInMs: decision.delayMs } : {}),
        },
        'jelou send attempt',
      );
      if (decision.retry) {
        await this.#sleep(decision.delayMs);
        continue;
      }
      if (result.kind === 'sent') return { kind: 'sent', messageId: result.messageId, attempts: attempt };
      this.#logger.warn(
        {
          ...about,
          attempts: attempt,
          outcome: result.kind,
          status: result.status,
          code: result.code,
          why: decision.why,
        },
        'jelou send did not go through',
      );
      const explained = await this.#explainRefusal(result, message.userId);
      return {
        kind: result.kind,
        ...(result.status !== undefined ? { status: result.status } : {}),
        code: explained.code,
        reason: explained.reason,
        attempts: attempt,
        ...(isCertainlyNotTaken(result) ? { transient: true } : {}),
        ...(result.kind === 'failed' && result.retryAfterMs !== undefined
          ? { retryAfterMs: result.retryAfterMs }
          : {}),
      };
    }
  }

  /**
   * Jelou's `message_could_not_be_send` names no cause. The 24-hour window is blamed only on
   * evidence: the bot's history shows the customer's last message is older than 24 hours
   * (history is read newest first, so a newer message would have been seen). Otherwise the
   * refusal keeps its own sentence, with Jelou's description.
   */
  async #explainRefusal(
    result: Exclude<AttemptResult, { kind: 'sent' }>,
    userId: string,
  ): Promise<{ readonly code: string; readonly reason: Sentence }> {
    if (result.kind !== 'failed' || result.code !== JelouCode.MessageCouldNotBeSend) return result;
    const last = await this.#directory.lastCustomerMessage(userId, { budgetMs: WINDOW_EVIDENCE_BUDGET_MS });
    if (
      last.kind === 'seen' &&
      last.at !== undefined &&
      this.#now() - last.at.getTime() >= WHATSAPP_WINDOW_MS
    ) {
      this.#logger.info({ code: result.code }, 'jelou refusal explained by the 24-hour window (history)');
      return { code: OwnCode.OutsideWindow, reason: REASONS[OwnCode.OutsideWindow] };
    }
    return result;
  }

  /** One request and its classification; never throws. */
  async #attempt(json: string): Promise<AttemptResult> {
    let response: Awaited<ReturnType<JelouTransport['request']>>;
    try {
      response = await this.#transport.request({ method: 'POST', path: this.#sendPath, json });
    } catch (error) {
      return classifyError(error);
    }
    let body: Parameters<typeof classifyResponse>[0]['body'];
    try {
      body = await readBounded(response.body, this.#maxResponseBytes, response.headers['content-length']);
    } catch (error) {
      body = { kind: 'error', error };
    }
    return classifyResponse({ status: response.statusCode, headers: response.headers, body }, this.#now());
  }

  /**
   * WhatsApp users who recently talked with the bot, newest first, for a Slack picker. Answers
   * within `budgetMs` with whatever it has (`complete: false` when history was cut short).
   */
  recentUsers(options: RecentUsersOptions): Promise<RecentUsersResult> {
    return this.#directory.recentUsers(options);
  }

  /** When `userId` last wrote, from history already read; never asks Jelou (see RecipientDirectory). */
  lastWriteKnown(userId: string): ReturnType<RecipientDirectory['lastWriteKnown']> {
    return this.#directory.lastWriteKnown(userId);
  }

  /** Looks up one WhatsApp user by id (digits, no `+`). */
  userState(userId: string, options: { readonly budgetMs: number }): Promise<UserStateResult> {
    return this.#directory.userState(userId, options);
  }

  /** Closes the connection pool; sends in flight finish first. */
  /**
   * Aborts requests still open (their sends end `unknown`) and closes the pool at once: for a
   * shutdown whose grace period is over.
   */
  destroy(): Promise<void> {
    return this.#transport.destroy();
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}
