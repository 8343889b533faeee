/**
 * WhatsApp templates (HSM) through Jelou: the only message that may reach a customer outside the
 * 24-hour window (../shared/jelou-api.md, "Templates"). Listing them
 * (`GET /v1/bots/{botId}/templates?status=APPROVED`) and sending one
 * (`POST /v2/whatsapp/{botId}/hsm`, https://docs.jelou.ai/en/api/campanas/envio-individual).
 * Templates cost money per conversation, so an admin may restrict which ones the app offers.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Sentence } from '../errors.js';
import { classifyError } from './classify.js';
import { parseJson } from './schemas.js';
import { discard, type JelouTransport, readBounded } from './transport.js';

/** Jelou's page: "parameters may be at most 15 characters". */
export const TEMPLATE_PARAMETER_MAX = 15;

/** An approved template the app may offer. */
export type Template = Readonly<{
  elementName: string;
  /** What people see in the picker: Jelou's display name when it has one. */
  label: string;
  language: string;
  /** How many `{{n}}` parameters it takes. */
  paramsNumber: number;
  /** The template's text with its placeholders, when Jelou gives it (shown as a hint). */
  text: string | undefined;
}>;

export type TemplateList =
  | Readonly<{ kind: 'listed'; templates: readonly Template[] }>
  | Readonly<{ kind: 'unavailable' }>;

export type TemplateSendOutcome =
  | Readonly<{ kind: 'sent'; messageId: string }>
  /** Jelou answered and refused: nothing went out. */
  | Readonly<{ kind: 'refused'; status: number; description: string | undefined }>
  /** No answer, or one we cannot read: the template may or may not have gone out. */
  | Readonly<{ kind: 'unknown'; code: string; reason: Sentence | undefined }>;

const TemplateSchema = z.looseObject({
  elementName: z.string().min(1),
  displayName: z.string().optional().catch(undefined),
  name: z.string().optional().catch(undefined),
  language: z.string().optional().catch(undefined),
  status: z.string().optional().catch(undefined),
  params: z.array(z.unknown()).optional().catch(undefined),
  paramsNumber: z.coerce.number().int().nonnegative().optional().catch(undefined),
  template: z.string().optional().catch(undefined),
  text: z.string().optional().catch(undefined),
});

/** The envelope is not documented: a bare array, or one under `results` or `data`. */
const TemplateListSchema = z.union([
  z.array(z.unknown()),
  z.looseObject({ results: z.array(z.unknown()) }).transform((body) => body.results),
  z.looseObject({ data: z.array(z.unknown()) }).transform((body) => body.data),
]);

/** `[{id, destination}]`; the id may arrive as a number. */
const HsmAnswerSchema = z
  .array(z.looseObject({ id: z.union([z.string().min(1), z.number()]).transform(String) }))
  .min(1);

const RefusalSchema = z.looseObject({
  message: z
    .union([z.string(), z.array(z.unknown())])
    .optional()
    .catch(undefined),
  description: z.string().optional().catch(undefined),
});

const MAX_BYTES = 256 * 1024;

export type TemplateApiOptions = Readonly<{
  transport: JelouTransport;
  botId: string;
  logger: Logger;
  /** JELOU_TEMPLATES: when set, only these `elementName`s are offered (and sent). */
  allowed: ReadonlySet<string> | undefined;
}>;

function placeholders(text: string | undefined): number {
  const found = new Set(text?.match(/\{\{\s*\d+\s*\}\}/g)?.map((p) => p.replace(/\D/g, '')) ?? []);
  return found.size;
}

export class TemplateApi {
  readonly #transport: JelouTransport;
  readonly #bot: string;
  readonly #logger: Logger;
  readonly #allowed: ReadonlySet<string> | undefined;

  constructor(options: TemplateApiOptions) {
    this.#transport = options.transport;
    this.#bot = encodeURIComponent(options.botId);
    this.#logger = options.logger;
    this.#allowed = options.allowed;
  }

  /** Whether the admin lets the app send `elementName` (JELOU_TEMPLATES; unset allows every approved one). */
  allows(elementName: string): boolean {
    return this.#allowed === undefined || this.#allowed.has(elementName);
  }

