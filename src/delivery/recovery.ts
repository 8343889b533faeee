/**
 * The outbox's sweep: settles what a crash, or a replica that vanished, left behind. Run at start
 * and every few seconds after (the outbox schedules it). Sends caught `sending` by an owner whose
 * lease ran out become `unknown`: they may have reached the customer, so they are never re-sent
 * silently, and their messages say so. Sends that finished but whose message still says
 * "Sending…" are shown.
 */
import { ErrorCode, sentenceFor } from '../errors.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../ops/metrics.js';
import type { SendStore } from '../store/types.js';
import type { DeliveryService } from './service.js';

export type RecoveryOptions = Readonly<{
  store: Pick<SendStore, 'interruptInFlight' | 'takeUnshown'>;
  delivery: Pick<DeliveryService, 'show'>;
  logger: Logger;
  metrics?: Pick<Metrics, 'leaseTakeovers'> | undefined;
}>;

export class Recovery {
  constructor(private readonly options: RecoveryOptions) {}

  /**
   * Sends cut off at an owner that is gone become unknown, and their messages say so. Each is
   * handed to one replica only, so its message is updated once.
   */
  async settle(): Promise<void> {
    const { store, delivery, logger, metrics } = this.options;
    const interrupted = await store.interruptInFlight({
      errorCode: ErrorCode.SendInterrupted,
      reason: sentenceFor(ErrorCode.SendInterrupted),
    });
    // Finished, but their owner vanished before the message showed it: it still says "Sending…".
    const unshown = await store.takeUnshown();
    if (interrupted.length === 0 && unshown.length === 0) return;
    if (interrupted.length > 0) {
      logger.warn({ count: interrupted.length }, 'sends interrupted by a restart or a lost replica');
    }
    if (unshown.length > 0)
      logger.warn({ count: unshown.length }, 'showing results their messages did not show yet');
    metrics?.leaseTakeovers.inc(interrupted.length + unshown.length);
    // Shown side by side: the sends of one batch share its message, so their requests share runs.
    // Each is let go once its message shows it; one that Slack cannot take now is taken again.
    await Promise.all([...interrupted, ...unshown].map((send) => delivery.show(send)));
  }
}
