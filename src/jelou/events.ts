/**
 * What Jelou tells about messages after it took them, from two sources:
 * - a notification URL it posts events to (docs.jelou.ai/en/connect/settings/notification-urls:
 *   Read, Failed, Reply or All; Read only when the customer has read receipts on). The payload is
 *   not published in text, so it is read defensively: the event's name, the message id and the
 *   customer from whichever documented field name carries them, anything else logged and dropped;
 * - polling: `GET /v1/external/bots/{botId}/notifications?messageId=` (statuses CREATED,
 *   DELIVERED_CHANNEL, DELIVERED_USER, READ, REPLY, FAILED; docs.jelou.ai/en/api/campanas/
 *   notificaciones), and the bot's chat history (`GET /v1/external/messages/history/{botId}`) for
 *   when a customer last wrote.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Receipt } from '../store/types.js';
import { HISTORY_PAGE_LIMIT, mergeHistory } from './recipients.js';
import { parseRetryAfterMs } from './retry.js';
import { type HistoryItem, HistoryItemSchema, HistoryPageSchema, parseJson } from './schemas.js';
import { discard, type JelouTransport, readBounded } from './transport.js';

/** What one event (or one polled status) means for the app. */
export type JelouEvent =
  | Readonly<{ kind: 'receipt'; messageId: string; receipt: Receipt; destination: string | undefined }>
  | Readonly<{ kind: 'failed'; messageId: string; description: string | undefined }>
  /** The customer wrote: `messageId` is the message they answered, when the event names one. */
  | Readonly<{
      kind: 'reply';
      messageId: string | undefined;
      destination: string | undefined;
      at: Date | undefined;
    }>;

/** Jelou's statuses (notifications) and webhook event names (older API), as the app reads them. */
const STATUS: Readonly<Record<string, Receipt | 'failed' | 'created'>> = {
  CREATED: 'created',
  DELIVERED_CHANNEL: 'delivered_channel',
  DELIVERED_USER: 'delivered_user',
  READ: 'read',
  REPLY: 'replied',
  FAILED: 'failed',
};

const text = z.union([z.string(), z.number()]).transform(String).optional().catch(undefined);

const EventSchema = z.looseObject({
  event: text,
  type: text,
  status: text,
  sentStatus: text,
  messageId: text,
  message_id: text,
  id: text,
  destination: text,
  userId: text,
  from: text,
  user: z.looseObject({ id: text }).optional().catch(undefined),
  timestamp: text,
  createdAt: text,
  error: z
    .union([z.string(), z.looseObject({ message: text, description: text, code: text })])
    .optional()
    .catch(undefined),
});

function dateOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * (value.length <= 10 ? 1000 : 1) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** Reads one event object; `undefined` when it is none the app knows (logged by the caller). */
export function readEvent(raw: unknown): JelouEvent | undefined {
  const parsed = EventSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  const name = (e.event ?? e.sentStatus ?? e.status ?? e.type)?.trim().toUpperCase().replace(/[\s-]/g, '_');
  const meaning = name === undefined ? undefined : STATUS[name];
  const messageId = e.messageId ?? e.message_id ?? e.id;
  const destination = (e.destination ?? e.userId ?? e.user?.id ?? e.from)?.replace(/^\+/, '');
  if (meaning === 'replied') {
    return { kind: 'reply', messageId, destination, at: dateOf(e.timestamp ?? e.createdAt) };
  }
  if (messageId === undefined || meaning === undefined || meaning === 'created') return undefined;
  if (meaning === 'failed') {
    const error = e.error;
    const description = typeof error === 'string' ? error : (error?.message ?? error?.description);
    return { kind: 'failed', messageId, description: description?.slice(0, 300) };
  }
  return { kind: 'receipt', messageId, receipt: meaning, destination };
}

/** A body may hold one event or a list of them. */
export function readEvents(body: unknown): { events: JelouEvent[]; unreadable: number } {
  const items = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && 'events' in body && Array.isArray(body.events)
      ? body.events
      : [body];
  const events: JelouEvent[] = [];
  let unreadable = 0;
  for (const item of items) {
    const event = readEvent(item);
    if (event) events.push(event);
    else unreadable++;
  }
  return { events, unreadable };
}

