/**
 * Prometheus metrics: how sends end, how long Jelou takes, how fast Slack gets its
 * acknowledgement (it gives up after 3 seconds). One registry per app, so tests and a second
 * app in the same process never share counters.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type Metrics = Readonly<{
  registry: Registry;
  /** Sends by how they ended: sent, failed, unknown. */
  sends: Counter<'outcome'>;
  /** Time Jelou took per send (retries included), by outcome. */
  jelouSeconds: Histogram<'outcome'>;
  /** Time from a Slack request arriving to its acknowledgement leaving (HTTP mode). */
  ackSeconds: Histogram;
}>;

export function createMetrics(): Metrics {
  const registry = new Registry();
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
  };
}
