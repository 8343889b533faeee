/**
 * The hourly clean-up: sends older than the retention period (they hold customers' names and
 * numbers), drafts of abandoned modals, and request signatures past Slack's replay window. Once
 * across the cluster: the replica holding the lease prunes; the others skip that round.
 */
import type { Logger } from '../logging.js';
import type { MaintenanceStore } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Often enough that a draft (customers' names and numbers) outlives its modal by an hour at most. */
export const PRUNE_EVERY_MS = HOUR_MS;
/** Held a little less than a round, so the holder renews it each round and another takes over after it is gone. */
const PRUNE_LEASE_MS = PRUNE_EVERY_MS - 5 * 60 * 1000;
/**
 * A draft holds a modal's cards and recipients between its views. Two hours covers any modal a
 * person is still working in; a Send on an older one says the form is out of date.
 */
export const DRAFT_MAX_AGE_MS = 2 * HOUR_MS;

export type PruningOptions = Readonly<{
  store: Pick<MaintenanceStore, 'tryLease' | 'deleteOlderThan' | 'deleteDraftsOlderThan'> & {
    forgetExpiredSignatures(): Promise<number>;
  };
  retentionDays: number;
  logger: Logger;
  now?: (() => number) | undefined;
}>;

/** One round of pruning, if this replica holds the lease for it. */
export async function prune(options: PruningOptions): Promise<void> {
  const { store, logger, retentionDays } = options;
  const now = options.now ?? Date.now;
  if (!(await store.tryLease('prune', PRUNE_LEASE_MS))) return;
  const removed = await store.deleteOlderThan(new Date(now() - retentionDays * DAY_MS));
  if (removed > 0) logger.info({ removed, retentionDays }, 'removed old sends');
  const drafts = await store.deleteDraftsOlderThan(new Date(now() - DRAFT_MAX_AGE_MS));
  await store.forgetExpiredSignatures();
  if (drafts > 0) logger.info({ removed: drafts }, 'removed abandoned drafts');
}

/**
 * Prunes now, then every hour, without holding up the start: after a long stop the first round
 * may have many rows to delete, and on PostgreSQL its four statements cost a fresh pooled
 * connection (BENCHMARKS.md). Returns the function that stops it once the round under way ends, so
 * the store is not closed under it.
 */
export function startPruning(options: PruningOptions): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const round = () => {
    running = prune(options).catch((error: unknown) =>
      options.logger.error({ err: error }, 'pruning failed'),
    );
  };
  round();
  const timer = setInterval(round, PRUNE_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
