/**
 * A send Jelou certainly did not take waits out the outage: pending, with a durable time for its
 * next attempt, until its retry window closes. Real stores (SQLite and PostgreSQL); a Jelou that
 * answers as the test says; a notifier that remembers what it showed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryService, outageWaitMs, type SendNotifier } from '../../src/delivery/service.js';
import type { SendOutcome } from '../../src/jelou/index.js';
import { createLogger } from '../../src/logging.js';
import type { SqlSendStore } from '../../src/store/sql.js';
import type { NewSend, SendRecord } from '../../src/store/types.js';
import { DATABASES, type TestDatabase } from '../store/stores.js';

const logger = createLogger({ level: 'silent' });
const reason = { en: 'Jelou could not be reached.', es: 'No se pudo contactar con Jelou.' };
const down: SendOutcome = { kind: 'failed', code: 'unreachable', reason, attempts: 3, transient: true };
const newSend: NewSend = {
  teamId: 'T1',
  requestedBy: 'U1',
  channelId: 'C1',
  recipientId: '593991234567',
  recipientLabel: 'María',
  cardName: 'Juan',
  body: '{"type":"contacts","userId":"593991234567","contacts":[]}',
  dryRun: false,
  locale: 'en',
};

describe.each(DATABASES)('waiting out a Jelou outage on %s', (_name, createDatabase) => {
  let database: TestDatabase;
  let store: SqlSendStore;
  let clock: Date;
  let answers: SendOutcome[];
  let calls: number;
  const shown: SendRecord[] = [];

  beforeEach(async () => {
    database = await createDatabase();
    clock = new Date('2026-12-01T14:30:00.000Z');
    store = database.open({ now: () => clock });
    await store.ready();
    answers = [];
    calls = 0;
    shown.length = 0;
  });

  afterEach(async () => {
    await database.drop();
  });

  function delivery(retryWindowMs = 15 * 60_000) {
    const notifier: SendNotifier = {
      async post(send) {
        shown.push(send);
        return { kind: 'message', channel: 'C1', ts: '1.1' };
      },
      // Where the notification lives does not move in these tests.
      async update(send) {
        shown.push(send);
        return undefined;
      },
    };
    const jelou = {
      async send(): Promise<SendOutcome> {
        calls++;
        return answers.shift() ?? { kind: 'sent', messageId: 'wamid.1', attempts: 1 };
      },
    };
    // random() = 1: the whole backoff, so the waits below are exact.
    return new DeliveryService({
      store,
      jelou,
      notifier,
      logger,
      dryRun: false,
      retryWindowMs,
      now: () => clock,
      random: () => 1,
    });
  }

  /** Claims whatever is due, as the outbox does, and delivers it. */
  async function attempt(service: DeliveryService): Promise<SendRecord[]> {
    const claimed = await store.claimDue(8);
    for (const send of claimed) await service.deliverClaimed(send);
    // Delivery shows the result at Slack's pace without holding the outbox: wait for it here.
    await service.settle(5_000);
    return claimed;
  }

  it('keeps the send pending until its next attempt, then sends it once Jelou is back', async () => {
    const service = delivery();
    const { send } = await store.create(newSend);
    answers.push(down, { ...down, retryAfterMs: 20_000 });
    await attempt(service);
    expect(await store.get(send.id)).toMatchObject({
      status: 'pending',
      errorCode: 'unreachable',
      nextAttemptAt: '2026-12-01T14:30:05.000Z',
      retryUntil: '2026-12-01T14:45:00.000Z',
    });
    expect(shown.at(-1)).toMatchObject({ status: 'pending', nextAttemptAt: '2026-12-01T14:30:05.000Z' });
    // Not due yet: nothing is claimed, Jelou is not called.
    expect(await attempt(service)).toEqual([]);
    clock = new Date('2026-12-01T14:30:05.000Z');
    await attempt(service);
    // Jelou's Retry-After (20 s) is longer than the second backoff (10 s): it wins.
    expect(await store.get(send.id)).toMatchObject({
      status: 'pending',
      nextAttemptAt: '2026-12-01T14:30:25.000Z',
    });
    // The wait is in the store: a new process (a restart) picks it up where it was.
    await store.close();
    store = database.open({ now: () => clock });
    clock = new Date('2026-12-01T14:30:25.000Z');
    await attempt(delivery());
    expect(await store.get(send.id)).toMatchObject({ status: 'sent', attempts: 3, nextAttemptAt: undefined });
    expect(calls).toBe(3);
  });

  it('fails the send with Retry when the window closes', async () => {
    const service = delivery(60_000);
    const { send } = await store.create(newSend);
    answers.push(down, down, down, down, down, down);
    await attempt(service);
    for (const at of ['14:30:05', '14:30:15', '14:30:35']) {
      clock = new Date(`2026-12-01T${at}.000Z`);
      await attempt(service);
    }
    // The last wait is cut to the window's end, and the attempt there is the last one.
    expect(await store.get(send.id)).toMatchObject({
      status: 'pending',
      nextAttemptAt: '2026-12-01T14:31:00.000Z',
    });
    clock = new Date('2026-12-01T14:31:00.000Z');
    await attempt(service);
    expect(await store.get(send.id)).toMatchObject({
      status: 'failed',
      errorCode: 'unreachable',
      attempts: 5,
    });
    expect(calls).toBe(5);
  });

  it('never waits on an answer that may have reached Jelou, nor on a refusal', async () => {
    const service = delivery();
    const maybe = (await store.create(newSend)).send;
    const refused = (await store.create(newSend)).send;
    answers.push(
      { kind: 'unknown', code: 'timeout', reason, attempts: 1 },
      { kind: 'failed', code: 'message_could_not_be_send', status: 400, reason, attempts: 1 },
    );
    await attempt(service);
    expect(await store.get(maybe.id)).toMatchObject({ status: 'unknown' });
    expect(await store.get(refused.id)).toMatchObject({ status: 'failed' });
  });

  it('lets a person cancel the wait; the send fails and Retry brings it back', async () => {
    const service = delivery();
    const { send } = await store.create(newSend);
    answers.push(down);
    await attempt(service);
    expect(await service.cancelWaiting(send.id)).toBe('cancelled');
    expect(shown.at(-1)).toMatchObject({ id: send.id, status: 'failed', errorCode: 'send_cancelled' });
    expect(await service.cancelWaiting(send.id)).toBe('busy');
    expect(await service.cancelWaiting('nope')).toBe('not_found');
    expect(await service.requeue(send.id)).toBe('requeued');
    clock = new Date('2026-12-01T14:30:01.000Z');
    await attempt(service);
    expect(await store.get(send.id)).toMatchObject({ status: 'sent' });
  });

  it('with no window (0), fails at once as before', async () => {
    const service = delivery(0);
    const { send } = await store.create(newSend);
    answers.push(down);
    await attempt(service);
    expect(await store.get(send.id)).toMatchObject({ status: 'failed', errorCode: 'unreachable' });
  });
});

describe('outageWaitMs', () => {
  it('doubles from 5 s to a minute, with jitter between half and all of it, never under Retry-After', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => outageWaitMs(n, undefined, () => 1))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
    expect(outageWaitMs(1, undefined, () => 0)).toBe(2_500);
    expect(outageWaitMs(1, 30_000, () => 0.5)).toBe(30_000);
  });
});
