/**
 * Replicas sharing one PostgreSQL store: each runs the real outbox and delivery service on its
 * own store (its own pool and owner id), with a Jelou and a notifier that record what they get.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/delivery/outbox.js';
import { DeliveryService, type SendNotifier } from '../../src/delivery/service.js';
import type { JelouMessage, SendOutcome } from '../../src/jelou/index.js';
import { createLogger } from '../../src/logging.js';
import { createMetrics } from '../../src/ops/metrics.js';
import type { SqlSendStore } from '../../src/store/sql.js';
import type { NewSend, SendRecord } from '../../src/store/types.js';
import { postgresDatabase, type TestDatabase } from '../store/stores.js';
import { until } from '../support/app-process.js';

const logger = createLogger({ level: 'silent' });

const newSend = (i: number, batchId?: string): NewSend => ({
  teamId: 'T1',
  requestedBy: 'U1',
  channelId: 'C1',
  recipientId: `59399${String(i).padStart(7, '0')}`,
  recipientLabel: `Recipient ${i}`,
  cardName: `Card ${i}`,
  body: JSON.stringify({ type: 'contacts', userId: `59399${String(i).padStart(7, '0')}`, contacts: [] }),
  dryRun: false,
  locale: 'en',
  batchId,
});

/** A Jelou that takes every card after `ms`, and remembers each one it took. */
function slowJelou(ms: number) {
  const received: string[] = [];
  return {
    received,
    async send(message: JelouMessage): Promise<SendOutcome> {
      await delay(ms);
      received.push(message.userId);
      return { kind: 'sent', messageId: `wamid.${received.length}`, attempts: 1 };
    },
  };
}

/** A notifier that remembers the last state it showed of each send. */
function recordingNotifier() {
  const shown = new Map<string, SendRecord>();
  const notifier: SendNotifier = {
    async post(send) {
      shown.set(send.id, send);
      return { kind: 'message', channel: send.channelId, ts: `${Date.now()}.000100` };
    },
    // Where the notification lives does not move in these tests.
    async update(send) {
      shown.set(send.id, send);
      return undefined;
    },
  };
  return { shown, notifier };
}