  /** The bot's approved templates the app may use, within `budgetMs`; never throws. */
  async list(budgetMs: number): Promise<TemplateList> {
    const signal = AbortSignal.timeout(Math.max(1, budgetMs));
    try {
      const response = await this.#transport.request({
        method: 'GET',
        path: `/v1/bots/${this.#bot}/templates`,
        query: { status: 'APPROVED' },
        signal,
      });
      if (response.statusCode !== 200) {
        await discard(response.body);
        this.#logger.warn({ status: response.statusCode }, 'jelou templates refused');
        return { kind: 'unavailable' };
      }
      const body = await readBounded(response.body, MAX_BYTES, response.headers['content-length']);
      const list = TemplateListSchema.safeParse(body.kind === 'complete' ? parseJson(body.text) : undefined);
      if (!list.success) {
        this.#logger.warn({ status: response.statusCode }, 'jelou templates unreadable');
        return { kind: 'unavailable' };
      }
      const templates: Template[] = [];
      for (const raw of list.data) {
        const parsed = TemplateSchema.safeParse(raw);
        if (!parsed.success) continue;
        const t = parsed.data;
        // Asked for APPROVED only; a template another status slipped through would be refused anyway.
        if (t.status !== undefined && t.status.toUpperCase() !== 'APPROVED') continue;
        if (!this.allows(t.elementName)) continue;
        const text = t.template ?? t.text;
        templates.push({
          elementName: t.elementName,
          label: t.displayName ?? t.name ?? t.elementName,
          language: t.language ?? 'es',
          paramsNumber: t.paramsNumber ?? t.params?.length ?? placeholders(text),
          text,
        });
      }
      return { kind: 'listed', templates };
    } catch (error) {
      this.#logger.warn({ err: error, budgetSpent: signal.aborted }, 'jelou templates failed');
      return { kind: 'unavailable' };
    }
  }

  /**
   * Sends one template to one customer. Sent once: a template may reach the customer even when
   * the answer is lost, so nothing here retries on its own.
   */
  async send(template: {
    elementName: string;
    language: string;
    destination: string;
    parameters: readonly string[];
  }): Promise<TemplateSendOutcome> {
    const json = JSON.stringify({
      elementName: template.elementName,
      destinations: [template.destination],
      language: template.language,
      parameters: template.parameters,
      type: 'text',
    });
    let response: Awaited<ReturnType<JelouTransport['request']>>;
    try {
      response = await this.#transport.request({
        method: 'POST',
        path: `/v2/whatsapp/${this.#bot}/hsm`,
        json,
      });
    } catch (error) {
      const classified = classifyError(error);
      if (classified.kind === 'sent') return { kind: 'sent', messageId: classified.messageId };
      this.#logger.warn({ code: classified.code, outcome: classified.kind }, 'jelou template send failed');
      // Refused before anything was written (connection refused): nothing went out.
      if (classified.kind === 'failed') return { kind: 'refused', status: 0, description: undefined };
      return { kind: 'unknown', code: classified.code, reason: classified.reason };
    }
    let text: string | undefined;
    try {
      const body = await readBounded(response.body, MAX_BYTES, response.headers['content-length']);
      text = body.kind === 'complete' ? body.text : undefined;
    } catch {
      text = undefined;
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      const answer = HsmAnswerSchema.safeParse(text === undefined ? undefined : parseJson(text));
      const messageId = answer.success ? answer.data[0]?.id : undefined;
      this.#logger.info({ status, template: template.elementName, messageId }, 'jelou template send');
      if (messageId !== undefined) return { kind: 'sent', messageId };
      return { kind: 'unknown', code: 'unreadable_answer', reason: undefined };
    }
    // 4xx: Jelou read the request and refused it ("Template does not exist", bad parameters).
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      const refusal = RefusalSchema.safeParse(text === undefined ? undefined : parseJson(text));
      const message = refusal.success ? refusal.data.message : undefined;
      const description = Array.isArray(message)
        ? message.filter((m) => typeof m === 'string').join('; ')
        : (message ?? (refusal.success ? refusal.data.description : undefined));
      this.#logger.warn({ status, template: template.elementName }, 'jelou refused the template');
      return { kind: 'refused', status, description: description?.slice(0, 300) };
    }
    this.#logger.warn({ status, template: template.elementName }, 'jelou template answer unclear');
    return { kind: 'unknown', code: `http_${status}`, reason: undefined };
  }
}
