/**
 * The record of every send, and the interface the rest of the app stores it through. The
 * interface is async although SQLite answers synchronously, so that a Postgres store for
 * multi-replica deployments can implement it unchanged.
 */
import type { Sentence } from '../errors.js';

/** `pending → sending → sent | failed | unknown`; `failed` and `unknown` may go back to `pending` on retry. */
export type SendStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';

/** Where the send's Slack notification lives, so it can be updated as the send moves on. */
export type NotificationRef =
  | Readonly<{ kind: 'message'; channel: string; ts: string }>
  | Readonly<{ kind: 'ephemeral'; channel: string; user: string }>;

export type NewSend = Readonly<{
  teamId: string | undefined;
  requestedBy: string;
  channelId: string;
  recipientId: string;
  recipientLabel: string;
  cardName: string;
  /** The exact JSON body for Jelou, so a retry sends the very same card. */
  body: string;
  dryRun: boolean;
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

export interface SendStore {
  /** Records a new send as `pending`. Committed when the promise resolves. */
  create(send: NewSend): Promise<SendRecord>;
  get(id: string): Promise<SendRecord | undefined>;
  /** `pending → sending` and counts the attempt; `undefined` when the send is not pending (already taken). */
  claim(id: string): Promise<SendRecord | undefined>;
  /** `sending → sent | failed | unknown`. */
  finish(id: string, result: SendResult): Promise<SendRecord>;
  /** `failed | unknown → pending`; `undefined` when the send is in any other state. */
  requeue(id: string): Promise<SendRecord | undefined>;
  setNotification(id: string, ref: NotificationRef): Promise<void>;
  close(): Promise<void>;
}
