/**
 * A send's life after the person presses Send: recorded as `pending` before Slack is answered,
 * then delivered (notify, claim, call Jelou, record the outcome, update the notification).
 * Delivery never throws: whatever happens ends in a stored state and a message to the person.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode, sentenceFor } from '../errors.js';
import {
  isCertainlyNotTaken,
  type JelouClient,
  type JelouMessage,
  type SendOutcome,
} from '../jelou/index.js';
import { type Logger, withLogContext } from '../logging.js';
import type { Metrics } from '../ops/metrics.js';
import type { AwaitOnCreate, NotificationRef, SendRecord, SendResult, SendStore } from '../store/types.js';
import { Coalescer } from './coalesce.js';
import { type Submission, sendsOf } from './submission.js';

/** What delivery needs from the Slack side: post the first notification, then keep it current. */
export interface SendNotifier {
  post(send: SendRecord): Promise<NotificationRef | undefined>;
  /** Answers the notification's new place when it had to move (e.g. to a DM), else undefined. */
  update(send: SendRecord): Promise<NotificationRef | undefined>;
}

export type DeliveryOptions = Readonly<{
  store: SendStore;
  jelou: Pick<JelouClient, 'send'>;
  notifier: SendNotifier;
  logger: Logger;
  /** When true everything happens except the POST to Jelou. */
  dryRun: boolean;
  metrics?: Pick<Metrics, 'sends' | 'jelouSeconds'> | undefined;
  /**
   * How long a send Jelou certainly did not take keeps waiting for another attempt, from its first
   * such failure; 0 fails it at once.
   */
  retryWindowMs?: number | undefined;
  now?: (() => Date) | undefined;
  random?: (() => number) | undefined;
  /**
   * Told about every send that reached its outcome (sent, failed, unknown), by delivery or by
   * recovery, before Slack's notification is updated: a workflow step waits on it. Must not throw.
   */
  onFinished?: ((send: SendRecord) => Promise<void>) | undefined;
  /**
   * How long one replica may hold a batch's message while it updates it (a cluster-wide lease);
   * longer than a Slack call normally takes, short enough that a replica's crash holds it briefly.
   */
  notificationLeaseMs?: number | undefined;
  /** Wakes the outbox: called when sends were recorded or requeued (the outbox also polls). */
  wake?: (() => void) | undefined;
}>;

/** How often a replica looks again for a batch's message another replica is updating. */
const NOTIFICATION_LEASE_POLL_MS = 25;

/** The first wait of a send in an outage; it doubles each attempt up to the ceiling. */
const OUTAGE_FIRST_WAIT_MS = 5_000;
const OUTAGE_MAX_WAIT_MS = 60_000;

/**
 * The wait before attempt `attempts + 1` of a send Jelou did not take: exponential, with jitter
 * (between half and all of it, so replicas' sends spread out but never come back at once), and
 * never shorter than Jelou's own `Retry-After`.
 */
export function outageWaitMs(
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const ceiling = Math.min(OUTAGE_MAX_WAIT_MS, OUTAGE_FIRST_WAIT_MS * 2 ** Math.max(0, attempts - 1));
  const wait = ceiling / 2 + (random() * ceiling) / 2;
  return Math.max(wait, retryAfterMs ?? 0);
}

/**
 * A batch's message is posted with every send in it shown as on its way, which is what
 * "Sending…" shows: on a first attempt there is nothing new to show until the result, and each
 * paced Tier 3 update saved is what lets a cluster keep big batches current. So a send claimed
 * after its batch's message was posted does not ask for an update at all.
 */
function alreadyOnItsWay(send: SendRecord): boolean {
  return send.batchId !== undefined && send.notification !== undefined && send.attempts === 1;
}

/**
 * A send on its own, claimed for the first time and never shown or waiting for a reply before:
 * nothing but this delivery has shown it, so its first show cannot cross an earlier one.
 */
