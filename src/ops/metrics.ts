/**
 * Prometheus metrics: how sends end, how long Jelou takes, how fast Slack gets its
 * acknowledgement (it gives up after 3 seconds). One registry per app, so tests and a second
 * app in the same process never share counters.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type Metrics = Readonly<{
  registry: Registry;
  /** Sends by how they ended: sent, failed, unknown. */
  sends: Counter<'outcome'>;
  /** Time Jelou took per send (retries included), by outcome. */
  jelouSeconds: Histogram<'outcome'>;
  /** Time from a Slack request arriving to its acknowledgement leaving (HTTP mode). */
  ackSeconds: Histogram;
  /** Sends cut off at a replica that is gone (its lease ran out), settled as unknown here. */
  leaseTakeovers: Counter;
  /** Sends waiting in the outbox, across every replica sharing the store. */
  outboxBacklog: Gauge;
  /** Age of the oldest send waiting in the outbox, in seconds (0 when none waits). */
  oldestPendingSeconds: Gauge;
}>;

/** What the backlog gauges read, when Prometheus scrapes. */
export type BacklogSource = () => Promise<{ pending: number; oldestPendingAt: string | undefined }>;

export function createMetrics(backlog?: BacklogSource): Metrics {
  const registry = new Registry();
  // One read of the store per scrape serves both gauges.
  let reading: Promise<{ pending: number; oldestPendingAt: string | undefined }> | undefined;
  const read = () => {
    reading ??= (backlog ?? (async () => ({ pending: 0, oldestPendingAt: undefined })))().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  collectDefaultMetrics({ register: registry, prefix: 'jelou_card_' });
  return {
    registry,
    sends: new Counter({
      name: 'jelou_card_sends_total',
      help: 'Contact card sends by how they ended (sent, failed, unknown).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    jelouSeconds: new Histogram({
      name: 'jelou_card_jelou_request_duration_seconds',
      help: 'Time Jelou took to answer a send, retries included.',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    ackSeconds: new Histogram({
      name: 'jelou_card_ack_duration_seconds',
      help: 'Time from a Slack request arriving to its acknowledgement (Slack gives up at 3 s).',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: [registry],
    }),
    leaseTakeovers: new Counter({
      name: 'jelou_card_lease_takeovers_total',
      help: 'Sends of a replica that stopped renewing its lease: settled here as unknown, or their result shown here.',
      registers: [registry],
    }),
    outboxBacklog: new Gauge({
      name: 'jelou_card_outbox_backlog',
      help: 'Sends waiting to be delivered, across every replica sharing the store.',
      registers: [registry],
      async collect() {
        this.set((await read()).pending);
      },
    }),
    oldestPendingSeconds: new Gauge({
      name: 'jelou_card_outbox_oldest_pending_seconds',
      help: 'Age of the oldest send waiting to be delivered (0 when none waits).',
      registers: [registry],
      async collect() {
        const { oldestPendingAt } = await read();
        this.set(oldestPendingAt ? Math.max(0, (Date.now() - Date.parse(oldestPendingAt)) / 1000) : 0);
      },
    }),
  };
}
