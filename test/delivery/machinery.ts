/**
 * The delivery machinery as the app builds it (store, Jelou client, notifier, delivery, outbox),
 * for unit tests: a real store on a database of the test's choosing, whose clock the test moves;
 * loopback stand-ins for Slack and Jelou where the app talks HTTP. Nothing of ours is mocked.
 */
import { webApi } from '@slack/bolt';
import type { ContactsMessage } from '../../src/card/index.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { Recovery } from '../../src/delivery/recovery.js';
import { DeliveryService } from '../../src/delivery/service.js';
import type { Submission } from '../../src/delivery/submission.js';
import { createLogger } from '../../src/logging.js';
import { Notifier } from '../../src/slack/notifier.js';
import type { SqlSendStore } from '../../src/store/sql.js';
import { makeClient } from '../jelou/helpers.js';
import type { TestDatabase } from '../store/stores.js';
import { type JelouStandIn, startJelouStandIn } from '../support/jelou-standin.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';

export const logger = createLogger({ level: 'silent' });
export const LEASE_MS = 30_000;
export const START = '2026-12-01T14:30:00.000Z';

/** A card to `userId`, as the preview builds it. */
export function card(userId: string, name = 'Juan Pérez'): ContactsMessage {
  return {
    type: 'contacts',
    userId,
    contacts: [{ name: { formatted_name: name, first_name: name.split(' ')[0] ?? name } }],
  };
}

/** A submission to each of `userIds`, keyed `key`. */
export function submission(key: string, ...userIds: string[]): Submission {
  return {
    key,
    teamId: 'T1',
    requestedBy: 'U0ALICE',
    channelId: 'C0SUPPORT',
    cardName: 'Juan Pérez',
    locale: 'es',
    to: userIds.map((userId) => ({ message: card(userId), label: `Customer ${userId}` })),
  };
}

/** One replica: its own store (own lease owner) on the shared database, its delivery and outbox. */
export type Replica = Readonly<{
  store: SqlSendStore;
  delivery: DeliveryService;
  outbox: Outbox;
  recovery: Recovery;
  /** How often delivery woke the outbox (DeliveryService's `wake`). */
  wakes: () => number;
}>;

export type Machinery = Readonly<{
  database: TestDatabase;
  slack: SlackStandIn;
  jelou: JelouStandIn;
  /** The stores' clock (and delivery's): moved only by `advance`. */
  now: () => Date;
  advance(ms: number): void;
  replica(options?: { retryWindowMs?: number; concurrency?: number }): Promise<Replica>;
  close(): Promise<void>;
}>;

export async function machinery(createDatabase: () => Promise<TestDatabase>): Promise<Machinery> {
  const database = await createDatabase();
  const slack = await startSlackStandIn();
  // Slack's rate limits are the notifier tests' subject; here they would only slow things down.
  slack.model.rateLimits = false;
  const jelou = await startJelouStandIn();
  let clock = new Date(START);
  const now = () => clock;
  const closing: (() => Promise<void>)[] = [];
  return {
    database,
    slack,
    jelou,
    now,
    advance(ms) {
      clock = new Date(clock.getTime() + ms);
    },
    async replica(options = {}) {
      const store = database.open({ now, leaseMs: LEASE_MS });
      await store.ready();
      const { client } = makeClient(jelou.url);
      const web = new webApi.WebClient('xoxb-test', {
        slackApiUrl: slack.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      });
      let wakes = 0;
      const delivery: DeliveryService = new DeliveryService({
        store,
        jelou: client,
        notifier: new Notifier(web, logger, store),
        logger,
        dryRun: false,
        retryWindowMs: options.retryWindowMs ?? 0,
        now,
        // The whole backoff: the waits are exact.
        random: () => 1,
        wake: () => {
          wakes += 1;
        },
      });
      // The outbox's own timers never fire within a test: each test runs the jobs it is about.
      const outbox = new Outbox({
        store,
        delivery,
        logger,
        concurrency: options.concurrency,
        pollMs: 600_000,
        renewMs: 600_000,
        sweepMs: 600_000,
      });
      closing.push(async () => {
        await outbox.stop(1_000);
        await delivery.settle(1_000);
        await client.close();
      });
      return {
        store,
        delivery,
        outbox,
        recovery: new Recovery({ store, delivery, logger }),
        wakes: () => wakes,
      };
    },
    async close() {
      for (const close of closing.splice(0)) await close();
      await jelou.close();
      await slack.close();
      await database.drop();
    },
  };
}
