/**
 * Finding WhatsApp users for a Slack picker. Slack drops an options request after 3 s, so every
 * look-up here runs inside a time budget and answers with what it has instead of throwing.
 *
 * Jelou has no "list users" endpoint; the bot's message history is the next best thing: it names
 * the people who talked with the bot recently and tells who wrote within the last 24 hours (the
 * WhatsApp window in which a contact card may be sent).
 */
import type { Logger } from 'pino';
import { hasCallingCode, isBsuid, isWhatsAppUserId } from '../card/index.js';
import {
  type HistoryItem,
  HistoryItemSchema,
  type HistoryPage,
  HistoryPageSchema,
  parseJson,
  UserStateSchema,
} from './schemas.js';
import { discard, type JelouTransport, readBounded } from './transport.js';

/** A WhatsApp user seen in the bot's history. */
export interface RecentUser {
  /** Phone number in international form, digits only (Jelou's `userId`). */
  readonly id: string;
  readonly name?: string;
  /** Newest message between the bot and this user, either direction. */
  readonly lastMessageAt?: Date;
  /** Newest message this user wrote. */
  readonly lastUserMessageAt?: Date;
  /** The user wrote within the last 24 hours, so WhatsApp allows free-form messages such as a card. */
  readonly inWindow: boolean;
}

export interface RecentUsersOptions {
  /** Name (case- and accent-insensitive) or at least 3 digits of the number; empty means everyone. */
  readonly query?: string;
  /** Time allowed for the whole look-up, cache included. */
  readonly budgetMs: number;
  /** History pages of 50 messages to read at most; defaults to 4. */
  readonly maxPages?: number;
}

export interface RecentUsersResult {
  readonly users: readonly RecentUser[];
  /** False when history was cut short (budget, error, page limit): older users may be missing. */
  readonly complete: boolean;
}

export type UserStateResult =
  | { readonly kind: 'found'; readonly id: string; readonly name?: string; readonly state?: unknown }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'unavailable' };

/** Jelou's maximum page size for history. */
export const HISTORY_PAGE_LIMIT = 50;
export const DEFAULT_MAX_PAGES = 4;
/**
 * 30 s: a person typing in Slack's picker sends one options request per keystroke pause; reusing
 * the list for half a minute turns a burst of keystrokes into one history fetch, while a customer
 * who just wrote shows up within half a minute.
 */
export const DEFAULT_RECENT_USERS_TTL_MS = 30_000;
/**
 * A list cut short (Jelou slow or failing) is kept only 5 s: long enough not to hammer a struggling
 * Jelou on every keystroke, short enough to recover soon.
 */
const PARTIAL_TTL_MS = 5_000;
/** The WhatsApp customer-service window. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;
/** 50 history messages with text are a few tens of KiB; 1 MiB leaves room without being unbounded. */
const MAX_HISTORY_PAGE_BYTES = 1024 * 1024;
const MAX_STATE_BYTES = 64 * 1024;

/** What we keep per user in the cache: dates only; `inWindow` is computed when served. */
interface SeenUser {
  readonly id: string;
  readonly name?: string;
  readonly nameAt?: number;
  readonly lastMessageAt?: number;
  readonly lastUserMessageAt?: number;
}

interface Snapshot {
  readonly users: readonly SeenUser[];
  readonly complete: boolean;
  readonly fetchedAt: number;
}

export interface RecipientDirectoryOptions {
  readonly transport: JelouTransport;
  readonly botId: string;
  readonly logger: Logger;
  /** Wall clock in ms: the 24-hour window and cache expiry. */
  readonly now: () => number;
  readonly cacheTtlMs?: number;
}

/** Lower-case, accents stripped (NFD then drop combining marks): "José" matches "jose". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Does `user` match a picker query? Name substring, or the query's digits (≥3) inside the id. */
export function matchesQuery(user: { readonly id: string; readonly name?: string }, query: string): boolean {
  const folded = foldForSearch(query).trim();
  if (folded === '') return true;
  if (user.name !== undefined && foldForSearch(user.name).includes(folded)) return true;
  const digits = query.replace(/\D/g, '');
  return digits.length >= 3 && user.id.includes(digits);
}

