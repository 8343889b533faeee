/**
 * Posts and updates a send's notification. The channel the command ran in comes first; where
 * the bot cannot post there (not a member, a private channel, archived, restricted) the result
 * goes to a DM from the bot, and the channel gets at most an ephemeral heads-up pointing there:
 * Slack does not guarantee ephemeral delivery and they vanish on reload, so they never hold a
 * result or its buttons. When a posted message can no longer be updated (archived channel,
 * deleted message…) the result moves to a DM too, and the send's notification follows it.
 * A send in a batch is shown with the rest of its batch, read from the store each time.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logging.js';
import type { NotificationRef, SendRecord, SendStore } from '../store/types.js';
import { cannotPostHere, cannotUpdate, mayWorkLater, retryAfterOf, slackErrorCode } from './api-errors.js';
import { catalogue } from './i18n/index.js';
import { isDirectToUser } from './metadata.js';
import { Pacer } from './pacer.js';
import { cardSentMetadata } from './views/card-sent-metadata.js';
import { directNotificationMessage, notificationMessage } from './views/notification.js';

export type NotifierClient = Pick<webApi.WebClient, 'chat' | 'conversations'>;

/**
 * `chat.update` is Tier 3 (about 50 a minute per workspace, api.slack.com/methods/chat.update):
 * kept below it with room for the rest of the workspace's apps... of this one.
 */
const UPDATES = { burst: 5, perMinute: 40 } as const;
/** Tries of one call Slack answered 429, each after the Retry-After it asked for. */
const RATE_LIMITED_TRIES = 3;
/** A Retry-After longer than this is not waited out: the notification gives up (logged). */
const RETRY_AFTER_MAX_SECONDS = 60;

export class Notifier {
  /** Shared by every send's message: the tier is the workspace's. */
  private readonly updates = new Pacer(UPDATES);

  /**
   * `client` should be the notifier's own, made with `rejectRateLimitedCalls`: a 429 then fails
   * just the call, which waits out its Retry-After here, instead of pausing every call made
   * through a shared client (@slack/web-api pauses the client's whole queue).
   */
  constructor(
    private readonly client: NotifierClient,
    private readonly logger: Logger,
    /** Where a batch's other sends are read from, to summarise them all in one message. */
    private readonly store: Pick<SendStore, 'batch'>,
  ) {}

  /** `call`, tried again after Slack's Retry-After when it answers 429 (only this call waits). */
  private async patiently<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const retryAfter = retryAfterOf(error);
        if (retryAfter === undefined || attempt >= RATE_LIMITED_TRIES || retryAfter > RETRY_AFTER_MAX_SECONDS)
          throw error;
        this.logger.info({ retryAfter, attempt }, 'Slack asked the notifier to slow down; waiting');
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      }
    }
  }

  /** Posts the first notification of a send; `undefined` when no way of reaching the person worked. */
  async post(send: SendRecord): Promise<NotificationRef | undefined> {
    const batch = await this.batchOf(send);
    const message = notificationMessage(send, batch);
    try {
      const posted = await this.patiently(() =>
        this.client.chat.postMessage({
          channel: send.channelId,
          ...(send.threadTs === undefined ? {} : { thread_ts: send.threadTs }),
          ...message,
          metadata: cardSentMetadata(send),
        }),
      );
      if (posted.ts && posted.channel) return { kind: 'message', channel: posted.channel, ts: posted.ts };
    } catch (error) {
      if (!cannotPostHere(error)) return this.giveUp(error, 'channel');
      this.logger.info({ slackError: slackErrorCode(error) }, 'cannot post in the channel; sending a DM');
    }
    const ref = await this.postDirect(send, batch);
    if (ref) await this.headsUp(send);
    return ref;
  }

  /**
   * Shows the send's current state where its notification lives. Answers a new place when the
   * result had to move (the message can no longer be updated, or it lived in an ephemeral): the
   * caller records it, so later updates follow it.
   */
  async update(send: SendRecord): Promise<NotificationRef | undefined> {
    const ref = send.notification;
    const batch = await this.batchOf(send);
    if (ref?.kind !== 'message') {
      if (ref === undefined) {
        this.logger.warn({ status: send.status }, 'send has no notification to update');
        return undefined;
      }
      // Stored before results stopped living in ephemerals: the result moves to a DM now.
      return this.postDirect(send, batch);
    }
    // A message outside the send's channel is the DM fallback: keep saying why it came there.
    // (A result meant as a DM, from the shortcut, was posted to the user id and lives in a D… id.)
    const message =
      ref.channel !== send.channelId && !isDirectToUser(send.channelId)
        ? directNotificationMessage(send, batch)
        : notificationMessage(send, batch);
    try {
      await this.patiently(async () => {
        // A batch's summary changes with each of its sends: paced, so more changes share an update.
        if (send.batchId !== undefined) await this.updates.take();
        return this.client.chat.update({
          channel: ref.channel,
          ts: ref.ts,
          ...message,
          metadata: cardSentMetadata(send),
        });
      });
      return undefined;
    } catch (error) {
      if (!cannotUpdate(error)) return this.giveUp(error, 'update');
      this.logger.info(
        { slackError: slackErrorCode(error) },
        'cannot update the notification; sending the result by DM',
      );
      if (ref.channel.startsWith('D')) return this.giveUp(error, 'update');
      return this.postDirect(send, batch);
    }
  }

  /**
   * A line in the channel, only for the sender, saying the result is in their DM. Best effort:
   * Slack may not deliver it, and nothing depends on it.
   */
  private async headsUp(send: SendRecord): Promise<void> {
    if (isDirectToUser(send.channelId)) return;
    const text = catalogue(send.locale).notification.headsUpDm;
    try {
      await this.client.chat.postEphemeral({
        channel: send.channelId,
        user: send.requestedBy,
        text,
        ...(send.threadTs === undefined ? {} : { thread_ts: send.threadTs }),
      });
    } catch (error) {
      this.logger.info({ slackError: slackErrorCode(error) }, 'no heads-up in the channel either');
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
      const posted = await this.patiently(() =>
        this.client.chat.postMessage({
          channel,
          ...directNotificationMessage(send, batch),
          metadata: cardSentMetadata(send),
        }),
      );
      return posted.ts ? { kind: 'message', channel, ts: posted.ts } : undefined;
    } catch (error) {
      return this.giveUp(error, 'dm');
    }
  }

  /**
   * A notification that cannot be delivered must not stop the send. Refused for good: logged, and
   * the result has nowhere else to go. Slack's own trouble (a 429 after its tries, a 5xx, no
   * answer): thrown, so delivery keeps the send until its message shows the result, and the
   * outbox's sweep shows it later.
   */
  private giveUp(error: unknown, where: string): undefined {
    if (mayWorkLater(error)) {
      this.logger.warn({ err: error, where }, 'Slack did not take the notification; it is shown again later');
      throw error;
    }
    this.logger.error(
      { err: error, slackError: slackErrorCode(error), where },
      'could not notify the sender',
    );
    return undefined;
  }
}
