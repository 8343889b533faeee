/**
 * The outbox worker. Sends are committed as `pending` before Slack is answered; this worker
 * claims them (several at once, in one statement, so replicas sharing a store never take the
 * same send) and delivers them with bounded concurrency, in the order they were made. Each claim
 * carries this replica's lease, renewed while the send is worked on. On start, and every few
 * seconds after, it settles what a crash left behind: sends caught `sending` by an owner that is
 * gone become `unknown` (they may have reached the customer, so they are never re-sent silently)
 * and their notifications say so. Other replicas' new work wakes it (LISTEN/NOTIFY on PostgreSQL);
 * polling covers a missed wake-up. On stop it takes no new work and gives sends in flight a
 * bounded time to finish. Its periodic jobs are modules of their own: the sweep (recovery.ts)
 * and lease renewal (leases.ts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../logging.js';
import type { Metrics } from '../ops/metrics.js';
import type { SendStore } from '../store/types.js';
import { renewLeases } from './leases.js';
import { Recovery } from './recovery.js';
import type { DeliveryService } from './service.js';

export type OutboxOptions = Readonly<{
  store: Pick<SendStore, 'claimDue' | 'renewLeases' | 'interruptInFlight' | 'takeUnshown' | 'listen'>;
  delivery: Pick<DeliveryService, 'deliverClaimed' | 'show' | 'beingShown' | 'settle'>;
  logger: Logger;
  /** Sends delivered at once. Jelou publishes no rate limit; 8 keeps a burst well within reason. */
  concurrency?: number;
  /** How often the worker looks for pending sends on its own, in case a wake-up was missed. */
  pollMs?: number;
  /** How often this replica renews the leases of the sends it is working on (a third of the lease). */
  renewMs?: number;
  /** How often it looks for sends cut off at a replica that is gone. */
  sweepMs?: number;
  metrics?: Pick<Metrics, 'leaseTakeovers'> | undefined;
}>;

export class Outbox {
  readonly #store: OutboxOptions['store'];
  readonly #delivery: OutboxOptions['delivery'];
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #renewMs: number;
  readonly #sweepMs: number;
  readonly #recovery: Recovery;
  #timers: NodeJS.Timeout[] = [];
  #renewal: NodeJS.Timeout | undefined;
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
    this.#recovery = new Recovery({
      store: options.store,
      delivery: options.delivery,
      logger: this.#logger,
      metrics: options.metrics,
    });
  }

  /** Settles sends a crash interrupted, then starts delivering. Call once, at start. */
  async start(): Promise<void> {
    // The LISTEN connection (PostgreSQL) is opened while the sweep runs rather than after it: each
    // is a round trip or more that the start would otherwise wait for in turn. A notice heard
    // before the sweep ends is not acted on; the kick at the end of start() finds that work.
    let settled = false;
    const listening = this.#store
      .listen(() => {
        if (settled) this.kick();
      })
      .then(
        (unlisten) => {
          this.#unlisten = unlisten;
        },
        (error: unknown) => this.#logger.warn({ err: error }, 'not listening for new work; polling only'),
      );
    try {
      await this.#recovery.settle();
    } catch (error) {
      // The start fails: the connection opened beside the sweep must not outlive it.
      await listening;
      await this.#unlisten?.();
      this.#unlisten = undefined;
      throw error;
    }
    await listening;
    settled = true;
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#pollMs, () => this.kick());
    // Kept apart: it runs until stop() has let every result still being shown finish.
    this.#renewal = setInterval(
      () =>
        void renewLeases({
          store: this.#store,
          logger: this.#logger,
          // A finished send stays this replica's until its message shows the result.
          held: () => [...new Set([...this.#inFlight.keys(), ...this.#delivery.beingShown()])],
        }),
      this.#renewMs,
    );
    this.#renewal.unref();
    every(this.#sweepMs, () => {
      this.#sweeping ??= this.#recovery
        .settle()
        .catch((error: unknown) => this.#logger.error({ err: error }, 'could not settle interrupted sends'))
        .finally(() => {
          this.#sweeping = undefined;
        });
    });
    // Resolves once the first look for pending sends has been made (not their deliveries), so a
    // replica that has started has claimed what was waiting, and claims nothing later than that
    // until it is told of new work or polls.
    this.kick();
    await this.#draining;
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
   * Takes no new work and waits up to `graceMs`, in all, for sends in flight and then for results
   * still on their way to Slack, renewing their leases meanwhile (or another replica would show
   * them too). Any still running are left `sending`; the next start marks them `unknown`, so none
   * is lost or silently repeated; a result not yet shown is shown by the next sweep anywhere.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    const deadline = Date.now() + graceMs;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#unlisten?.();
    await this.#sweeping;
    const running = [...this.#inFlight.values()];
    if (running.length > 0) {
      this.#logger.info({ inFlight: running.length, graceMs }, 'waiting for sends in flight');
      const grace = new AbortController();
      await Promise.race([
        Promise.all(running),
        delay(graceMs, undefined, { signal: grace.signal }).catch(() => {}),
      ]);
      grace.abort();
    }
    await this.#delivery.settle(Math.max(0, deadline - Date.now()));
    clearInterval(this.#renewal);
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
