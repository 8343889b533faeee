/**
 * The record of every send, and the interfaces the rest of the app stores it through, split by
 * purpose: the outbox (recording and moving sends), queries (what people and ops read), drafts,
 * and maintenance (pruning, cluster jobs, health). One implementation (src/store/sql.ts) serves
 * SQLite, for one replica, and PostgreSQL, for several sharing one database.
 */
import type { Locale, Sentence } from '../errors.js';

/**
 * `pending → sending → sent | failed | unknown`; `failed` and `unknown` may go back to `pending` on
 * retry. A card WhatsApp's 24-hour window refused may wait in `awaiting_reply` after a template
 * (`failed → awaiting_reply`), until the customer answers (`→ pending`), it expires or is
 * cancelled (`→ failed`).
 */
export type SendStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'awaiting_reply';

/**
 * How far a sent message got, as Jelou reports it (docs.jelou.ai/en/api/campanas/notificaciones):
 * received by WhatsApp, by the phone, read (only with read receipts on), answered. Ordered: a
 * later receipt never gives way to an earlier one.
 */
export const RECEIPTS = ['delivered_channel', 'delivered_user', 'read', 'replied'] as const;
export type Receipt = (typeof RECEIPTS)[number];

/** A card waiting for the customer's reply to a template (`awaiting_reply`), or one that did. */
export type AwaitingReply = Readonly<{
  /** The template's `elementName`. */
  template: string;
  /** When the template was asked for: only a customer message after it releases the card. */
  since: string;
  /** When the card stops waiting and fails, with Retry. */
  until: string;
  /** Jelou's id of the template message; absent until Jelou took it (or when it is unsure). */
  templateMessageId: string | undefined;
}>;

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

/**
 * A send recorded already waiting for the customer's reply to a template (`awaiting_reply` from
 * the start: "Send a template first" on a preview whose window is known closed), and until when.
 */
