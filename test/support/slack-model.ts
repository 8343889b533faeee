/**
 * The part of the Slack stand-in that answers as Slack documents rather than as we imagine it:
 * views that keep what was typed, stale hashes, expiring triggers, conversations the bot is or
 * is not in, deleted messages and rate limits. Each behaviour has its doc page beside it and a
 * switch in `SlackModel`, so a test can turn one off (or on) without touching the others.
 * docs/slack-behaviour.md lists them with the tests that cover them.
 */
import type { ModalView } from '@slack/types';

/** Which documented behaviours the stand-in applies. Mutable: a test flips a switch before acting. */
export type SlackModel = {
  /**
   * `views.update` keeps the current value of every input whose `block_id` and `action_id` are
   * unchanged and ignores a new `initial_value` for it.
   * https://api.slack.com/methods/views.update ("Preserving input entry"); slackapi/bolt-js#290.
   */
  preserveInputs: boolean;
  /**
   * `views.update` with a `hash` that is not the view's current one answers `hash_conflict`.
   * https://api.slack.com/methods/views.update (argument `hash`, error `hash_conflict`).
   * Off by default: many tests build the views they click by hand, with hashes of their own.
   */
  checkHash: boolean;
  /**
   * `views.open` with a trigger issued more than 3 s before answers `expired_trigger_id`.
   * https://api.slack.com/interactivity/handling#modal_responses ("trigger_id … expires in 3 seconds"),
   * https://api.slack.com/methods/views.open (error `expired_trigger_id`).
   */
  expireTriggers: boolean;
  /**
   * Where the bot may post: membership, privacy, archival, posting restrictions, Slack Connect.
   * https://api.slack.com/methods/chat.postMessage#errors, https://api.slack.com/methods/chat.postEphemeral#errors,
   * https://api.slack.com/methods/chat.update#errors, https://api.slack.com/scopes/chat:write.public
   */
  conversations: boolean;
  /**
   * `chat.update` of a message Slack never posted, or one deleted since, answers `message_not_found`.
   * https://api.slack.com/methods/chat.update#errors
   */
  messages: boolean;
  /**
   * HTTP 429 with `Retry-After` over a method's limit: `chat.update` is Tier 3 (taken as 50 a
   * minute per workspace), `chat.postMessage` about 1 a second per channel with short bursts
   * (taken, harshly, as a burst of 3 then 1 a second).
   * https://api.slack.com/docs/rate-limits, https://api.slack.com/methods/chat.update ("Tier 3"),
   * https://api.slack.com/methods/chat.postMessage#rate_limiting
   */
  rateLimits: boolean;
  /** The bot token's scopes (the manifest's by default); `chat:write.public` decides `not_in_channel`. */
  scopes: Set<string>;
};

/** The scopes slack-app-manifest.yml asks for that change what the stand-in answers. */
export const MANIFEST_SCOPES = [
  'chat:write',
  'chat:write.public',
  'im:write',
  'channels:read',
  'groups:read',
];

export function defaultModel(): SlackModel {
  return {
    preserveInputs: true,
    checkHash: false,
    expireTriggers: true,
    conversations: true,
    messages: true,
    rateLimits: true,
    scopes: new Set(MANIFEST_SCOPES),
  };
}

/** How a conversation the stand-in knows behaves. Anything left out takes the everyday value. */
export type Conversation = {
  kind: 'public' | 'private' | 'im' | 'mpim';
  /** Whether the bot is a member (a DM between people never has it). */
  botMember: boolean;
  /** People in it; `undefined` means everybody (a public channel's members, for ephemerals). */
  members?: readonly string[] | undefined;
  archived?: boolean;
  /**
   * A posting restriction: `thread_only` (threads only), `announcement` (admins only post), or
   * `no_permission` (the workspace does not let this app post here).
   */
  restriction?: 'thread_only' | 'announcement' | 'no_permission' | undefined;
  /** A Slack Connect channel, shared with another organisation. */
  extShared?: boolean;
  name?: string;
};

/** A conversation no test described: a public channel the bot is in, or the bot's DM with a person. */
function everyday(id: string): Conversation {
  if (id.startsWith('D')) return { kind: 'im', botMember: true };
  if (id.startsWith('G')) return { kind: 'private', botMember: true };
  return { kind: 'public', botMember: true };
}

export const TRIGGER_MAX_AGE_MS = 3_000;
const UPDATE_LIMIT_PER_MINUTE = 50;
const POST_BURST = 3;
const POST_EVERY_MS = 1_000;

type Answer =
  | Readonly<Record<string, unknown>>
  | { readonly httpStatus: number; readonly headers: Record<string, string> };

/** Slack's answer to a call over its rate limit. */
function ratelimited(retryAfterSeconds: number): Answer {
  return { httpStatus: 429, headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } };
}