describe('replicas sharing a PostgreSQL store', () => {
  let database: TestDatabase;
  const outboxes: Outbox[] = [];

  beforeEach(async () => {
    database = await postgresDatabase();
    await database.open().ready();
  });

  afterEach(async () => {
    for (const outbox of outboxes.splice(0)) await outbox.stop(0);
    await database.drop();
  });

  function replica(
    jelou: ReturnType<typeof slowJelou>,
    options: {
      leaseMs?: number;
      pollMs?: number;
      sweepMs?: number;
      renewMs?: number;
      notifier?: (store: SqlSendStore) => SendNotifier;
    } = {},
  ) {
    const store: SqlSendStore = database.open({ leaseMs: options.leaseMs });
    const recording = recordingNotifier();
    const { shown } = recording;
    const notifier = options.notifier?.(store) ?? recording.notifier;
    const metrics = createMetrics();
    const delivery = new DeliveryService({ store, jelou, notifier, logger, dryRun: false, metrics });
    const outbox = new Outbox({
      store,
      delivery,
      logger,
      metrics,
      pollMs: options.pollMs ?? 200,
      sweepMs: options.sweepMs ?? 200,
      renewMs: options.renewMs,
    });
    outboxes.push(outbox);
    return { store, shown, metrics, outbox, delivery };
  }

  it('deliver every send once between them', async () => {
    const jelou = slowJelou(20);
    const replicas = [replica(jelou), replica(jelou), replica(jelou)];
    await Promise.all(replicas.map((r) => r.outbox.start()));
    const [first] = replicas;
    if (!first) throw new Error('no replica');
    for (let i = 0; i < 30; i++) await first.store.create(newSend(i));
    await first.store.createMany([30, 31, 32, 33].map((i) => newSend(i, 'B1')));
    for (const r of replicas) r.outbox.kick();
    await until('every card to be delivered', () => jelou.received.length >= 34, 20_000);
    await until('every replica to finish', () => replicas.every((r) => r.outbox.inFlight === 0));
    const counts = await first.store.countsByStatus();
    expect(counts).toEqual({ pending: 0, sending: 0, sent: 34, failed: 0, unknown: 0, awaiting_reply: 0 });
    expect(new Set(jelou.received).size).toBe(34);
    expect(jelou.received).toHaveLength(34);
  });

  it('hears of new work from another replica without waiting for its poll', async () => {
    const jelou = slowJelou(0);
    // Polls once an hour: only the notification can wake it in time.
    const listener = replica(jelou, { pollMs: 3_600_000 });
    await listener.outbox.start();
    const other = database.open();
    const { send } = await other.create(newSend(1));
    await other.announce();
    await until('the listening replica to deliver the card', () => jelou.received.length === 1);
    await until('the send to be recorded as sent', () => listener.shown.get(send.id)?.status === 'sent');
  });

  it("settles a vanished replica's send as unknown, never sends it again, and says so", async () => {
    const jelou = slowJelou(0);
    // The vanished replica: it claimed a send and never renewed its lease nor finished it.
    const gone = database.open({ leaseMs: 300 });
    const { send } = await gone.create(newSend(7));
    expect(await gone.claim(send.id)).toMatchObject({ status: 'sending' });
    const live = replica(jelou, { leaseMs: 300, sweepMs: 50, renewMs: 100 });
    await live.outbox.start();
    await until('the live replica to settle the send', () => live.shown.get(send.id)?.status === 'unknown');
    expect(live.shown.get(send.id)).toMatchObject({ status: 'unknown', errorCode: 'send_interrupted' });
    expect(jelou.received).toEqual([]);
    const takeovers = await live.metrics.registry.getSingleMetric('jelou_card_lease_takeovers_total')?.get();
    expect(takeovers?.values[0]?.value).toBe(1);
  });

  it("never settles a live replica's send, however long Jelou takes", async () => {
    const slow = slowJelou(1_200);
    const working = replica(slow, { leaseMs: 300, renewMs: 100 });
    const { send } = await working.store.create(newSend(9));
    await working.outbox.start();
    await until('the working replica to claim the card', () => working.outbox.inFlight === 1);
    // Started once the card is claimed, so the watcher can only find it through the lease.
    const watcher = replica(slowJelou(0), { leaseMs: 300, sweepMs: 50 });
    await watcher.outbox.start();
    await until('the card to be sent', () => working.shown.get(send.id)?.status === 'sent', 10_000);
    expect(await working.store.get(send.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(watcher.shown.has(send.id)).toBe(false);
    expect(slow.received).toHaveLength(1);
  });

  it('keep a finished send while its result waits its turn in Slack, so no other replica shows it again', async () => {
    // Slack's pace holds the result (batch summaries are paced) for longer than a lease lasts.
    let updates = 0;
    const pacedSlack = (): SendNotifier => ({
      async post(send) {
        return { kind: 'message', channel: send.channelId, ts: '1700000000.000200' };
      },
      async update() {
        updates += 1;
        await delay(1_200);
        return undefined;
      },
    });
    const working = replica(slowJelou(0), { leaseMs: 300, renewMs: 100, notifier: pacedSlack });
    const { send } = await working.store.create(newSend(11));
    await working.outbox.start();
    await until('the result to be on its way to Slack', () => updates === 1);
    const watcher = replica(slowJelou(0), { leaseMs: 300, sweepMs: 50 });
    await watcher.outbox.start();
    await working.delivery.settle(10_000);
    expect(await working.store.get(send.id)).toMatchObject({ status: 'sent' });
    expect(updates).toBe(1);
    expect(watcher.shown.has(send.id)).toBe(false);
    const takeovers = await watcher.metrics.registry
      .getSingleMetric('jelou_card_lease_takeovers_total')
      ?.get();
    expect(takeovers?.values[0]?.value ?? 0).toBe(0);
  });

  it("spend no paced update on a batch's first attempts: its message already shows them on their way", async () => {
    // Each update, as what it changed: did any send of the batch show something other than
    // "on its way" (read after the call, so states only moved on since Slack was asked)?
    const updates: boolean[] = [];
    const posted: string[] = [];
    const slack = (store: SqlSendStore): SendNotifier => ({
      async post(send) {
        posted.push(send.status);
        return { kind: 'message', channel: send.channelId, ts: '1700000000.000300' };
      },
      async update(send) {
        const batch = await store.batch(send.batchId ?? '');
        updates.push(batch.some((one) => one.status !== 'pending' && one.status !== 'sending'));
        return undefined;
      },
    });
    const one = replica(slowJelou(5), { notifier: slack });
    await one.store.createMany(Array.from({ length: 4 }, (_, i) => newSend(200 + i, 'B3')));
    await one.outbox.start();
    await until('every card to be sent', () => updates.length >= 1);
    await until('every replica to finish', () => one.outbox.inFlight === 0);
    await one.delivery.settle(10_000);
    expect(posted).toHaveLength(1);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.filter((changed) => !changed)).toEqual([]);
    expect((await one.store.batch('B3')).map((send) => send.status)).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
    ]);
  });

  it("post a batch's message once between them, and never take it back to an older state", async () => {
    const jelou = slowJelou(5);
    // A Slack that takes a while to answer: each message reaches it with the batch as it was read
    // before the call, so without one replica at a time they could cross (or post twice).
    const posts: string[] = [];
    const finishedShown: number[] = [];
    const slowSlack = (store: SqlSendStore): SendNotifier => {
      const show = async (send: SendRecord) => {
        const batch = await store.batch(send.batchId ?? '');
        await delay(Math.floor(Math.random() * 20));
        finishedShown.push(batch.filter((one) => one.status === 'sent').length);
      };
      return {
        async post(send) {
          await show(send);
          posts.push(send.batchId ?? '');
          return { kind: 'message', channel: send.channelId, ts: '1700000000.000100' };
        },
        // Where the notification lives does not move in this test.
        async update(send) {
          await show(send);
          return undefined;
        },
      };
    };
    const replicas = [0, 1, 2].map(() => replica(jelou, { notifier: slowSlack }));
    await Promise.all(replicas.map((r) => r.outbox.start()));
    const [first] = replicas;
    if (!first) throw new Error('no replica');
    await first.store.createMany(Array.from({ length: 12 }, (_, i) => newSend(100 + i, 'B2')));
    for (const r of replicas) r.outbox.kick();
    await until('the message to show every send sent', () => finishedShown.at(-1) === 12, 20_000);
    await until('every replica to finish', () => replicas.every((r) => r.outbox.inFlight === 0));
    expect(posts).toEqual(['B2']);
    expect(finishedShown).toEqual([...finishedShown].sort((a, b) => a - b));
  });
});
