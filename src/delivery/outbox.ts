/**
 * The outbox worker. Sends are committed as `pending` before Slack is answered; this worker
 * claims them (several at once, in one statement, so replicas sharing a store never take the
 * same send) and delivers them with bounded concurrency, in the order they were made. Each claim
 * carries this replica's lease, renewed while the send is worked on. On start, and every few
 * seconds after, it settles what a crash left behind: sends caught `sending` by an owner that is
 * gone become `unknown` (they may have reached the customer, so they are never re-sent silently)
 * and their notifications say so. Other replicas' new work wakes it (LISTEN/NOTIFY on PostgreSQL);
 * polling covers a missed wake-up. On stop it takes no new work and gives sends in flight a
 * bounded time to finish.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode, sentenceFor } from '../errors.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../ops/metrics.js';
import type { SendStore } from '../store/types.js';
import type { DeliveryService } from './service.js';

export type OutboxOptions = Readonly<{
  store: Pick<SendStore, 'claimDue' | 'renewLeases' | 'interruptInFlight' | 'takeUnshown' | 'listen'>;
  delivery: Pick<DeliveryService, 'deliverClaimed' | 'show' | 'beingShown'>;
  logger: Logger;
  /** Sends delivered at once. Jelou publishes no rate limit; 8 keeps a burst well within reason. */
  concurrency?: number;
  /** How often the worker looks for pending sends on its own, in case a wake-up was missed. */
  pollMs?: number;
  /** How often this replica renews the leases of the sends it is working on (a third of the lease). */
  renewMs?: number;
  /** How often it looks for sends cut off at a replica that is gone. */
  sweepMs?: number;
  metrics?: Pick<Metrics, 'sends' | 'leaseTakeovers'> | undefined;
}>;

export class Outbox {
  readonly #store: OutboxOptions['store'];
  readonly #delivery: OutboxOptions['delivery'];
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #renewMs: number;
  readonly #sweepMs: number;
  readonly #metrics: OutboxOptions['metrics'];
  #timers: NodeJS.Timeout[] = [];
  #sweeping: Promise<void> | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  readonly #inFlight = new Map<string, Promise<void>>();
  #draining: Promise<void> | undefined;
  #wakeAgain = false;
  #stopped = false;

  constructor(options: OutboxOptions) {
    this.#store = options.store;
    this.#delivery = options.delivery;
    this.#logger = options.logger.child({ component: 'outbox' });
    this.#concurrency = options.concurrency ?? 8;
    this.#pollMs = options.pollMs ?? 5_000;
    this.#renewMs = options.renewMs ?? 10_000;
    this.#sweepMs = options.sweepMs ?? 10_000;
    this.#metrics = options.metrics;
  }

  /** Settles sends a crash interrupted, then starts delivering. Call once, at start. */
  async start(): Promise<void> {
    await this.#settle();
    try {
      this.#unlisten = await this.#store.listen(() => this.kick());
    } catch (error) {
      this.#logger.warn({ err: error }, 'not listening for new work; polling only');
    }
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#pollMs, () => this.kick());
    every(this.#renewMs, () => void this.#renew());
    every(this.#sweepMs, () => {
      this.#sweeping ??= this.#settle()
        .catch((error: unknown) => this.#logger.error({ err: error }, 'could not settle interrupted sends'))
        .finally(() => {
          this.#sweeping = undefined;
        });
    });
    this.kick();
  }

  /**
   * Sends cut off at an owner that is gone become unknown, and their messages say so. Each is
   * handed to one replica only, so its message is updated once.
   */
  async #settle(): Promise<void> {
    const interrupted = await this.#store.interruptInFlight({
      errorCode: ErrorCode.SendInterrupted,
      reason: sentenceFor(ErrorCode.SendInterrupted),
    });
    // Finished, but their owner vanished before the message showed it: it still says "Sending…".
    const unshown = await this.#store.takeUnshown();
    if (interrupted.length === 0 && unshown.length === 0) return;
    if (interrupted.length > 0) {
      this.#logger.warn({ count: interrupted.length }, 'sends interrupted by a restart or a lost replica');
    }
    if (unshown.length > 0)
      this.#logger.warn({ count: unshown.length }, 'showing results a lost replica did not');
    this.#metrics?.leaseTakeovers.inc(interrupted.length + unshown.length);
    // A batch's sends share one message, which shows them all: update it once.
    const shown = new Set<string>();
    for (const send of [...interrupted, ...unshown]) {
      const message = send.batchId ?? send.id;
      if (shown.has(message)) continue;
      shown.add(message);
      // Posted afresh when the crash came before "Sending…" was posted (or its place recorded).
      await this.#delivery.show(send);
    }
  }

  async #renew(): Promise<void> {
    // A finished send stays this replica's until its message shows the result.
    const ids = [...new Set([...this.#inFlight.keys(), ...this.#delivery.beingShown()])];
    if (ids.length === 0) return;
    try {
      const held = new Set(await this.#store.renewLeases(ids));
      const lost = ids.filter((id) => !held.has(id) && this.#inFlight.has(id));
      // Finished meanwhile, or settled by another replica after this one stalled past its lease.
      if (lost.length > 0) this.#logger.debug({ lost }, 'leases not renewed');
    } catch (error) {
      this.#logger.error({ err: error }, 'could not renew leases');
    }
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
    for (const timer of this.#timers) clearInterval(timer);
    await this.#unlisten?.();
    await this.#sweeping;
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
      const claimed = await this.#store.claimDue(this.#concurrency - this.#inFlight.size);
      if (claimed.length === 0) return;
      for (const send of claimed) {
        const run = this.#delivery.deliverClaimed(send).finally(() => {
          this.#inFlight.delete(send.id);
          this.kick();
        });
        this.#inFlight.set(send.id, run);
      }
    }
  }
}