/** Element fields that hold an input's value, by element type, as Slack reports them back. */
type Element = Record<string, unknown> & { type?: string; action_id?: string };
type Block = Record<string, unknown> & { type?: string; block_id?: string; element?: Element };
type ElementState = Record<string, unknown>;

/** An element showing `state` instead of whatever initial value the app sent. */
function showing(element: Element, state: ElementState | undefined): Element {
  const {
    initial_value: _v,
    initial_date: _d,
    initial_option: _o,
    initial_options: _os,
    initial_conversation: _c,
    ...rest
  } = element;
  const kept: Element = { ...rest };
  if (state === undefined) return kept;
  if (typeof state.value === 'string' && state.value !== '') kept.initial_value = state.value;
  if (typeof state.selected_date === 'string') kept.initial_date = state.selected_date;
  if (typeof state.selected_conversation === 'string')
    kept.initial_conversation = state.selected_conversation;
  if (state.selected_option !== null && typeof state.selected_option === 'object')
    kept.initial_option = state.selected_option;
  if (Array.isArray(state.selected_options) && state.selected_options.length > 0)
    kept.initial_options = state.selected_options;
  return kept;
}

/** What the element shows now, as the state Slack would report for it untouched. */
function stateShown(element: Element): ElementState {
  return {
    value: element.initial_value ?? null,
    selected_date: element.initial_date ?? null,
    selected_conversation: element.initial_conversation ?? null,
    selected_option: element.initial_option ?? null,
    selected_options: element.initial_options ?? [],
  };
}

type ShownView = {
  view: ModalView;
  hash: string;
  typed: Record<string, Record<string, ElementState>> | undefined;
};

