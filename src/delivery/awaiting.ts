/**
 * Cards that wait for the customer's reply to a template, and receipts of sent cards.
 *
 * A card WhatsApp's 24-hour window refused can wait (`awaiting_reply`) behind an approved template
 * a person picked; the card goes by itself once the customer writes back. The reply is heard two
 * ways, so it works in both Slack modes and without a public URL: Jelou's notification URL
 * (`handle`, from POST /jelou/events) and polling the bot's history for the customers a card
 * awaits (`tick`). Whichever sees it first releases the card; the store's guarded update lets only
 * one of them do so, and the outbox sends it once. A card still waiting after AWAIT_REPLY_HOURS
 * fails with Retry.
 *
 * Receipts (delivered to WhatsApp, to the phone, read, replied, or failed after acceptance) come
 * from the same events and, for cards no event told about, from Jelou's notifications endpoint,
 * polled for a bounded time after the send.
 *
 * The periodic work runs on one replica at a time (a cluster lease), and backs off while Jelou
 * answers 429.
 */
import { ErrorCode, sentenceFor } from '../errors.js';
import type { JelouEvent, JelouEvents } from '../jelou/events.js';
import { withJelouDescription } from '../jelou/reasons.js';
import type { TemplateApi } from '../jelou/templates.js';
import type { Logger } from '../logging.js';
import type { SendRecord, SendStore } from '../store/types.js';
import type { DeliveryService } from './service.js';
import type { Submission } from './submission.js';

/** Customers whose replies one poll looks for: one history page covers them, however many. */
const MAX_AWAITED_PER_POLL = 200;
/** The longest a backed-off poll waits. */
const MAX_BACKOFF_MS = 10 * 60_000;
/** Time one poll may spend on Jelou. */
const POLL_BUDGET_MS = 5_000;
const LEASE_NAME = 'awaiting-replies';
/**
 * Receipts are polled for a day after the send: delivery and reading mostly happen within it, and
 * a bounded window keeps the requests bounded. Events from the notification URL need no polling.
 */
const RECEIPT_POLL_WINDOW_MS = 24 * 60 * 60_000;
/** Cards whose receipts one round asks about: one request each. */
const RECEIPTS_PER_ROUND = 10;

export type TemplateChoice = Readonly<{
  elementName: string;
  language: string;
  parameters: readonly string[];
}>;

export type AwaitingOptions = Readonly<{
  store: SendStore;
  templates: Pick<TemplateApi, 'send'>;
  events: Pick<JelouEvents, 'lastWrites' | 'statusOf'>;
  delivery: Pick<DeliveryService, 'show' | 'refresh' | 'submit'>;
  /** Wakes the outbox when a card is released. */
  wake: () => void;
  logger: Logger;
  awaitReplyMs: number;
  pollMs: number;
  now?: (() => Date) | undefined;
}>;

export class AwaitingReplies {
  readonly #store: SendStore;
  readonly #templates: AwaitingOptions['templates'];
  readonly #events: AwaitingOptions['events'];
  readonly #delivery: AwaitingOptions['delivery'];
  readonly #wake: () => void;
  readonly #logger: Logger;
  readonly #awaitReplyMs: number;
  readonly #pollMs: number;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** Consecutive 429s from Jelou: each doubles the wait before the next poll. */
  #rateLimited = 0;
  #nextPollAt = 0;