function parseDate(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Epoch numbers: seconds when small, milliseconds otherwise.
  const ms = typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function cleanName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  return trimmed ? trimmed : undefined;
}

/** What one history message says about the WhatsApp user in it. */
export type HistoryEntryReading =
  | {
      readonly kind: 'user';
      readonly id: string;
      readonly name?: string;
      /** The customer wrote this message (so it opens WhatsApp's 24-hour window). */
      readonly userWrote: boolean;
    }
  /** A message with a customer of another channel (web widget, Facebook, Instagram): left out. */
  | { readonly kind: 'other_channel' }
  /** A message that does not fit the shape assumed below; `why` names the part that did not. */
  | { readonly kind: 'unfit'; readonly why: 'author' | 'id' };

/** Channel names other than WhatsApp, as a party's `type` or a message's channel field may carry them. */
const OTHER_CHANNEL = /facebook|messenger|instagram|widget|web|telegram|twitter|sms|email|gbm|google/iu;
/** Authors that are the business side: the bot, a human agent (operator) or a campaign. */
const BUSINESS_AUTHOR = /^(?:bot|operator|agent|admin|company|hsm|campaign|system)$/iu;

/**
 * Reads one message of `GET /v1/external/messages/history/{botId}`. Jelou documents the fields
 * (`results[]{recipient{id,names}, sender{id,name,type}, by, ...}`, see ../shared/jelou-api.md
 * and https://docs.jelou.ai/en/api/introduction) but not their values, so everything this
 * function assumes about them is here, tested in test/jelou/history-entry.test.ts:
 *
 * 1. Who wrote: the party whose `id` is the bot's id is the bot's side, so the other is the
 *    customer. Failing that, `by` (then `sender.type`) names the author: `user` for the customer
 *    (as Jelou's webhooks say `owner: "user"`, https://docs.jelou.ai/webhook/messages-events),
 *    `bot`, `operator` and the like for the business side.
 * 2. WhatsApp only: the bot's history also carries other channels' customers when a bot serves
 *    several. A WhatsApp user's id is WhatsApp's digits (at most 15, starting with a calling code
 *    that exists) or a business-scoped id; Facebook page-scoped ids (16 digits), Instagram ids
 *    (17), web-widget ids (UUIDs, or numbers that a `type`/channel field names) are left out.
 */
export function readHistoryEntry(item: HistoryItem, botId: string): HistoryEntryReading {
  let userWrote: boolean;
  if (item.sender?.id !== undefined && item.sender.id === botId) userWrote = false;
  else if (item.recipient?.id !== undefined && item.recipient.id === botId) userWrote = true;
  else {
    const author = (item.by ?? item.sender?.type)?.trim().toLowerCase();
    if (author === 'user') userWrote = true;
    else if (author !== undefined && BUSINESS_AUTHOR.test(author)) userWrote = false;
    else return { kind: 'unfit', why: 'author' };
  }
  const party = userWrote ? item.sender : item.recipient;
  const channels = [party?.type, item.channel, item.source, item.platform];
  if (
    channels.some((value) => value !== undefined && !/whatsapp/iu.test(value) && OTHER_CHANNEL.test(value))
  ) {
    return { kind: 'other_channel' };
  }
  const raw = party?.id?.trim();
  if (raw === undefined || raw === '') return { kind: 'unfit', why: 'id' };
  const id = raw.replace(/^\+/, '');
  if (!isWhatsAppUserId(id))
    return /^\d+$/u.test(id) || /^[0-9a-f-]{32,36}$/iu.test(id)
      ? { kind: 'other_channel' }
      : { kind: 'unfit', why: 'id' };
  if (!isBsuid(id) && !hasCallingCode(id)) return { kind: 'other_channel' };
  const name = cleanName(userWrote ? (party?.name ?? party?.names) : (party?.names ?? party?.name));
  return { kind: 'user', id, userWrote, ...(name !== undefined ? { name } : {}) };
}

