/**
 * What a person (or a workflow) asks for when they press Send: one card to one or more people.
 * Turned here into the rows the store records, one send per recipient, so every way of sending
 * (the preview's Send, the workflow step) records sends the same way.
 */
import { randomUUID } from 'node:crypto';
import type { ContactsMessage } from '../card/index.js';
import type { Locale } from '../errors.js';
import type { AwaitOnCreate, NewSend } from '../store/types.js';

/** One request to send a card, as the Slack side understood it. */
export type Submission = Readonly<{
  /**
   * Identifies the request (a view and its hash, a function execution): the same request arriving
   * twice (a double click, a retried request or event) records its sends once.
   */
  key: string;
  teamId: string | undefined;
  requestedBy: string;
  /** Where the result is shown (see NewSend.channelId). */
  channelId: string;
  threadTs?: string | undefined;
  /** How the card is named in messages ("Juan Pérez +2"). */
  cardName: string;
  /** The requester's language: every later notification of these sends speaks it. */
  locale: Locale;
  /** One message per recipient, each with how the person saw that recipient. */
  to: readonly Readonly<{ message: ContactsMessage; label: string }>[];
}>;

/**
 * The sends to record for `submission`. Sends to several people share a batch id, and with it one
 * notification that summarises them, each keyed by its recipient; a send to one person has no
 * batch and keeps the request's own key, exactly as before batches existed.
 */
export function sendsOf(
  submission: Submission,
  dryRun: boolean,
  awaitReply?: AwaitOnCreate['awaitReply'],
): (NewSend & AwaitOnCreate)[] {
  const several = submission.to.length > 1;
  const batchId = several ? randomUUID() : undefined;
  return submission.to.map(({ message, label }) => ({
    submissionKey: several ? `${submission.key}:${message.userId}` : submission.key,
    batchId,
    teamId: submission.teamId,
    requestedBy: submission.requestedBy,
    channelId: submission.channelId,
    threadTs: submission.threadTs,
    recipientId: message.userId,
    recipientLabel: label,
    cardName: submission.cardName,
    body: JSON.stringify(message),
    dryRun,
    locale: submission.locale,
    awaitReply,
  }));
}