/** The stand-in's memory of the Slack world: views on screen, conversations, messages, limits. */
export class SlackWorld {
  readonly model: SlackModel = defaultModel();
  readonly #conversations = new Map<string, Conversation>();
  readonly #views = new Map<string, ShownView>();
  readonly #messages = new Map<string, Set<string>>();
  readonly #deleted = new Set<string>();
  readonly #updates: number[] = [];
  readonly #posts = new Map<string, { tokens: number; at: number }>();
  #hashes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  describe(id: string, conversation: Conversation): void {
    this.#conversations.set(id, conversation);
  }

  conversation(id: string): Conversation {
    return this.#conversations.get(id) ?? everyday(id);
  }

  // ------------------------------------------------------------------------------------------
  // Views

  #newHash(): string {
    this.#hashes += 1;
    return `shown-${this.#hashes}`;
  }

  /** A view now on screen (opened, or put there by a `response_action`); answers its hash. */
  show(id: string, view: ModalView): string {
    const hash = this.#newHash();
    this.#views.set(id, { view, hash, typed: undefined });
    return hash;
  }

  /** What the person has typed into view `id` so far (the state the driver sends with a click). */
  typed(id: string, values: Record<string, Record<string, ElementState>>): void {
    const shown = this.#views.get(id);
    if (shown) shown.typed = values;
  }

  /** The view as the person sees it, with what Slack kept across updates. */
  shown(id: string): (ModalView & { id: string; hash: string }) | undefined {
    const shown = this.#views.get(id);
    return shown ? { ...shown.view, id, hash: shown.hash } : undefined;
  }

  /** `views.open`: refused for a trigger older than 3 s (its issue time is in the id the driver made). */
  open(triggerId: unknown): Answer | undefined {
    if (!this.model.expireTriggers || typeof triggerId !== 'string') return undefined;
    const issued = /^trigger-(\d{13})-/u.exec(triggerId)?.[1];
    if (issued !== undefined && this.now() - Number(issued) > TRIGGER_MAX_AGE_MS)
      return { ok: false, error: 'expired_trigger_id' };
    return undefined;
  }

  /**
   * `views.update`: a stale hash is refused; otherwise the new view replaces the old, keeping the
   * current value of each input whose block_id and action_id did not change.
   */
  update(id: string, hash: unknown, next: ModalView): { answer?: Answer; view: ModalView; hash: string } {
    const shown = this.#views.get(id);
    if (shown && this.model.checkHash && typeof hash === 'string' && hash !== shown.hash)
      return { answer: { ok: false, error: 'hash_conflict' }, view: shown.view, hash: shown.hash };
    let view = next;
    if (shown && this.model.preserveInputs) {
      const before = new Map<string, { actionId: string | undefined; state: ElementState }>();
      for (const block of shown.view.blocks as Block[]) {
        if (block.type !== 'input' || !block.block_id || !block.element) continue;
        const actionId = block.element.action_id;
        const typed = shown.typed?.[block.block_id]?.[actionId ?? ''];
        before.set(block.block_id, { actionId, state: typed ?? stateShown(block.element) });
      }
      const blocks = (next.blocks as Block[]).map((block) => {
        if (block.type !== 'input' || !block.block_id || !block.element) return block;
        const kept = before.get(block.block_id);
        if (!kept || kept.actionId !== block.element.action_id) return block;
        return { ...block, element: showing(block.element, kept.state) };
      });
      view = { ...next, blocks: blocks as ModalView['blocks'] };
    }
    const newHash = this.#newHash();
    this.#views.set(id, { view, hash: newHash, typed: undefined });
    return { view, hash: newHash };
  }

  // ------------------------------------------------------------------------------------------
  // Posting

  /** The channel a post to `channel` lands in: a user id posts in the bot's DM with that person. */
  landsIn(channel: string): string {
    return /^[UW]/u.test(channel) ? `D${channel}` : channel;
  }

  /** Why `chat.postMessage` (or, with `ephemeralFor`, `chat.postEphemeral`) is refused here, if it is. */
  refusePost(channel: string, ephemeralFor?: string): Answer | undefined {
    if (!this.model.conversations) return undefined;
    if (/^[UW]/u.test(channel) && ephemeralFor === undefined) return undefined;
    const c = this.conversation(channel);
    if (!c.botMember) {
      if (c.kind !== 'public') return { ok: false, error: 'channel_not_found' };
      if (ephemeralFor !== undefined || !this.model.scopes.has('chat:write.public'))
        return { ok: false, error: 'not_in_channel' };
    }
    if (c.archived) return { ok: false, error: 'is_archived' };
    if (c.restriction === 'thread_only') return { ok: false, error: 'restricted_action_thread_only_channel' };
    if (c.restriction === 'announcement') return { ok: false, error: 'restricted_action' };
    if (c.restriction === 'no_permission') return { ok: false, error: 'no_permission' };
    if (ephemeralFor !== undefined && c.members !== undefined && !c.members.includes(ephemeralFor))
      return { ok: false, error: 'user_not_in_channel' };
    return undefined;
  }

  /** Why `chat.update` is refused, if it is. */
  refuseUpdate(channel: string, ts: string): Answer | undefined {
    if (this.model.conversations) {
      const c = this.conversation(channel);
      if (!c.botMember && c.kind !== 'public') return { ok: false, error: 'channel_not_found' };
      if (c.archived) return { ok: false, error: 'is_inactive' };
    }
    if (this.model.messages) {
      const key = `${channel}/${ts}`;
      if (this.#deleted.has(key) || !this.#messages.get(channel)?.has(ts))
        return { ok: false, error: 'message_not_found' };
    }
    return undefined;
  }

  posted(channel: string, ts: string): void {
    const set = this.#messages.get(channel) ?? new Set<string>();
    set.add(ts);
    this.#messages.set(channel, set);
  }

  /** Someone deleted the message: later updates answer `message_not_found`. */
  deleteMessage(channel: string, ts: string): void {
    this.#deleted.add(`${channel}/${ts}`);
  }

  /** `conversations.info`, as far as the app reads it. */
  info(channel: string): Answer {
    const c = this.conversation(channel);
    if (!c.botMember && c.kind !== 'public') return { ok: false, error: 'channel_not_found' };
    return {
      ok: true,
      channel: {
        id: channel,
        name: c.name ?? channel.toLowerCase(),
        is_channel: c.kind === 'public',
        is_private: c.kind === 'private',
        is_im: c.kind === 'im',
        is_mpim: c.kind === 'mpim',
        is_archived: c.archived === true,
        is_member: c.botMember,
        is_ext_shared: c.extShared === true,
        is_shared: c.extShared === true,
      },
    };
  }

  // ------------------------------------------------------------------------------------------
  // Rate limits

  /** A 429 when `method` is over its limit now; otherwise the call is counted. */
  limit(method: string, channel: string | undefined): Answer | undefined {
    if (!this.model.rateLimits) return undefined;
    const now = this.now();
    if (method === 'chat.update') {
      while (this.#updates.length > 0 && now - (this.#updates[0] ?? 0) >= 60_000) this.#updates.shift();
      if (this.#updates.length >= UPDATE_LIMIT_PER_MINUTE)
        return ratelimited((60_000 - (now - (this.#updates[0] ?? now))) / 1000);
      this.#updates.push(now);
      return undefined;
    }
    if (method === 'chat.postMessage' && channel !== undefined) {
      const bucket = this.#posts.get(channel) ?? { tokens: POST_BURST, at: now };
      bucket.tokens = Math.min(POST_BURST, bucket.tokens + (now - bucket.at) / POST_EVERY_MS);
      bucket.at = now;
      this.#posts.set(channel, bucket);
      if (bucket.tokens < 1) return ratelimited(((1 - bucket.tokens) * POST_EVERY_MS) / 1000);
      bucket.tokens -= 1;
    }
    return undefined;
  }
}
