/**
 * The outbox worker. Sends are committed as `pending` before Slack is answered; this worker
 * delivers them with bounded concurrency, in the order they were made. On start it first settles
 * what a crash left behind: sends caught `sending` become `unknown` (they may have reached the
 * customer, so they are never re-sent silently) and their notifications say so; pending sends are
 * then delivered. On stop it takes no new work and gives sends in flight a bounded time to finish.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode, sentenceFor } from '../errors.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../ops/metrics.js';
import type { SendStore } from '../store/types.js';
import type { DeliveryService } from './service.js';

export type OutboxOptions = Readonly<{
  store: Pick<SendStore, 'pending' | 'interruptInFlight'>;
  delivery: Pick<DeliveryService, 'deliver' | 'show'>;
  logger: Logger;
  /** Sends delivered at once. Jelou publishes no rate limit; 8 keeps a burst well within reason. */
  concurrency?: number;
  /** How often the worker looks for pending sends on its own, in case a wake-up was missed. */
  pollMs?: number;
  metrics?: Pick<Metrics, 'sends'> | undefined;
}>;

export class Outbox {
  readonly #store: OutboxOptions['store'];
  readonly #delivery: OutboxOptions['delivery'];
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #metrics: OutboxOptions['metrics'];
  readonly #inFlight = new Map<string, Promise<void>>();
  #draining: Promise<void> | undefined;
  #wakeAgain = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: OutboxOptions) {
    this.#store = options.store;
    this.#delivery = options.delivery;
    this.#logger = options.logger.child({ component: 'outbox' });
    this.#concurrency = options.concurrency ?? 8;
    this.#pollMs = options.pollMs ?? 5_000;
    this.#metrics = options.metrics;
  }

  /** Settles sends a crash interrupted, then starts delivering. Call once, at start. */
  async start(): Promise<void> {
    const interrupted = await this.#store.interruptInFlight({
      errorCode: ErrorCode.SendInterrupted,
      reason: sentenceFor(ErrorCode.SendInterrupted),
    });
    if (interrupted.length > 0)
      this.#logger.warn({ count: interrupted.length }, 'sends interrupted by a restart');
    // A batch's sends share one message, which shows them all: update it once.
    const shown = new Set<string>();
    for (const send of interrupted) {
      const message = send.batchId ?? send.id;
      if (shown.has(message)) continue;
      shown.add(message);
      // Posted afresh when the crash came before "Sending…" was posted (or its place recorded).
      await this.#delivery.show(send);
    }
    this.#timer = setInterval(() => this.kick(), this.#pollMs);
    this.#timer.unref();
    this.kick();
  }

  /** Wakes the worker: pending sends are picked up, up to the concurrency bound. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#draining) {
      this.#wakeAgain = true;
      return;
    }
    this.#draining = this.#drain()
      .catch((error: unknown) => this.#logger.error({ err: error }, 'could not read pending sends'))
      .finally(() => {
        this.#draining = undefined;
        if (this.#wakeAgain) {
          this.#wakeAgain = false;
          this.kick();
        }
      });
  }

  /** Sends being delivered right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Takes no new work and waits up to `graceMs` for sends in flight. Any still running are left
   * `sending`; the next start marks them `unknown`, so none is lost or silently repeated.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    const running = [...this.#inFlight.values()];
    if (running.length === 0) return;
    this.#logger.info({ inFlight: running.length, graceMs }, 'waiting for sends in flight');
    const grace = new AbortController();
    await Promise.race([
      Promise.all(running),
      delay(graceMs, undefined, { signal: grace.signal }).catch(() => {}),
    ]);
    grace.abort();
  }

  async #drain(): Promise<void> {
    while (!this.#stopped && this.#inFlight.size < this.#concurrency) {
      const ids = (await this.#store.pending(this.#concurrency * 2)).filter((id) => !this.#inFlight.has(id));
      if (ids.length === 0) return;
      for (const id of ids.slice(0, this.#concurrency - this.#inFlight.size)) {
        const run = this.#delivery.deliver(id).finally(() => {
          this.#inFlight.delete(id);
          this.kick();
        });
        this.#inFlight.set(id, run);
      }
    }
  }
}