function firstShowOf(send: SendRecord): boolean {
  return (
    send.batchId === undefined &&
    send.attempts === 1 &&
    send.notification === undefined &&
    send.awaiting === undefined &&
    send.repliedAt === undefined
  );
}

/**
 * True while the batch's posted message is still exactly right: every send in it on its first
 * attempt (not one that ended, waits out an outage or was tried again) and the message posted.
 * A property of the batch, not of who asked: coalesced requests share one run, which must then
 * serve them all.
 */
function stillAsPosted(batch: readonly SendRecord[]): boolean {
  return batch.every(
    (send) =>
      send.notification !== undefined &&
      send.nextAttemptAt === undefined &&
      ((send.status === 'pending' && send.attempts === 0) ||
        (send.status === 'sending' && send.attempts === 1)),
  );
}

/** The message id stored for a dry run, where Jelou gave none. */
export const DRY_RUN_MESSAGE_ID = 'dry-run';

function resultOf(outcome: SendOutcome): SendResult {
  if (outcome.kind === 'sent') return { status: 'sent', messageId: outcome.messageId };
  return {
    status: outcome.kind,
    errorCode: outcome.code,
    errorStatus: outcome.status,
    reason: outcome.reason,
  };
}

/** What a retry did: queued again, unknown send, or nothing because the send is pending or in flight. */
export type RequeueAnswer = 'requeued' | 'not_found' | 'busy';

export class DeliveryService {
  private readonly store: SendStore;
  private readonly jelou: Pick<JelouClient, 'send'>;
  private readonly notifier: SendNotifier;
  private readonly logger: Logger;
  private readonly dryRun: boolean;
  private readonly metrics: DeliveryOptions['metrics'];
  private readonly retryWindowMs: number;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly onFinished: DeliveryOptions['onFinished'];
  private readonly notificationLeaseMs: number;
  private readonly wake: () => void;
  /** Notification refreshes, one key per Slack message: a batch's sends share theirs. */
  private readonly notifications = new Coalescer();
  /** Results on their way to Slack after their delivery finished, by send (see `settle`). */
  private readonly showing = new Map<string, Promise<void>>();

