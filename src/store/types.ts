/**
 * The record of every send, and the interface the rest of the app stores it through. The
 * interface is async although SQLite answers synchronously, so that a Postgres store for
 * multi-replica deployments can implement it unchanged.
 */
import type { Locale, Sentence } from '../errors.js';

/** `pending → sending → sent | failed | unknown`; `failed` and `unknown` may go back to `pending` on retry. */
export type SendStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';

/** Where the send's Slack notification lives, so it can be updated as the send moves on. */
export type NotificationRef =
  | Readonly<{ kind: 'message'; channel: string; ts: string }>
  | Readonly<{ kind: 'ephemeral'; channel: string; user: string }>;

export type NewSend = Readonly<{
  /**
   * Identifies the Slack submission that asked for this send (the view and its hash), so the same
   * submission arriving twice (a double click, a retried request) records one send, not two.
   */
  submissionKey?: string | undefined;
  /**
   * Sends made by one submission to several recipients share a batch id, and one notification
   * that summarises them all. Absent for a send to one recipient made before batches existed.
   */
  batchId?: string | undefined;
  /** The thread of `channelId` the result is posted in (a card sent from a message); absent: the channel itself. */
  threadTs?: string | undefined;
  teamId: string | undefined;
  requestedBy: string;
  channelId: string;
  recipientId: string;
  recipientLabel: string;
  cardName: string;
  /** The exact JSON body for Jelou, so a retry sends the very same card. */
  body: string;
  dryRun: boolean;
  /** The requester's UI language: the send's notifications speak it, whoever or whatever updates them. */
  locale: Locale;
}>;

export type SendRecord = NewSend &
  Readonly<{
    id: string;
    status: SendStatus;
    attempts: number;
    messageId: string | undefined;
    errorCode: string | undefined;
    errorStatus: number | undefined;
    reason: Sentence | undefined;
    notification: NotificationRef | undefined;
    createdAt: string;
    updatedAt: string;
  }>;

export type SendResult =
  | Readonly<{ status: 'sent'; messageId: string }>
  | Readonly<{
      status: 'failed' | 'unknown';
      errorCode: string;
      errorStatus: number | undefined;
      reason: Sentence;
    }>;

/** What `create` did: a new send, or the one already recorded for the same submission. */
export type Created = Readonly<{ send: SendRecord; created: boolean }>;

/** A WhatsApp user someone sent a card to, for the recipient picker. */
export type RecentRecipient = Readonly<{ id: string; label: string; lastSentAt: string }>;

export type StatusCounts = Readonly<Record<SendStatus, number>>;

/** A card being put together in a modal: its owner and the caller's JSON. */
export type Draft = Readonly<{ id: string; userId: string; body: string; updatedAt: string }>;

/** The part of the store that holds drafts, for the code that only reads and writes them. */
export type DraftStore = Pick<SendStore, 'saveDraft' | 'getDraft'>;

export interface SendStore {
  /** Records a new send as `pending`, or returns the one already recorded for its submission key. */
  create(send: NewSend): Promise<Created>;
  /**
   * Records several sends in one transaction (all or none), each as `create` would: a
   * submission to several recipients is never half recorded.
   */
  createMany(sends: readonly NewSend[]): Promise<Created[]>;
  /** The sends of a batch, in the order they were recorded. */
  batch(batchId: string): Promise<SendRecord[]>;
  get(id: string): Promise<SendRecord | undefined>;
  /** `pending → sending` and counts the attempt; `undefined` when the send is not pending (already taken). */
  claim(id: string): Promise<SendRecord | undefined>;
  /** `sending → sent | failed | unknown`. */
  finish(id: string, result: SendResult): Promise<SendRecord>;
  /** `failed | unknown → pending`; `undefined` when the send is in any other state. */
  requeue(id: string): Promise<SendRecord | undefined>;
  /** Where the send's notification lives; for a send in a batch, every send of the batch. */
  setNotification(id: string, ref: NotificationRef): Promise<void>;
  /** Ids of pending sends, oldest first. */
  pending(limit: number): Promise<string[]>;
  /**
   * Every send left `sending` becomes `unknown` with `reason`: run at start, when any such send was
   * interrupted by a crash and may or may not have reached Jelou. Never re-sent silently.
   */
  interruptInFlight(reason: { errorCode: string; reason: Sentence }): Promise<SendRecord[]>;
  /** A person's latest sends, newest first. */
  history(requestedBy: string, limit: number): Promise<SendRecord[]>;
  countsByStatus(): Promise<StatusCounts>;
  /** Recipients of recent sends, most recent first, one entry each. */
  recentRecipients(limit: number): Promise<RecentRecipient[]>;
  /** Removes finished sends created before `before` (they hold customers' personal data); returns how many. */
  deleteOlderThan(before: Date): Promise<number>;
  /** Saves a draft (new when `id` is unknown) and returns it as stored. */
  saveDraft(draft: Readonly<{ id: string; userId: string; body: string }>): Promise<Draft>;
  getDraft(id: string): Promise<Draft | undefined>;
  /** Removes drafts last saved before `before` (abandoned modals); returns how many. */
  deleteDraftsOlderThan(before: Date): Promise<number>;
  /** Resolves when the store answers a trivial query; rejects when it cannot (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