/** Folds history messages into one entry per user, keeping the newest information. */
export function mergeHistory(
  items: readonly HistoryItem[],
  botId: string,
  into: Map<string, SeenUser> = new Map(),
  onUnfit: (why: 'author' | 'id') => void = () => {},
): Map<string, SeenUser> {
  for (const item of items) {
    const side = readHistoryEntry(item, botId);
    if (side.kind === 'unfit') onUnfit(side.why);
    if (side.kind !== 'user') continue;
    const at = parseDate(item.createdAt);
    const prev = into.get(side.id);
    const newer = (a: number | undefined, b: number | undefined) =>
      a === undefined ? b : b === undefined ? a : Math.max(a, b);
    // A name from a dated message beats one from an older or undated message.
    const takeName =
      side.name !== undefined &&
      (prev?.name === undefined || (at !== undefined && (prev.nameAt === undefined || at > prev.nameAt)));
    const name = takeName ? side.name : prev?.name;
    const nameAt = takeName ? at : prev?.nameAt;
    const lastMessageAt = newer(prev?.lastMessageAt, at);
    const lastUserMessageAt = side.userWrote ? newer(prev?.lastUserMessageAt, at) : prev?.lastUserMessageAt;
    into.set(side.id, {
      id: side.id,
      ...(name !== undefined ? { name } : {}),
      ...(nameAt !== undefined ? { nameAt } : {}),
      ...(lastMessageAt !== undefined ? { lastMessageAt } : {}),
      ...(lastUserMessageAt !== undefined ? { lastUserMessageAt } : {}),
    });
  }
  return into;
}

function toRecentUser(user: SeenUser, nowMs: number): RecentUser {
  return {
    id: user.id,
    ...(user.name !== undefined ? { name: user.name } : {}),
    ...(user.lastMessageAt !== undefined ? { lastMessageAt: new Date(user.lastMessageAt) } : {}),
    ...(user.lastUserMessageAt !== undefined ? { lastUserMessageAt: new Date(user.lastUserMessageAt) } : {}),
    inWindow: user.lastUserMessageAt !== undefined && nowMs - user.lastUserMessageAt < WHATSAPP_WINDOW_MS,
  };
}

/** Newest first; users without any date last; ties by id so the order is stable. */
function byNewest(a: SeenUser, b: SeenUser): number {
  const at = a.lastMessageAt ?? Number.NEGATIVE_INFINITY;
  const bt = b.lastMessageAt ?? Number.NEGATIVE_INFINITY;
  if (at !== bt) return bt > at ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    if ('code' in error && typeof error.code === 'string') return error.code;
    if ('name' in error && typeof error.name === 'string') return error.name;
  }
  return 'unknown';
}

/** Recent users (with a small cache) and single-user look-ups, over the client's transport. */
export class RecipientDirectory {
  readonly #transport: JelouTransport;
  readonly #botId: string;
  readonly #historyPath: string;
  /** Reasons already logged: an entry that does not fit is logged once per reason, not per message. */
  readonly #unfitLogged = new Set<string>();
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #ttlMs: number;
  #cache: Snapshot | undefined;
  #inflight: Promise<Snapshot> | undefined;

  constructor(options: RecipientDirectoryOptions) {
    this.#transport = options.transport;
    this.#botId = options.botId;
    this.#historyPath = `/v1/external/messages/history/${encodeURIComponent(options.botId)}`;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#ttlMs = options.cacheTtlMs ?? DEFAULT_RECENT_USERS_TTL_MS;
  }