export type AwaitOnCreate = Readonly<{
  awaitReply?: Readonly<{ template: string; until: Date }> | undefined;
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
    /** A send waiting out a Jelou outage: when it is tried again (ISO-8601). */
    nextAttemptAt?: string | undefined;
    /** A send waiting out a Jelou outage (or being tried again in it): when its window closes (ISO-8601). */
    retryUntil?: string | undefined;
    /** The template this card waits (or waited) behind, while and after it is `awaiting_reply`. */
    awaiting?: AwaitingReply | undefined;
    /** When the customer answered the template, releasing the card (ISO-8601). */
    repliedAt?: string | undefined;
    /** The furthest receipt Jelou reported for the card (a `sent` send). */
    receipt?: Receipt | undefined;
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

/** How much work waits in the outbox, for metrics. */
export type OutboxBacklog = Readonly<{ pending: number; oldestPendingAt: string | undefined }>;

/** What delivery does with a send that Jelou certainly did not take, while the outage lasts. */
export type Deferral = Readonly<{
  /** When the next attempt may be made. */
  nextAttemptAt: Date;
  /** The end of the send's retry window: kept from the first deferral on. */
  retryUntil: Date;
  errorCode: string;
  errorStatus: number | undefined;
  reason: Sentence;
}>;

/** The part of the store that holds drafts, for the code that only reads and writes them. */
export interface DraftStore {
  /** Saves a draft (new when `id` is unknown) and returns it as stored. */
  saveDraft(draft: Readonly<{ id: string; userId: string; body: string }>): Promise<Draft>;
  getDraft(id: string): Promise<Draft | undefined>;
}

/** Reading sends, for people (history, recipients) and for notifications. */
export interface SendQueries {
  get(id: string): Promise<SendRecord | undefined>;
  /** The sends of a batch, in the order they were recorded. */
  batch(batchId: string): Promise<SendRecord[]>;
  /** A person's latest sends, newest first. */
  history(requestedBy: string, limit: number): Promise<SendRecord[]>;
  countsByStatus(): Promise<StatusCounts>;
  /** Recipients of recent sends, most recent first, one entry each. */
  recentRecipients(limit: number): Promise<RecentRecipient[]>;
  /** Sends waiting to be delivered, and when the oldest of them was recorded. */
  backlog(): Promise<OutboxBacklog>;
}

/**
 * Recording and moving sends. A claimed send carries this store's owner id and a lease; the owner
 * renews the lease while it works, and a send whose lease ran out was cut off by a crash.
 */
export interface OutboxStore {
  /** This store's owner id: the replica it belongs to. */
  readonly owner: string;
  /** Records a new send as `pending`, or returns the one already recorded for its submission key. */
  create(send: NewSend): Promise<Created>;
  /**
   * Records several sends in one transaction (all or none), each as `create` would: a
   * submission to several recipients is never half recorded. A send with `awaitReply` is recorded
   * `awaiting_reply` behind that template instead of `pending`.
   */
  createMany(sends: readonly (NewSend & AwaitOnCreate)[]): Promise<Created[]>;
  get(id: string): Promise<SendRecord | undefined>;
  /**
   * `pending → sending` and counts the attempt, under this owner's lease; `undefined` when the
   * send is not pending (already taken).
   */
  claim(id: string): Promise<SendRecord | undefined>;
  /**
   * Claims up to `limit` pending sends that are due, oldest first, in one statement: replicas
   * claiming at once each get different sends and never wait for each other.
   */
  claimDue(limit: number): Promise<SendRecord[]>;
  /** Extends this owner's leases on the given sends; returns the ids it still holds. */
  renewLeases(ids: readonly string[]): Promise<string[]>;
  /** `sending → sent | failed | unknown`, only by the owner of the send's lease. */
  finish(id: string, result: SendResult): Promise<SendRecord>;
  /**
   * `sending → pending` until `nextAttemptAt`, with the failure kept to show: Jelou certainly did
   * not take the card and the retry window is still open.
   */
  defer(id: string, deferral: Deferral): Promise<SendRecord>;
  /**
   * `pending → failed` for a send waiting out an outage, or `awaiting_reply → failed` for one
   * waiting for the customer's reply, at a person's word; `undefined` when it is not waiting
   * (being sent right now, or finished).
   */
  cancelWaiting(id: string, reason: { errorCode: string; reason: Sentence }): Promise<SendRecord | undefined>;
  /** `failed | unknown → pending`; `undefined` when the send is in any other state. */
  requeue(id: string): Promise<SendRecord | undefined>;
  /** Where the send's notification lives; for a send in a batch, every send of the batch. */
  setNotification(id: string, ref: NotificationRef): Promise<void>;
  /** Ids of pending sends that are due, oldest first. */
  pending(limit: number): Promise<string[]>;
  /**
   * Sends left `sending` by an owner that is gone become `unknown` with `reason`: they were cut
   * off by a crash and may or may not have reached Jelou, so they are never re-sent silently.
   * Gone means: any other owner, on a store one process owns (SQLite); an owner whose lease ran
   * out, on a shared one. Each such send is returned to exactly one caller, which then holds it
   * until its message says so (`shown`).
   */
  interruptInFlight(reason: { errorCode: string; reason: Sentence }): Promise<SendRecord[]>;
  /**
   * Wakes every replica's outbox (LISTEN/NOTIFY on PostgreSQL). Recording a send does not: a
   * Send is announced once Slack has its answer, so no replica calls Jelou before the ack.
   */
  announce(): Promise<void>;
  /** Resolves with a function that stops listening; `onWork` runs when another replica records work. */
  listen(onWork: () => void): Promise<() => Promise<void>>;
  /**
   * This owner's update of the send's message now shows its result: the send is let go. Until
   * then a finished send stays leased, so a crash between the result and the message is noticed.
   */
  shown(id: string): Promise<void>;
  /**
   * Finished sends whose message does not show the result and whose holder stopped renewing
   * (lease expired: a replica gone, or a show that failed; on a SQLite file also any other
   * owner's): taken over by this replica, to show them and then let them go (`shown`). Each goes
   * to one replica at a time.
   */
  takeUnshown(): Promise<SendRecord[]>;
}

/**
 * Cards that wait for a customer's reply to a template (`awaiting_reply`), and receipts of sent
 * cards. Every change is one guarded statement: a reply seen by the webhook and by polling at once,
 * on two replicas, releases the card once.
 */
export interface AwaitingStore {
  /**
   * `failed → awaiting_reply` behind `template`, until `until`; `undefined` when the send is not
   * failed (someone retried it, or it is already waiting).
   */
  awaitReply(id: string, wait: { template: string; until: Date }): Promise<SendRecord | undefined>;
  /** Jelou took the template: its message id, for replies and receipts that name it. */
  templateSent(id: string, messageId: string): Promise<SendRecord | undefined>;
  /**
   * Jelou's answer to the template was lost (timeout, cut connection): it may have reached the
   * customer. The card keeps waiting (it only goes when they write); the doubt is kept to show.
   */
  templateUnconfirmed(
    id: string,
    doubt: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined>;
  /**
   * Jelou reports the template `templateMessageId` failed after taking it: the card waiting on it
   * becomes `failed` with the reason; `undefined` when no card waits on that template.
   */
  templateFailed(
    templateMessageId: string,
    failure: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined>;
  /** Jelou refused the template: `awaiting_reply → failed` with the reason (Retry, or another template). */
  templateRefused(
    id: string,
    failure: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined>;
  /**
   * The customer `recipientId` wrote at `at`: each card awaiting them since before then goes
   * `awaiting_reply → pending`, to be sent. Returns the cards released (each to one caller only).
   */
  replied(recipientId: string, at: Date): Promise<SendRecord[]>;
  /** The send whose template has Jelou message id `messageId`, while it awaits a reply. */
  awaitingByTemplate(messageId: string): Promise<SendRecord | undefined>;
  /** The customers cards await, each with the earliest time a reply must follow. */
  awaitedRecipients(limit: number): Promise<{ recipientId: string; since: string }[]>;
  /** Cards whose wait ended before now go `awaiting_reply → failed` with `reason`; each to one caller. */
  expireAwaiting(reason: { errorCode: string; reason: Sentence }): Promise<SendRecord[]>;
  /**
   * Records a receipt for the sent card Jelou knows as `messageId` when it goes further than the
   * one recorded; `undefined` when no sent card has that id, or the receipt is not news.
   */
  recordReceipt(messageId: string, receipt: Receipt): Promise<SendRecord | undefined>;
  /**
   * Sent cards sent since `since` whose receipt may still move (not read or replied yet), least
   * recently looked at first, for polling Jelou's notifications; each is marked looked at now.
   */
  receiptsToPoll(since: Date, limit: number): Promise<SendRecord[]>;
  /**
   * Jelou reports the sent card `messageId` failed after accepting it: `sent → failed` with the
   * reason; `undefined` when no sent card has that id.
   */
  failedAfterAcceptance(
    messageId: string,
    failure: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined>;
}

/** Pruning, cluster-wide jobs and health. */
export interface MaintenanceStore {
  /** Removes finished sends created before `before` (they hold customers' personal data); returns how many. */
  deleteOlderThan(before: Date): Promise<number>;
  /** Removes drafts last saved before `before` (abandoned modals); returns how many. */
  deleteDraftsOlderThan(before: Date): Promise<number>;
  /**
   * Takes or renews the cluster-wide lease `name` for `ttlMs`: true when this owner holds it, so
   * a periodic job runs on one replica at a time.
   */
  tryLease(name: string, ttlMs: number): Promise<boolean>;
  /** Gives up the lease `name` if this owner holds it, so another replica may take it at once. */
  releaseLease(name: string): Promise<void>;
  /**
   * Records a request signature until `expiresAt`; false when it was already recorded (a replay),
   * whichever replica saw it first.
   */
  rememberSignature(signature: string, expiresAt: Date): Promise<boolean>;
  /** Resolves when the store answers a trivial query; rejects when it cannot (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface SendStore extends OutboxStore, SendQueries, DraftStore, MaintenanceStore, AwaitingStore {}