  constructor(options: DeliveryOptions) {
    this.metrics = options.metrics;
    this.onFinished = options.onFinished;
    this.notificationLeaseMs = options.notificationLeaseMs ?? 30_000;
    this.wake = options.wake ?? (() => {});
    this.store = options.store;
    this.jelou = options.jelou;
    this.notifier = options.notifier;
    this.logger = options.logger.child({ component: 'delivery' });
    this.dryRun = options.dryRun;
    this.retryWindowMs = options.retryWindowMs ?? 0;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /**
   * What happens when Send is pressed, in one call: the submission's sends are recorded as
   * `pending`, all or none, once per submission key; then Slack is answered (`acknowledge`), so an
   * acknowledged card is never lost or half recorded; then the outbox is woken, so Jelou is called
   * only after the acknowledgement. `recorded: false` (the store failed; logged here) means nothing
   * was recorded and Slack is not answered yet: the caller says so to the person.
   *
   * With `awaitReply` the sends are recorded waiting for the customer's reply to that template
   * instead (AwaitingReplies.submitAhead sends it), and `sends` are the ones this call recorded.
   */
  async submit(
    submission: Submission,
    acknowledge: () => Promise<void>,
    awaitReply?: AwaitOnCreate['awaitReply'],
  ): Promise<
    Readonly<{ recorded: false } | { recorded: true; created: boolean; sends: readonly SendRecord[] }>
  > {
    let created: boolean;
    let sends: SendRecord[];
    try {
      const recorded = await this.store.createMany(sendsOf(submission, this.dryRun, awaitReply));
      // A repeated request finds its sends recorded already: nothing new to deliver.
      sends = recorded.filter((result) => result.created).map((result) => result.send);
      created = sends.length > 0;
    } catch (error) {
      this.logger.error({ err: error }, 'could not record a send');
      return { recorded: false };
    }
    await acknowledge();
    if (created) {
      this.wake();
      // The other replicas hear of it now, after the ack, not when it was recorded; their polling
      // covers a lost notice.
      await this.store.announce().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not tell the other replicas of new work');
      });
    }
    return { recorded: true, created, sends };
  }

  /** Delivers a pending send. Safe to call twice: only one call claims it. */
  deliver(id: string): Promise<void> {
    return withLogContext({ sendId: id }, async () => {
      try {
        await this.deliverOnce(id);
      } catch (error) {
        // A bug or a store failure: the send stays where it was and recovery will find it.
        this.logger.error({ err: error }, 'delivery stopped unexpectedly');
      }
    });
  }

  /** Delivers a send this replica already claimed (the outbox claims several in one statement). */
  deliverClaimed(claimed: SendRecord): Promise<void> {
    return withLogContext({ sendId: claimed.id }, async () => {
      try {
        await this.deliverRecord(claimed);
      } catch (error) {
        // A bug or a store failure: the send stays where it was and recovery will find it.
        this.logger.error({ err: error }, 'delivery stopped unexpectedly');
      }
    });
  }

  /**
   * Shows the send as stored, where its notification lives, or posts it when it has none (a
   * crash before "Sending…" was posted). For recovery, which changes sends outside delivery.
   */
  async show(send: SendRecord): Promise<void> {
    const final = send.status !== 'pending' && send.status !== 'sending' && send.status !== 'awaiting_reply';
    if (final) await this.finished(send);
    return this.showAndLetGo(send, final, Promise.resolve());
  }

  /**
   * Shows the send as stored without telling anyone it finished: for news about a send that is
   * not an outcome (a template on its way, a receipt).
   */
  refresh(send: SendRecord): Promise<void> {
    return this.notifications
      .run(send.batchId ?? send.id, () => this.showCurrent(send))
      .catch((error: unknown) => {
        this.logger.error({ err: error, sendId: send.id }, 'could not update the notification');
      });
  }

  /**
   * Puts a failed or unknown send back in the queue, to be sent again exactly as stored, and wakes
   * the outbox. Who may ask is the caller's decision. A send that is pending or in flight is left
   * alone, so a second click (or someone else's) does nothing.
   */
  async requeue(id: string): Promise<RequeueAnswer> {
    if (await this.store.requeue(id)) {
      this.wake();
      return 'requeued';
    }
    return (await this.store.get(id)) ? 'busy' : 'not_found';
  }

  private async finished(send: SendRecord): Promise<void> {
    try {
      await this.onFinished?.(send);
    } catch (error) {
      this.logger.error({ err: error }, 'could not report a finished send');
    }
  }

  private async deliverOnce(id: string): Promise<void> {
    // Claim first: of two racing deliveries only one gets past here, so only one notifies or sends.
    const claimed = await this.store.claim(id);
    if (!claimed) return;
    await this.deliverRecord(claimed);
  }

  private async deliverRecord(claimed: SendRecord): Promise<void> {
    const id = claimed.id;
    this.logger.info({ attempt: claimed.attempts, dryRun: claimed.dryRun }, 'delivering card');
    // "Sending…" goes to Slack while Jelou is called, never before: a slow or failing Slack must not
    // delay the customer's card (it could push it past WhatsApp's 24-hour window).
    const notificationKey = claimed.batchId ?? claimed.id;
    let recording = false;
    const notified = (
      alreadyOnItsWay(claimed)
        ? Promise.resolve()
        : this.notifications.run(
            notificationKey,
            () => this.showCurrent(claimed),
            // The claim's own row, instead of reading it again, when nothing can have changed it
            // since: a send on its own, claimed for the first time, never shown or waiting before
            // (so no earlier show of it can still be landing), whose run starts now, before its
            // outcome is recorded. Until then it is `sending` under this replica's lease, which
            // only this delivery moves (a lease renewal changes nothing shown).
            firstShowOf(claimed)
              ? () => (recording ? this.showCurrent(claimed) : this.showAsStored(claimed))
              : undefined,
          )
    ).catch((error: unknown) => {
      // Losing the "sending…" message must never cost the outcome of the send itself.
      this.logger.error({ err: error }, 'could not record the notification');
    });
    // The body was built and validated before it was stored; it is sent as stored.
    const message: JelouMessage = JSON.parse(claimed.body);
    const started = performance.now();
    const outcome: SendOutcome = claimed.dryRun
      ? { kind: 'sent', messageId: DRY_RUN_MESSAGE_ID, attempts: 0 }
      : await this.jelou.send(message);
    if (!claimed.dryRun) {
      this.metrics?.jelouSeconds.observe({ outcome: outcome.kind }, (performance.now() - started) / 1000);
    }
    // Record the outcome before anything else waits on Slack: a card Jelou confirmed must not sit
    // in 'sending' (and be called uncertain after a crash) while Slack is slow to answer.
    recording = true;
    const waiting = await this.waitOutOutage(claimed, outcome);
    const finished = waiting ?? (await this.store.finish(id, resultOf(outcome)));
    if (waiting) {
      this.logger.warn(
        { code: waiting.errorCode, nextAttemptAt: waiting.nextAttemptAt, retryUntil: waiting.retryUntil },
        'jelou did not take the card; trying again later',
      );
    } else {
      this.metrics?.sends.inc({ outcome: finished.status });
      this.logger.info({ status: finished.status, code: finished.errorCode }, 'card delivery finished');
      await this.finished(finished);
    }
    // The result is shown at Slack's pace (paced and coalesced per message), without holding the
    // outbox: the next customers' cards must not wait for a busy batch summary. The send is let go
    // only once its message shows the result: a crash before that leaves it leased, and another
    // replica (or the next start) shows it.
    // Not awaited: the outbox's slot is free as soon as the outcome is stored.
    void this.showAndLetGo(finished, !waiting, notified);
  }

  /**
   * Shows `send` as stored, after `after`, and, for a result (`final`), lets the send go once its
   * message shows it. Until then this replica holds it (its lease is renewed, see `beingShown`); if
   * Slack cannot take it now, the lease runs out and the outbox's sweep shows it later, here or
   * at another replica. One path for delivery and for recovery.
   */
  private showAndLetGo(send: SendRecord, final: boolean, after: Promise<void>): Promise<void> {
    const shown = after
      .then(() => this.notifications.run(send.batchId ?? send.id, () => this.showCurrent(send)))
      .then(async () => {
        if (final) await this.store.shown(send.id);
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error, sendId: send.id }, 'could not update the notification');
      });
    this.showing.set(send.id, shown);
    void shown.finally(() => {
      if (this.showing.get(send.id) === shown) this.showing.delete(send.id);
    });
    return shown;
  }

  /**
   * Finished sends whose result is still waiting for its turn in Slack (a batch summary is paced):
   * their owner keeps renewing their leases, or another replica would take them over and show
   * them a second time.
   */
  beingShown(): string[] {
    return [...this.showing.keys()];
  }

  /** Waits up to `graceMs` for results still being shown in Slack (at shutdown, before the store closes). */
  async settle(graceMs: number): Promise<void> {
    if (this.showing.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.showing.values()]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Puts a send Jelou certainly did not take back to wait for another attempt, while its retry
   * window (opened by its first such failure) lasts; `undefined` when it should fail now. Anything
   * that may have reached Jelou never comes here: it is `unknown`, for a person to decide.
   */
  private async waitOutOutage(claimed: SendRecord, outcome: SendOutcome): Promise<SendRecord | undefined> {
    // The kind is checked again only so TypeScript knows the failure's fields below.
    if (!isCertainlyNotTaken(outcome) || outcome.kind !== 'failed' || this.retryWindowMs <= 0)
      return undefined;
    const now = this.now().getTime();
    const retryUntil = claimed.retryUntil ? Date.parse(claimed.retryUntil) : now + this.retryWindowMs;
    if (now >= retryUntil) return undefined;
    const next = Math.min(
      now + outageWaitMs(claimed.attempts, outcome.retryAfterMs, this.random),
      retryUntil,
    );
    return this.store.defer(claimed.id, {
      nextAttemptAt: new Date(next),
      retryUntil: new Date(retryUntil),
      errorCode: outcome.code,
      errorStatus: outcome.status,
      reason: outcome.reason,
    });
  }

  /**
   * Puts a send waiting out an outage down as failed, at a person's word (Cancel); Retry can
   * bring it back. `busy` when it is not waiting (being sent right now, or finished).
   */
  async cancelWaiting(id: string): Promise<'cancelled' | 'not_found' | 'busy'> {
    // Waiting for a customer's reply or out an outage: the sentence says which wait ended.
    const code =
      (await this.store.get(id))?.status === 'awaiting_reply'
        ? ErrorCode.ReplyWaitCancelled
        : ErrorCode.SendCancelled;
    const cancelled = await this.store.cancelWaiting(id, { errorCode: code, reason: sentenceFor(code) });
    if (!cancelled) return (await this.store.get(id)) ? 'busy' : 'not_found';
    this.metrics?.sends.inc({ outcome: cancelled.status });
    await this.show(cancelled);
    return 'cancelled';
  }

  /**
   * Shows the send as the store has it now: posts its notification (and remembers where) the
   * first time, updates it after that. Read afresh on every run, so a batch's message shows
   * whatever its sends have reached, and a notification that could not be posted while sending
   * is posted with the result. A send's batch never changes, so a batch's sends are read once,
   * with the rest of their batch.
   */
  private async showCurrent({ id, batchId }: Pick<SendRecord, 'id' | 'batchId'>): Promise<void> {
    if (batchId === undefined) {
      const send = await this.store.get(id);
      if (send) await this.showAsStored(send);
      return;
    }
    // A batch's sends are delivered by any replica: without this, two replicas could each post its
    // first message (one left behind, stuck "in progress"), or an update read earlier could reach
    // Slack after a newer one and take the message back. One replica at a time, each reading the
    // batch once it holds the message, so every update shows a state no older than the last.
    const lease = `notification:${batchId}`;
    while (!(await this.store.tryLease(lease, this.notificationLeaseMs))) {
      await delay(NOTIFICATION_LEASE_POLL_MS);
    }
    // Held for as long as Slack takes (a rate-limited post waits out Retry-After): renewed, so it
    // outlives no crash by more than a lease, yet never lapses while this replica is at work. A
    // renewal still under way when the work ends is waited for, so it cannot bring the hold back
    // after it was given up.
    let renewing: Promise<unknown> = Promise.resolve();
    const renewal = setInterval(() => {
      renewing = this.store.tryLease(lease, this.notificationLeaseMs).then(
        (held) => {
          if (!held) this.logger.warn({ batchId }, "lost the hold on a batch's message");
        },
        (error: unknown) => this.logger.warn({ err: error }, "could not renew the hold on a batch's message"),
      );
    }, this.notificationLeaseMs / 3);
    renewal.unref();
    try {
      // Read once held, so the update shows a state no older than the last one shown.
      const batch = await this.store.batch(batchId);
      const current = batch.find((one) => one.id === id);
      // Whoever asked, a run shows the message as the batch is now, unless that is what it shows.
      if (current && !stillAsPosted(batch)) await this.showAsStored(current);
    } finally {
      clearInterval(renewal);
      await renewing;
      await this.store.releaseLease(lease);
    }
  }

  private async showAsStored(send: SendRecord): Promise<void> {
    if (send.notification) {
      const moved = await this.notifier.update(send);
      if (moved) await this.store.setNotification(send.id, moved);
      return;
    }
    const ref = await this.notifier.post(send);
    if (ref) await this.store.setNotification(send.id, ref);
  }
}