  /**
   * Users from the bot's recent history that match `query`, newest first. Never throws for
   * upstream trouble: on errors or when the budget runs out it returns what it has, `complete: false`.
   *
   * The unfiltered list is cached (30 s, or 5 s when incomplete) so consecutive keystrokes filter
   * in memory; concurrent calls share one fetch, each waiting at most its own budget.
   */
  async recentUsers(options: RecentUsersOptions): Promise<RecentUsersResult> {
    const snapshot = await this.#snapshot(options.budgetMs, options.maxPages ?? DEFAULT_MAX_PAGES);
    const nowMs = this.#now();
    const query = options.query ?? '';
    const users = snapshot.users
      .filter((user) => matchesQuery(user, query))
      .map((user) => toRecentUser(user, nowMs));
    return { users, complete: snapshot.complete };
  }

  async #snapshot(budgetMs: number, maxPages: number): Promise<Snapshot> {
    const cached = this.#cache;
    if (cached !== undefined) {
      const age = this.#now() - cached.fetchedAt;
      if (age >= 0 && age < (cached.complete ? this.#ttlMs : PARTIAL_TTL_MS)) return cached;
    }
    if (this.#inflight === undefined) {
      const fetching = this.#fetchHistory(budgetMs, maxPages).then((snapshot) => {
        this.#cache = snapshot;
        return snapshot;
      });
      this.#inflight = fetching;
      // Clear the slot whatever happens; #fetchHistory itself never rejects.
      void fetching.finally(() => {
        if (this.#inflight === fetching) this.#inflight = undefined;
      });
      return fetching;
    }
    // Someone else is already fetching: share it, but do not wait past our own budget.
    const shared = this.#inflight;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<Snapshot>((resolve) => {
      timer = setTimeout(() => resolve({ users: [], complete: false, fetchedAt: this.#now() }), budgetMs);
    });
    try {
      return await Promise.race([shared, giveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads history pages in order until the last page, `maxPages`, an error, or the budget. */
  async #fetchHistory(budgetMs: number, maxPages: number): Promise<Snapshot> {
    const started = performance.now();
    // One signal for the whole look-up: it aborts whichever request or body read is under way.
    const signal = AbortSignal.timeout(Math.max(1, budgetMs));
    const seen = new Map<string, SeenUser>();
    let complete = false;
    let pages = 0;
    let skipped = 0;
    for (let page = 1; page <= maxPages && !signal.aborted; page++) {
      const result = await this.#fetchPage(page, signal);
      if (result === undefined) break;
      pages++;
      const items: HistoryItem[] = [];
      for (const raw of result.results) {
        const item = HistoryItemSchema.safeParse(raw);
        if (item.success) items.push(item.data);
        else skipped++;
      }
      mergeHistory(items, this.#botId, seen, (why) => this.#logUnfit(why));
      const totalPages = result.pagination?.totalPages;
      const last =
        result.results.length === 0 ||
        (totalPages !== undefined ? page >= totalPages : result.results.length < HISTORY_PAGE_LIMIT);
      if (last) {
        complete = true;
        break;
      }
    }
    const users = [...seen.values()].sort(byNewest);
    this.#logger.debug(
      { pages, users: users.length, skipped, complete, durationMs: Math.round(performance.now() - started) },
      'jelou recent users fetched',
    );
    return { users, complete, fetchedAt: this.#now() };
  }

  #logUnfit(why: string): void {
    if (this.#unfitLogged.has(why)) return;
    this.#unfitLogged.add(why);
    // Never the entry itself: it holds a customer's number and messages.
    this.#logger.warn({ why }, 'jelou history entry does not fit the assumed shape; skipped (logged once)');
  }

  /**
   * When the customer `userId` last wrote to the bot, as far as the recent history shows:
   * `seen` with the time (`at` absent when they appear only as a recipient), or `unknown` when
   * the history could not be read whole or does not name them. For the 24-hour window's evidence.
   */
  async lastCustomerMessage(
    userId: string,
    options: { readonly budgetMs: number },
  ): Promise<{ readonly kind: 'seen'; readonly at?: Date } | { readonly kind: 'unknown' }> {
    const snapshot = await this.#snapshot(options.budgetMs, DEFAULT_MAX_PAGES);
    const user = snapshot.users.find((candidate) => candidate.id === userId);
    if (user === undefined) return { kind: 'unknown' };
    return user.lastUserMessageAt === undefined
      ? { kind: 'seen' }
      : { kind: 'seen', at: new Date(user.lastUserMessageAt) };
  }

  /**
   * When `userId` last wrote, from the history already read for the picker (however old), without
   * asking Jelou: for the preview, which must answer Slack within its 3 seconds. `unknown` when no
   * history was read yet or it does not name them.
   */
  lastWriteKnown(
    userId: string,
  ): { readonly kind: 'seen'; readonly at?: Date } | { readonly kind: 'unknown' } {
    const user = this.#cache?.users.find((candidate) => candidate.id === userId);
    if (user === undefined) return { kind: 'unknown' };
    return user.lastUserMessageAt === undefined
      ? { kind: 'seen' }
      : { kind: 'seen', at: new Date(user.lastUserMessageAt) };
  }

  async #fetchPage(page: number, signal: AbortSignal): Promise<HistoryPage | undefined> {
    try {
      const response = await this.#transport.request({
        method: 'GET',
        path: this.#historyPath,
        query: { limit: HISTORY_PAGE_LIMIT, page },
        signal,
      });
      if (response.statusCode !== 200) {
        await discard(response.body);
        this.#logger.warn({ page, status: response.statusCode }, 'jelou history page refused');
        return undefined;
      }
      const body = await readBounded(
        response.body,
        MAX_HISTORY_PAGE_BYTES,
        response.headers['content-length'],
      );
      const parsed = HistoryPageSchema.safeParse(body.kind === 'complete' ? parseJson(body.text) : undefined);
      if (!parsed.success) {
        this.#logger.warn({ page, status: response.statusCode }, 'jelou history page unreadable');
        return undefined;
      }
      return parsed.data;
    } catch (error) {
      this.#logger.warn(
        { page, errorCode: errorCodeOf(error), budgetSpent: signal.aborted },
        'jelou history page failed',
      );
      return undefined;
    }
  }

  /**
   * One user's state: `found` (200), `not_found` (404: Jelou does not know the user, or the bot),
   * or `unavailable` (anything else, including the budget running out). Never throws.
   */
  async userState(userId: string, options: { readonly budgetMs: number }): Promise<UserStateResult> {
    const signal = AbortSignal.timeout(Math.max(1, options.budgetMs));
    try {
      const response = await this.#transport.request({
        method: 'GET',
        path: `/v1/users/${encodeURIComponent(userId)}/state`,
        signal,
      });
      if (response.statusCode === 404) {
        await discard(response.body);
        return { kind: 'not_found' };
      }
      if (response.statusCode !== 200) {
        await discard(response.body);
        this.#logger.warn({ status: response.statusCode }, 'jelou user state refused');
        return { kind: 'unavailable' };
      }
      const body = await readBounded(response.body, MAX_STATE_BYTES, response.headers['content-length']);
      const parsed = UserStateSchema.safeParse(body.kind === 'complete' ? parseJson(body.text) : undefined);
      if (!parsed.success) {
        this.#logger.warn({ status: response.statusCode }, 'jelou user state unreadable');
        return { kind: 'unavailable' };
      }
      const name = cleanName(parsed.data.names ?? parsed.data.name);
      return {
        kind: 'found',
        id: parsed.data.id ?? userId,
        ...(name !== undefined ? { name } : {}),
        ...(parsed.data.state !== undefined ? { state: parsed.data.state } : {}),
      };
    } catch (error) {
      this.#logger.warn(
        { errorCode: errorCodeOf(error), budgetSpent: signal.aborted },
        'jelou user state failed',
      );
      return { kind: 'unavailable' };
    }
  }
}
