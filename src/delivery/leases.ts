/**
 * The outbox's lease renewal: a replica holds a lease on each send it is working on, and renews
 * them all every third of a lease (the outbox schedules it), so one late renewal never loses one.
 * A send whose lease ran out is taken by a sweep (recovery.ts): settled as `unknown` if it was
 * being sent, shown if it had finished and its message did not say so yet.
 */
import type { Logger } from '../logging.js';
import type { SendStore } from '../store/types.js';

export type LeaseRenewalOptions = Readonly<{
  store: Pick<SendStore, 'renewLeases'>;
  logger: Logger;
  /** The sends this replica holds: being delivered, or finished and waiting for their message to show it. */
  held: () => readonly string[];
}>;

/** Renews this replica's leases on the sends it holds; never throws (a failure is logged). */
export async function renewLeases(options: LeaseRenewalOptions): Promise<void> {
  const ids = [...options.held()];
  if (ids.length === 0) return;
  try {
    const renewed = new Set(await options.store.renewLeases(ids));
    const stillHeld = new Set(options.held());
    const lost = ids.filter((id) => !renewed.has(id) && stillHeld.has(id));
    // Finished meanwhile, or settled by another replica after this one stalled past its lease.
    if (lost.length > 0) options.logger.debug({ lost }, 'leases not renewed');
  } catch (error) {
    options.logger.error({ err: error }, 'could not renew leases');
  }
}
