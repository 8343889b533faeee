/**
 * Posts and updates a send's notification. The channel the command ran in comes first; where
 * the bot cannot post there (not a member, a private channel, a DM between people) the sender
 * gets an ephemeral message in that channel, and failing that, a DM from the bot. A send in a
 * batch is shown with the rest of its batch, read from the store each time: one message for all.
 */
import { webApi } from '@slack/bolt';
import type { Logger } from '../logging.js';
import type { NotificationRef, SendRecord, SendStore } from '../store/types.js';
import { isDirectToUser } from './metadata.js';
import { cardSentMetadata } from './views/card-sent-metadata.js';
import { directNotificationMessage, notificationMessage } from './views/notification.js';

/** Slack errors that mean "not here", after which the next way of reaching the person is tried. */
const CANNOT_POST_HERE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_non_threadable_channel',
  'ekm_access_denied',
  'user_not_in_channel',
  'cannot_dm_bot',
]);

/** The Slack error code of a failed Web API call (`not_in_channel`), or undefined for anything else. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
}

/** Whether `error` is Slack saying the bot cannot post in that conversation, so another way is worth trying. */
function cannotPostHere(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== undefined && CANNOT_POST_HERE.has(code);
}

export type NotifierClient = Pick<webApi.WebClient, 'chat' | 'conversations'>;

export class Notifier {
  constructor(
    private readonly client: NotifierClient,
    private readonly logger: Logger,
    /** Where a batch's other sends are read from, to summarise them all in one message. */
    private readonly store: Pick<SendStore, 'batch'>,
  ) {}

  /** Posts the first notification of a send; `undefined` when no way of reaching the person worked. */
  async post(send: SendRecord): Promise<NotificationRef | undefined> {
    const batch = await this.batchOf(send);
    const message = notificationMessage(send, batch);
    try {
      const posted = await this.client.chat.postMessage({
        channel: send.channelId,
        ...(send.threadTs === undefined ? {} : { thread_ts: send.threadTs }),
        ...message,
        metadata: cardSentMetadata(send),
      });
      if (posted.ts && posted.channel) return { kind: 'message', channel: posted.channel, ts: posted.ts };
    } catch (error) {
      if (!cannotPostHere(error)) return this.giveUp(error, 'channel');
      this.logger.info(
        { slackError: slackErrorCode(error) },
        'cannot post in the channel; trying an ephemeral message',
      );
    }
    try {
      await this.client.chat.postEphemeral({ channel: send.channelId, user: send.requestedBy, ...message });
      return { kind: 'ephemeral', channel: send.channelId, user: send.requestedBy };
    } catch (error) {
      if (!cannotPostHere(error)) return this.giveUp(error, 'ephemeral');
      this.logger.info(
        { slackError: slackErrorCode(error) },
        'cannot post an ephemeral message; trying a DM',
      );
    }
    return this.postDirect(send, batch);
  }

  /** Shows the send's current state where its notification lives (ephemerals cannot be edited: a new one). */
  async update(send: SendRecord): Promise<void> {
    const ref = send.notification;
    const batch = await this.batchOf(send);
    // An ephemeral cannot be edited, so each update is a new message: for a batch, only the end
    // (every send finished) is worth one; the first was posted when the batch started.
    const inProgress = batch.some((one) => one.status === 'pending' || one.status === 'sending');
    if (ref?.kind === 'ephemeral' && inProgress) return;
    // A message outside the send's channel is the DM fallback: keep saying why it came there.
    // (A result meant as a DM, from the shortcut, was posted to the user id and lives in a D… id.)
    const message =
      ref?.kind === 'message' && ref.channel !== send.channelId && !isDirectToUser(send.channelId)
        ? directNotificationMessage(send, batch)
        : notificationMessage(send, batch);
    try {
      if (ref?.kind === 'message')
        await this.client.chat.update({
          channel: ref.channel,
          ts: ref.ts,
          ...message,
          metadata: cardSentMetadata(send),
        });
      else if (ref?.kind === 'ephemeral') {
        await this.client.chat.postEphemeral({ channel: ref.channel, user: ref.user, ...message });
      } else this.logger.warn({ status: send.status }, 'send has no notification to update');
    } catch (error) {
      this.giveUp(error, 'update');
    }
  }

  /**
   * The sends of `send`'s batch as stored now (none for a send on its own). A store that cannot
   * answer costs the summary, not the notification: the send is then shown on its own.
   */
  private async batchOf(send: SendRecord): Promise<readonly SendRecord[]> {
    if (send.batchId === undefined) return [];
    try {
      return await this.store.batch(send.batchId);
    } catch (error) {
      this.logger.error({ err: error }, 'could not read the batch of a send; showing the send alone');
      return [];
    }
  }

  private async postDirect(
    send: SendRecord,
    batch: readonly SendRecord[],
  ): Promise<NotificationRef | undefined> {
    try {
      const opened = await this.client.conversations.open({ users: send.requestedBy });
      const channel = opened.channel?.id;
      if (!channel) return undefined;
      const posted = await this.client.chat.postMessage({
        channel,
        ...directNotificationMessage(send, batch),
        metadata: cardSentMetadata(send),
      });
      return posted.ts ? { kind: 'message', channel, ts: posted.ts } : undefined;
    } catch (error) {
      return this.giveUp(error, 'dm');
    }
  }

  /** A notification that cannot be delivered must not stop the send: log it and go on. */
  private giveUp(error: unknown, where: string): undefined {
    this.logger.error(
      { err: error, slackError: slackErrorCode(error), where },
      'could not notify the sender',
    );
    return undefined;
  }
}