  constructor(options: AwaitingOptions) {
    this.#store = options.store;
    this.#templates = options.templates;
    this.#events = options.events;
    this.#delivery = options.delivery;
    this.#wake = options.wake;
    this.#logger = options.logger.child({ component: 'awaiting' });
    this.#awaitReplyMs = options.awaitReplyMs;
    this.#pollMs = options.pollMs;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Puts a failed card to wait behind `template` (before Slack is answered, so the choice is
   * recorded); `undefined` when the card is not failed any more (retried, or already waiting).
   */
  begin(sendId: string, template: string): Promise<SendRecord | undefined> {
    return this.#store.awaitReply(sendId, {
      template,
      until: new Date(this.#now().getTime() + this.#awaitReplyMs),
    });
  }

  /**
   * "Send a template first" on a preview whose window is known closed: the card's sends are
   * recorded already waiting behind the template (all or none, once per submission key) before
   * Slack is answered (`acknowledge`); after that, the template is sent and the message posted.
   * A repeated request finds its sends recorded and sends nothing again.
   */
  async submitAhead(
    submission: Submission,
    choice: TemplateChoice,
    acknowledge: () => Promise<void>,
  ): ReturnType<DeliveryService['submit']> {
    const submitted = await this.#delivery.submit(submission, acknowledge, {
      template: choice.elementName,
      until: new Date(this.#now().getTime() + this.#awaitReplyMs),
    });
    if (submitted.recorded) for (const send of submitted.sends) await this.sendTemplate(send, choice);
    return submitted;
  }

  /**
   * Sends the template of a card `begin` (or `submitAhead`) put to wait, records what Jelou said and shows it. Sent
   * once, never retried on its own: a template whose answer was lost may have reached the customer.
   */
  async sendTemplate(send: SendRecord, choice: TemplateChoice): Promise<void> {
    // "Sending the template…" goes to Slack while Jelou is asked, never before it.
    const showing = this.#delivery.refresh(send);
    const outcome = await this.#templates.send({
      elementName: choice.elementName,
      language: choice.language,
      destination: send.recipientId,
      parameters: choice.parameters,
    });
    await showing;
    let shown: SendRecord | undefined;
    if (outcome.kind === 'sent') {
      shown = await this.#store.templateSent(send.id, outcome.messageId);
    } else if (outcome.kind === 'refused') {
      const reason = withJelouDescription(sentenceFor(ErrorCode.TemplateRefused), outcome.description);
      shown = await this.#store.templateRefused(send.id, { errorCode: ErrorCode.TemplateRefused, reason });
      if (shown) await this.#delivery.show(shown);
      return;
    } else {
      shown = await this.#store.templateUnconfirmed(send.id, {
        errorCode: outcome.code,
        reason: outcome.reason ?? sentenceFor(ErrorCode.Unexpected),
      });
    }
    this.#logger.info({ sendId: send.id, outcome: outcome.kind }, 'template sent ahead of a card');
    // Undefined: the customer answered (or someone cancelled) while Jelou was being asked.
    if (shown) await this.#delivery.refresh(shown);
  }

  /** Events from the notification URL: replies release cards, receipts are recorded and shown. */
  async handle(events: readonly JelouEvent[]): Promise<void> {
    for (const event of events) await this.#apply(event);
  }

  async #apply(event: JelouEvent): Promise<void> {
    if (event.kind === 'reply') {
      // The template answered names the customer most surely; else the event's own destination.
      const waiting = event.messageId ? await this.#store.awaitingByTemplate(event.messageId) : undefined;
      const recipient = waiting?.recipientId ?? event.destination;
      if (recipient !== undefined) await this.replied(recipient, event.at ?? this.#now());
      // A reply to the card itself is its furthest receipt.
      if (event.messageId) await this.#receipt(event.messageId, 'replied');
      return;
    }
    if (event.kind === 'receipt') {
      await this.#receipt(event.messageId, event.receipt);
      return;
    }
    const failedAs = (code: ErrorCode) => ({
      errorCode: code,
      reason: withJelouDescription(sentenceFor(code), event.description),
    });
    // A sent card, or the template a card waits on: otherwise that card would keep saying
    // "waiting for them to answer" until its wait ran out.
    const failed =
      (await this.#store.failedAfterAcceptance(event.messageId, failedAs(ErrorCode.FailedAfterAcceptance))) ??
      (await this.#store.templateFailed(event.messageId, failedAs(ErrorCode.TemplateFailed)));
    if (failed) {
      this.#logger.warn({ sendId: failed.id }, 'jelou reports a sent card failed');
      await this.#delivery.show(failed);
    } else this.#logger.debug({ kind: event.kind }, 'an event for no sent card; ignored');
  }

  async #receipt(messageId: string, receipt: Parameters<SendStore['recordReceipt']>[1]): Promise<void> {
    const updated = await this.#store.recordReceipt(messageId, receipt);
    if (updated) await this.#delivery.refresh(updated);
  }

  /** The customer `recipientId` wrote at `at`: cards awaiting them are released and sent. */
  async replied(recipientId: string, at: Date): Promise<void> {
    const released = await this.#store.replied(recipientId, at);
    if (released.length === 0) return;
    this.#logger.info({ sendIds: released.map((send) => send.id) }, 'customer answered; sending the card');
    this.#wake();
  }

  /** Starts the periodic expiry and polling; runs once right away (a restart may have missed a reply). */
  start(): void {
    const run = () => {
      this.#running ??= this.tick()
        .catch((error: unknown) => this.#logger.error({ err: error }, 'awaiting replies: a round failed'))
        .finally(() => {
          this.#running = undefined;
        });
    };
    this.#timer = setInterval(run, this.#pollMs);
    this.#timer.unref();
    run();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One round, on the one replica holding the lease: expire late waits, then look for replies. */
  async tick(): Promise<void> {
    // Held a little longer than a round, so the holder keeps it and another takes over after it is gone.
    if (!(await this.#store.tryLease(LEASE_NAME, this.#pollMs * 3))) return;
    const expired = await this.#store.expireAwaiting({
      errorCode: ErrorCode.ReplyNeverCame,
      reason: sentenceFor(ErrorCode.ReplyNeverCame),
    });
    for (const send of expired) {
      this.#logger.info({ sendId: send.id }, 'no reply to the template in time; the card failed');
      await this.#delivery.show(send);
    }
    await this.#poll();
  }

  /** Jelou answered 429: every poll waits, twice as long each time, and never less than Retry-After. */
  #slowDown(retryAfterMs: number | undefined): void {
    this.#rateLimited++;
    const backoff = Math.min(MAX_BACKOFF_MS, this.#pollMs * 2 ** this.#rateLimited);
    const wait = Math.max(backoff, retryAfterMs ?? 0);
    this.#nextPollAt = this.#now().getTime() + wait;
    this.#logger.warn({ waitMs: wait }, 'jelou asked to slow down; polling later');
  }

  async #poll(): Promise<void> {
    if (this.#now().getTime() < this.#nextPollAt) return;
    if (!(await this.#pollReplies())) return;
    await this.#pollReceipts();
  }

  /** Looks for replies of the customers cards await; false when Jelou asked to slow down. */
  async #pollReplies(): Promise<boolean> {
    const awaited = await this.#store.awaitedRecipients(MAX_AWAITED_PER_POLL);
    if (awaited.length === 0) return true;
    const answer = await this.#events.lastWrites(new Set(awaited.map((a) => a.recipientId)), POLL_BUDGET_MS);
    if (answer.kind === 'rate_limited') {
      this.#slowDown(answer.retryAfterMs);
      return false;
    }
    this.#rateLimited = 0;
    if (answer.kind !== 'ok') return true;
    for (const { recipientId, since } of awaited) {
      const wrote = answer.value.get(recipientId);
      if (wrote !== undefined && wrote.toISOString() >= since) await this.replied(recipientId, wrote);
    }
    return true;
  }

  /** Asks Jelou's notifications about recent cards whose receipts may still move. */
  async #pollReceipts(): Promise<void> {
    const since = new Date(this.#now().getTime() - RECEIPT_POLL_WINDOW_MS);
    const sends = await this.#store.receiptsToPoll(since, RECEIPTS_PER_ROUND);
    for (const send of sends) {
      if (send.messageId === undefined) continue;
      const answer = await this.#events.statusOf(send.messageId, POLL_BUDGET_MS);
      if (answer.kind === 'rate_limited') {
        this.#slowDown(answer.retryAfterMs);
        return;
      }
      this.#rateLimited = 0;
      // Unknown to the endpoint (it may cover templates only): nothing to show.
      if (answer.kind === 'ok' && answer.value) await this.#apply(answer.value);
    }
  }
}