/** What a poll found: the answer, or that Jelou asked us to slow down (429), or nothing usable. */
export type Polled<T> =
  | Readonly<{ kind: 'ok'; value: T }>
  | Readonly<{ kind: 'rate_limited'; retryAfterMs: number | undefined }>
  | Readonly<{ kind: 'unavailable' }>;

const MAX_PAGE_BYTES = 1024 * 1024;

export type JelouEventsOptions = Readonly<{
  transport: JelouTransport;
  botId: string;
  logger: Logger;
}>;

/** Polls Jelou for customers' replies and messages' statuses; never throws. */
export class JelouEvents {
  readonly #transport: JelouTransport;
  readonly #botId: string;
  readonly #logger: Logger;

  constructor(options: JelouEventsOptions) {
    this.#transport = options.transport;
    this.#botId = options.botId;
    this.#logger = options.logger;
  }

  async #get(
    path: string,
    query: Record<string, string | number>,
    budgetMs: number,
  ): Promise<Polled<unknown>> {
    const signal = AbortSignal.timeout(Math.max(1, budgetMs));
    try {
      const response = await this.#transport.request({ method: 'GET', path, query, signal });
      if (response.statusCode === 429) {
        await discard(response.body);
        return {
          kind: 'rate_limited',
          retryAfterMs: parseRetryAfterMs(response.headers['retry-after'], Date.now()),
        };
      }
      if (response.statusCode !== 200) {
        await discard(response.body);
        this.#logger.warn(
          { status: response.statusCode, path: path.split('/').slice(0, 4).join('/') },
          'jelou poll refused',
        );
        return { kind: 'unavailable' };
      }
      const body = await readBounded(response.body, MAX_PAGE_BYTES, response.headers['content-length']);
      return { kind: 'ok', value: body.kind === 'complete' ? parseJson(body.text) : undefined };
    } catch (error) {
      this.#logger.warn({ err: error, budgetSpent: signal.aborted }, 'jelou poll failed');
      return { kind: 'unavailable' };
    }
  }

  /**
   * When each customer in `userIds` last wrote, from the newest page of the bot's history (50
   * messages): one request per poll, whatever the number of customers awaited.
   */
  async lastWrites(userIds: ReadonlySet<string>, budgetMs: number): Promise<Polled<Map<string, Date>>> {
    const answer = await this.#get(
      `/v1/external/messages/history/${encodeURIComponent(this.#botId)}`,
      { limit: HISTORY_PAGE_LIMIT, page: 1 },
      budgetMs,
    );
    if (answer.kind !== 'ok') return answer;
    const page = HistoryPageSchema.safeParse(answer.value);
    if (!page.success) return { kind: 'unavailable' };
    const items: HistoryItem[] = [];
    for (const raw of page.data.results) {
      const item = HistoryItemSchema.safeParse(raw);
      if (item.success) items.push(item.data);
    }
    const writes = new Map<string, Date>();
    for (const user of mergeHistory(items, this.#botId).values()) {
      if (userIds.has(user.id) && user.lastUserMessageAt !== undefined) {
        writes.set(user.id, new Date(user.lastUserMessageAt));
      }
    }
    return { kind: 'ok', value: writes };
  }

  /** The furthest status Jelou reports for `messageId` (`undefined` when it knows none). */
  async statusOf(messageId: string, budgetMs: number): Promise<Polled<JelouEvent | undefined>> {
    const answer = await this.#get(
      `/v1/external/bots/${encodeURIComponent(this.#botId)}/notifications`,
      { messageId, limit: 50, page: 1 },
      budgetMs,
    );
    if (answer.kind !== 'ok') return answer;
    const list = z.looseObject({ results: z.array(z.unknown()) }).safeParse(answer.value);
    if (!list.success) return { kind: 'ok', value: undefined };
    for (const raw of list.data.results) {
      const event = readEvent(raw);
      if (event && event.kind !== 'reply' && event.messageId === messageId)
        return { kind: 'ok', value: event };
      if (event?.kind === 'reply' && event.messageId === messageId) {
        return {
          kind: 'ok',
          value: { kind: 'receipt', messageId, receipt: 'replied', destination: event.destination },
        };
      }
    }
    return { kind: 'ok', value: undefined };
  }
}
