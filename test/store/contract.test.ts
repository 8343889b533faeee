/**
 * One contract for every store: each test runs against a SQLite file and a real PostgreSQL
 * database, through the public methods only. Tests with two stores on one database stand for two
 * replicas of the app.
 */
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, POSTGRES_MIGRATIONS } from '../../src/store/migrations.js';
import { PostgresSendStore } from '../../src/store/postgres.js';
import {
  migrateToLatest,
  migrationName,
  migrationProvider,
  OUTBOX_CHANNEL,
  type Schema,
  type SqlSendStore,
} from '../../src/store/sql.js';
import type { NewSend } from '../../src/store/types.js';
import { until } from '../support/app-process.js';
import { createPostgresDatabase, DATABASES, type TestDatabase } from './stores.js';

const newSend: NewSend = {
  teamId: 'T1',
  requestedBy: 'U1',
  channelId: 'C1',
  recipientId: '593991234567',
  recipientLabel: 'María López · +593 99 123 4567',
  cardName: 'Juan Pérez',
  body: '{"type":"contacts","userId":"593991234567","contacts":[]}',
  dryRun: false,
  locale: 'en',
};

const reason = { en: 'Outside the 24-hour window.', es: 'Fuera de la ventana de 24 horas.' };
const interruption = { errorCode: 'send_interrupted', reason };

/** Stands in for a full disk or a constraint: every insert of a send to `recipientId` fails. */
function refuseRecipient(database: TestDatabase, recipientId: string): Promise<void> {
  return database.exec(
    database.kind === 'sqlite'
      ? `CREATE TRIGGER refuse BEFORE INSERT ON sends WHEN NEW.recipient_id = '${recipientId}'
           BEGIN SELECT RAISE(ABORT, 'refused'); END`
      : `CREATE FUNCTION refuse() RETURNS trigger AS $$
           BEGIN IF NEW.recipient_id = '${recipientId}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END
         $$ LANGUAGE plpgsql;
         CREATE TRIGGER refuse BEFORE INSERT ON sends FOR EACH ROW EXECUTE FUNCTION refuse();`,
  );
}

describe.each(DATABASES)('the %s store', (_name, createDatabase) => {
  let database: TestDatabase;
  let store: SqlSendStore;

  beforeEach(async () => {
    database = await createDatabase();
    store = database.open();
    // Migrated before any other store opens the database (a SQLite file has one process at a time).
    await store.ready();
  });

  afterEach(async () => {
    await database.drop();
  });

  /** A store whose clock the test moves. */
  function timed(start: string, options: { leaseMs?: number } = {}) {
    const clock = { now: new Date(start) };
    const timedStore = database.open({ now: () => clock.now, ...options });
    return {
      store: timedStore,
      advance(ms: number) {
        clock.now = new Date(clock.now.getTime() + ms);
      },
      clock,
    };
  }

  it('walks a send through pending → sending → sent', async () => {
    const { send: created } = await store.create(newSend);
    expect(created).toMatchObject({ ...newSend, status: 'pending', attempts: 0, messageId: undefined });
    const claimed = await store.claim(created.id);
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
    const sent = await store.finish(created.id, { status: 'sent', messageId: 'msg_1' });
    expect(sent).toMatchObject({ status: 'sent', messageId: 'msg_1', attempts: 1, reason: undefined });
    expect(await store.get(created.id)).toEqual(sent);
    expect(await store.get('no-such-send')).toBeUndefined();
  });

  it('lets only one claim win, so a double click cannot send twice', async () => {
    const { id } = (await store.create(newSend)).send;
    const replica = database.open();
    const claims = await Promise.all([
      store.claim(id),
      replica.claim(id),
      store.claim(id),
      replica.claim(id),
    ]);
    expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
  });

  it('records a failure with its reason, and requeues it once', async () => {
    const { id } = (await store.create(newSend)).send;
    await store.claim(id);
    const failed = await store.finish(id, {
      status: 'failed',
      errorCode: 'message_could_not_be_send',
      errorStatus: 400,
      reason,
    });
    expect(failed).toMatchObject({
      status: 'failed',
      errorCode: 'message_could_not_be_send',
      errorStatus: 400,
      reason,
    });
    expect(await store.requeue(id)).toMatchObject({
      status: 'pending',
      errorCode: undefined,
      reason: undefined,
    });
    expect(await store.requeue(id)).toBeUndefined();
    expect(await store.claim(id)).toMatchObject({ status: 'sending', attempts: 2 });
  });

  it('refuses to record a result for a send that is not in flight, or in flight at another replica', async () => {
    const { id } = (await store.create(newSend)).send;
    await expect(store.finish(id, { status: 'sent', messageId: 'm' })).rejects.toThrow(/not in flight/);
    expect(await store.requeue(id)).toBeUndefined();
    const replica = database.open();
    await replica.claim(id);
    await expect(store.finish(id, { status: 'sent', messageId: 'm' })).rejects.toThrow(/not in flight/);
    expect(await replica.finish(id, { status: 'sent', messageId: 'm' })).toMatchObject({ status: 'sent' });
  });

  it("keeps the requester's language with the send, through every state change", async () => {
    const { send } = await store.create({ ...newSend, locale: 'es' });
    expect(send.locale).toBe('es');
    await store.claim(send.id);
    const later = new Date(Date.now() + 60_000);
    const [interrupted] = await database.open({ now: () => later }).interruptInFlight(interruption);
    expect(interrupted?.locale).toBe('es');
    expect((await store.requeue(send.id))?.locale).toBe('es');
    expect((await store.get(send.id))?.locale).toBe('es');
  });

  it('keeps the thread a send is posted in', async () => {
    const { send } = await store.create({ ...newSend, threadTs: '1700000000.000200' });
    expect((await store.get(send.id))?.threadTs).toBe('1700000000.000200');
    expect((await store.create(newSend)).send.threadTs).toBeUndefined();
  });

  it('keeps the notification reference of either kind', async () => {
    const { id } = (await store.create(newSend)).send;
    await store.setNotification(id, { kind: 'message', channel: 'C1', ts: '1700000000.000100' });
    expect((await store.get(id))?.notification).toEqual({
      kind: 'message',
      channel: 'C1',
      ts: '1700000000.000100',
    });
    await store.setNotification(id, { kind: 'ephemeral', channel: 'C1', user: 'U1' });
    expect((await store.get(id))?.notification).toEqual({ kind: 'ephemeral', channel: 'C1', user: 'U1' });
  });

  it('records one send per submission key, however often and wherever the submission arrives', async () => {
    const replica = database.open();
    const all = await Promise.all(
      [store, replica, store, replica].map((s) => s.create({ ...newSend, submissionKey: 'V1:hash-1' })),
    );
    const created = all.filter((c) => c.created);
    expect(created).toHaveLength(1);
    const id = created[0]?.send.id;
    expect(all.map((c) => c.send.id)).toEqual([id, id, id, id]);
    const other = await store.create({ ...newSend, submissionKey: 'V1:hash-2' });
    expect(other.created).toBe(true);
    expect(await store.pending(10)).toEqual([id, other.send.id]);
  });

  it('lists pending sends oldest first', async () => {
    const a = (await store.create(newSend)).send;
    const b = (await store.create(newSend)).send;
    const c = (await store.create(newSend)).send;
    await store.claim(a.id);
    expect(await store.pending(10)).toEqual([b.id, c.id]);
    expect(await store.pending(1)).toEqual([b.id]);
  });

  it('claims due sends in one statement: replicas claiming at once never share a send', async () => {
    const ids = [];
    for (let i = 0; i < 40; i++)
      ids.push((await store.create({ ...newSend, cardName: `card ${i}` })).send.id);
    const replicas = [store, database.open(), database.open(), database.open()];
    const claimed = (await Promise.all(replicas.flatMap((r) => [r.claimDue(7), r.claimDue(7)]))).flat();
    const again = (await Promise.all(replicas.map((r) => r.claimDue(40)))).flat();
    const all = [...claimed, ...again].map((send) => send.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...ids].sort());
    expect([...claimed, ...again].every((send) => send.status === 'sending' && send.attempts === 1)).toBe(
      true,
    );
    expect(await store.claimDue(10)).toEqual([]);
  });

  it('hands a claimed send the oldest first', async () => {
    const first = (await store.create(newSend)).send;
    const second = (await store.create(newSend)).send;
    expect((await store.claimDue(1)).map((s) => s.id)).toEqual([first.id]);
    expect((await store.claimDue(5)).map((s) => s.id)).toEqual([second.id]);
  });

  it('on a shared database, settles only sends whose lease ran out, never a live replica’s', async () => {
    const a = timed('2026-12-01T10:00:00.000Z', { leaseMs: 30_000 });
    const b = timed('2026-12-01T10:00:00.000Z', { leaseMs: 30_000 });
    const one = (await a.store.create(newSend)).send;
    const two = (await a.store.create(newSend)).send;
    await a.store.claim(one.id);
    await a.store.claim(two.id);
    // Never a store's own sends: they are still being worked on there.
    expect(await a.store.interruptInFlight(interruption)).toEqual([]);
    if (database.kind === 'sqlite') {
      // One process owns a SQLite file: another owner's sends were cut off by that owner's end.
      expect((await b.store.interruptInFlight(interruption)).map((s) => s.id)).toEqual([one.id, two.id]);
      return;
    }
    b.advance(20_000);
    expect(await b.store.interruptInFlight(interruption)).toEqual([]);
    // A renews one lease and not the other (say its event loop stalled while the other was sent).
    a.advance(20_000);
    expect(await a.store.renewLeases([one.id, 'no-such-send'])).toEqual([one.id]);
    b.advance(15_000);
    const settled = await b.store.interruptInFlight(interruption);
    expect(settled.map((s) => [s.id, s.status, s.errorCode, s.reason])).toEqual([
      [two.id, 'unknown', 'send_interrupted', reason],
    ]);
    // Each settled send goes to one caller only.
    expect(await b.store.interruptInFlight(interruption)).toEqual([]);
    // The late owner cannot record a result over the settlement, nor renew it.
    await expect(a.store.finish(two.id, { status: 'sent', messageId: 'm' })).rejects.toThrow(/not in flight/);
    expect(await a.store.renewLeases([two.id])).toEqual([]);
    expect(await a.store.finish(one.id, { status: 'sent', messageId: 'm' })).toMatchObject({
      status: 'sent',
    });
  });

  it('keeps a finished send leased until its message shows the result, then lets it go', async () => {
    const a = timed('2026-12-01T10:00:00.000Z', { leaseMs: 30_000 });
    const b = timed('2026-12-01T10:00:00.000Z', { leaseMs: 30_000 });
    const shownInTime = (await a.store.create(newSend)).send;
    const lost = (await a.store.create(newSend)).send;
    for (const send of [shownInTime, lost]) {
      await a.store.claim(send.id);
      await a.store.finish(send.id, { status: 'sent', messageId: 'm' });
    }
    await a.store.shown(shownInTime.id);
    // Not this owner's own while its lease runs: its message is still being updated here.
    expect(await a.store.takeUnshown()).toEqual([]);
    if (database.kind === 'postgres') {
      // The owner still renews it while it updates the message; nobody takes it meanwhile.
      b.advance(20_000);
      a.advance(20_000);
      expect(await a.store.renewLeases([lost.id])).toEqual([lost.id]);
      b.advance(15_000);
      expect(await b.store.takeUnshown()).toEqual([]);
      b.advance(30_000);
    }
    // The owner vanished before showing `lost`: one caller gets it, once, still sent.
    const taken = await b.store.takeUnshown();
    expect(taken.map((send) => [send.id, send.status])).toEqual([[lost.id, 'sent']]);
    expect(await b.store.takeUnshown()).toEqual([]);
    // Now b's until shown: if b's show fails, its lease runs out and it is taken again, by b too.
    b.advance(31_000);
    expect((await b.store.takeUnshown()).map((send) => send.id)).toEqual([lost.id]);
    await b.store.shown(lost.id);
    b.advance(31_000);
    expect(await b.store.takeUnshown()).toEqual([]);
  });

  it('settles each cut-off send once, however many replicas look at the same time', async () => {
    const ids = [];
    for (let i = 0; i < 10; i++) {
      const { id } = (await store.create(newSend)).send;
      await store.claim(id);
      ids.push(id);
    }
    await store.close();
    const later = new Date(Date.now() + 60_000);
    const replicas = [0, 1, 2].map(() => database.open({ now: () => later }));
    const settled = (await Promise.all(replicas.map((r) => r.interruptInFlight(interruption)))).flat();
    expect(settled.map((s) => s.id).sort()).toEqual([...ids].sort());
  });

  it('defers a send Jelou did not take until its next attempt, within a window set once', async () => {
    const t = timed('2026-12-01T14:00:00.000Z');
    const { id } = (await t.store.create(newSend)).send;
    await t.store.claim(id);
    const failure = { errorCode: 'jelou_unreachable', errorStatus: undefined, reason };
    const deferred = await t.store.defer(id, {
      ...failure,
      nextAttemptAt: new Date('2026-12-01T14:00:05.000Z'),
      retryUntil: new Date('2026-12-01T14:15:00.000Z'),
    });
    expect(deferred).toMatchObject({
      status: 'pending',
      errorCode: 'jelou_unreachable',
      reason,
      nextAttemptAt: '2026-12-01T14:00:05.000Z',
      retryUntil: '2026-12-01T14:15:00.000Z',
    });
    expect(await t.store.pending(10)).toEqual([]);
    expect(await t.store.claimDue(10)).toEqual([]);
    t.advance(5_000);
    expect(await t.store.pending(10)).toEqual([id]);
    const [again] = await t.store.claimDue(10);
    expect(again).toMatchObject({ id, status: 'sending', attempts: 2 });
    const later = await t.store.defer(id, {
      ...failure,
      nextAttemptAt: new Date('2026-12-01T14:00:20.000Z'),
      retryUntil: new Date('2026-12-01T14:15:05.000Z'),
    });
    expect(later.retryUntil).toBe('2026-12-01T14:15:00.000Z');
    // A person cancels the wait: the send fails, and Retry can bring it back as usual.
    const cancelled = await t.store.cancelWaiting(id, { errorCode: 'send_cancelled', reason });
    expect(cancelled).toMatchObject({
      status: 'failed',
      errorCode: 'send_cancelled',
      nextAttemptAt: undefined,
    });
    expect(await t.store.cancelWaiting(id, { errorCode: 'send_cancelled', reason })).toBeUndefined();
    expect(await t.store.requeue(id)).toMatchObject({ status: 'pending', retryUntil: undefined });
    // A pending send that is not waiting out an outage cannot be cancelled this way.
    expect(await t.store.cancelWaiting(id, { errorCode: 'send_cancelled', reason })).toBeUndefined();
  });

  /** A send Jelou refused (the 24-hour window), as the store holds it. */
  async function refused(on: SqlSendStore = store, send: NewSend = newSend) {
    const { id } = (await on.create(send)).send;
    await on.claim(id);
    await on.finish(id, { status: 'failed', errorCode: 'outside_24h_window', errorStatus: 400, reason });
    return id;
  }

  const refusal = { errorCode: 'template_refused', reason };
  const expiry = { errorCode: 'reply_never_came', reason };

  it('holds a card the app ended (here: its template refused) until its message shows it', async () => {
    const a = timed('2026-12-01T10:00:00.000Z', { leaseMs: 30_000 });
    const id = await refused(a.store);
    await a.store.shown(id);
    await a.store.awaitReply(id, { template: 'missing', until: new Date('2026-12-02T10:00:00.000Z') });
    await a.store.templateRefused(id, refusal);
    // Its message never showed it (a crash, Slack down): once the lease runs out, a sweep takes it.
    a.advance(31_000);
    expect((await a.store.takeUnshown()).map((send) => [send.id, send.errorCode])).toEqual([
      [id, 'template_refused'],
    ]);
    await a.store.shown(id);
    a.advance(31_000);
    expect(await a.store.takeUnshown()).toEqual([]);
  });

  it('holds a refused card behind a template until the customer replies, then releases it once', async () => {
    const t = timed('2026-12-01T10:00:00.000Z');
    const id = await refused(t.store);
    const until = new Date('2026-12-04T10:00:00.000Z');
    const waiting = await t.store.awaitReply(id, { template: 'card_follow_up', until });
    expect(waiting).toMatchObject({
      status: 'awaiting_reply',
      errorCode: undefined,
      reason: undefined,
      awaiting: {
        template: 'card_follow_up',
        since: '2026-12-01T10:00:00.000Z',
        until: until.toISOString(),
        templateMessageId: undefined,
      },
    });
    // Already waiting: a second template for the same card is not asked for.
    expect(await t.store.awaitReply(id, { template: 'other', until })).toBeUndefined();
    expect((await t.store.templateSent(id, 'hsm_1'))?.awaiting?.templateMessageId).toBe('hsm_1');
    expect((await t.store.awaitingByTemplate('hsm_1'))?.id).toBe(id);
    expect(await t.store.awaitedRecipients(10)).toEqual([
      { recipientId: newSend.recipientId, since: '2026-12-01T10:00:00.000Z' },
    ]);
    // Nothing is claimed while it waits.
    expect(await t.store.claimDue(10)).toEqual([]);
    // A message written before the template is not an answer to it.
    expect(await t.store.replied(newSend.recipientId, new Date('2026-12-01T09:59:00.000Z'))).toEqual([]);
    const answeredAt = new Date('2026-12-01T11:00:00.000Z');
    const replica = database.open();
    const released = await Promise.all([
      t.store.replied(newSend.recipientId, answeredAt),
      replica.replied(newSend.recipientId, answeredAt),
    ]);
    expect(released.flat().map((send) => send.id)).toEqual([id]);
    expect(released.flat()[0]).toMatchObject({ status: 'pending', repliedAt: answeredAt.toISOString() });
    expect(await t.store.awaitedRecipients(10)).toEqual([]);
    expect((await t.store.claimDue(10)).map((send) => send.id)).toEqual([id]);
  });

  it('fails a card whose template Jelou refused, and only while no template went out', async () => {
    const id = await refused();
    await store.awaitReply(id, { template: 'missing', until: new Date(Date.now() + 60_000) });
    expect(await store.templateRefused(id, refusal)).toMatchObject({
      status: 'failed',
      errorCode: 'template_refused',
      reason,
    });
    const other = await refused();
    await store.awaitReply(other, { template: 'ok', until: new Date(Date.now() + 60_000) });
    await store.templateSent(other, 'hsm_2');
    expect(await store.templateRefused(other, refusal)).toBeUndefined();
  });

  it('fails a card whose template Jelou took and then reported failed, once, and no other', async () => {
    const id = await refused();
    await store.awaitReply(id, { template: 'ok', until: new Date(Date.now() + 60_000) });
    await store.templateSent(id, 'hsm_7');
    const failure = { errorCode: 'template_failed', reason };
    expect(await store.templateFailed('hsm_8', failure)).toBeUndefined();
    expect(await store.templateFailed('hsm_7', failure)).toMatchObject({
      id,
      status: 'failed',
      errorCode: 'template_failed',
    });
    expect(await store.templateFailed('hsm_7', failure)).toBeUndefined();
    // Nothing waits on it any more: a late answer releases nothing.
    expect(await store.replied(newSend.recipientId, new Date(Date.now() + 1_000))).toEqual([]);
  });

  it('ends a wait past its time as failed, once, and lets Cancel end it earlier', async () => {
    const t = timed('2026-12-01T10:00:00.000Z');
    const late = await refused(t.store);
    await t.store.awaitReply(late, { template: 'x', until: new Date('2026-12-01T11:00:00.000Z') });
    const cancelled = await refused(t.store);
    await t.store.awaitReply(cancelled, { template: 'x', until: new Date('2026-12-01T11:00:00.000Z') });
    expect(await t.store.expireAwaiting(expiry)).toEqual([]);
    expect(await t.store.cancelWaiting(cancelled, { errorCode: 'send_cancelled', reason })).toMatchObject({
      status: 'failed',
      errorCode: 'send_cancelled',
    });
    t.advance(60 * 60_000 + 1);
    const expired = await t.store.expireAwaiting(expiry);
    expect(expired.map((send) => [send.id, send.status, send.errorCode])).toEqual([
      [late, 'failed', 'reply_never_came'],
    ]);
    expect(await t.store.expireAwaiting(expiry)).toEqual([]);
    // Retry starts afresh: the card is queued again, its wait forgotten.
    expect(await t.store.requeue(late)).toMatchObject({ status: 'pending', awaiting: undefined });
  });

  it('counts cards awaiting a reply', async () => {
    const id = await refused();
    await store.awaitReply(id, { template: 'x', until: new Date(Date.now() + 60_000) });
    expect((await store.countsByStatus()).awaiting_reply).toBe(1);
    expect(await store.backlog()).toEqual({ pending: 0, oldestPendingAt: undefined });
  });

  it('keeps the furthest receipt of a sent card; repeats, late and unknown ones change nothing', async () => {
    const { id } = (await store.create(newSend)).send;
    await store.claim(id);
    await store.finish(id, { status: 'sent', messageId: 'msg_9' });
    expect((await store.recordReceipt('msg_9', 'delivered_channel'))?.receipt).toBe('delivered_channel');
    expect((await store.recordReceipt('msg_9', 'read'))?.receipt).toBe('read');
    expect(await store.recordReceipt('msg_9', 'delivered_user')).toBeUndefined();
    expect(await store.recordReceipt('msg_9', 'read')).toBeUndefined();
    expect(await store.recordReceipt('no_such_message', 'read')).toBeUndefined();
    expect((await store.get(id))?.receipt).toBe('read');
    expect((await store.recordReceipt('msg_9', 'replied'))?.receipt).toBe('replied');
  });

  it('lists recent sent cards whose receipts may still move, least recently looked at first', async () => {
    const t = timed('2026-12-01T10:00:00.000Z');
    const ids: string[] = [];
    for (const messageId of ['m_a', 'm_b', 'm_c']) {
      const { id } = (await t.store.create(newSend)).send;
      await t.store.claim(id);
      await t.store.finish(id, { status: 'sent', messageId });
      ids.push(id);
      t.advance(1000);
    }
    await t.store.recordReceipt('m_c', 'read');
    const since = new Date('2026-12-01T09:00:00.000Z');
    expect((await t.store.receiptsToPoll(since, 1)).map((s) => s.messageId)).toEqual(['m_a']);
    t.advance(1000);
    expect((await t.store.receiptsToPoll(since, 5)).map((s) => s.messageId)).toEqual(['m_b', 'm_a']);
    expect(await t.store.receiptsToPoll(new Date('2026-12-01T11:00:00.000Z'), 5)).toEqual([]);
  });

  it('turns a sent card Jelou later reports failed into failed, once', async () => {
    const { id } = (await store.create(newSend)).send;
    await store.claim(id);
    await store.finish(id, { status: 'sent', messageId: 'msg_10' });
    const failure = { errorCode: 'failed_after_acceptance', reason };
    expect(await store.failedAfterAcceptance('msg_10', failure)).toMatchObject({
      status: 'failed',
      messageId: 'msg_10',
      errorCode: 'failed_after_acceptance',
    });
    expect(await store.failedAfterAcceptance('msg_10', failure)).toBeUndefined();
    expect(await store.failedAfterAcceptance('nothing', failure)).toBeUndefined();
    expect(await store.recordReceipt('msg_10', 'read')).toBeUndefined();
  });

  it('gives each person their own history, newest first, and the team counts by status', async () => {
    const mine = [];
    for (let i = 0; i < 12; i++) mine.push((await store.create({ ...newSend, cardName: `card ${i}` })).send);
    await store.create({ ...newSend, requestedBy: 'U2' });
    const [first] = mine;
    if (!first) throw new Error('no send');
    await store.claim(first.id);
    await store.finish(first.id, { status: 'sent', messageId: 'm1' });
    const history = await store.history('U1', 10);
    expect(history.map((s) => s.cardName)).toEqual(Array.from({ length: 10 }, (_, i) => `card ${11 - i}`));
    expect(await store.history('U3', 10)).toEqual([]);
    expect(await store.countsByStatus()).toEqual({
      pending: 12,
      sending: 0,
      sent: 1,
      failed: 0,
      unknown: 0,
      awaiting_reply: 0,
    });
  });

  it('reports the backlog and the oldest pending send', async () => {
    expect(await store.backlog()).toEqual({ pending: 0, oldestPendingAt: undefined });
    const t = timed('2026-12-01T10:00:00.000Z');
    const first = (await t.store.create(newSend)).send;
    t.advance(1000);
    await t.store.create(newSend);
    await t.store.claim(first.id);
    expect(await store.backlog()).toEqual({ pending: 1, oldestPendingAt: '2026-12-01T10:00:01.000Z' });
  });

  it('lists recent recipients once each, most recent first, with their latest label', async () => {
    const t = timed('2026-01-01T00:00:00Z');
    await t.store.create({ ...newSend, recipientId: '111111111', recipientLabel: 'Old name' });
    t.advance(1000);
    await t.store.create({ ...newSend, recipientId: '222222222', recipientLabel: 'Bea' });
    t.advance(1000);
    await t.store.create({ ...newSend, recipientId: '111111111', recipientLabel: 'New name' });
    expect((await t.store.recentRecipients(10)).map((r) => [r.id, r.label, r.lastSentAt])).toEqual([
      ['111111111', 'New name', '2026-01-01T00:00:02.000Z'],
      ['222222222', 'Bea', '2026-01-01T00:00:01.000Z'],
    ]);
    expect(await t.store.recentRecipients(1)).toHaveLength(1);
  });

  it('deletes finished sends older than the cut-off, never pending or in-flight ones', async () => {
    const t = timed('2026-01-01T00:00:00Z');
    const finished = (await t.store.create(newSend)).send;
    await t.store.claim(finished.id);
    await t.store.finish(finished.id, { status: 'failed', errorCode: 'x', errorStatus: 400, reason });
    const waiting = (await t.store.create(newSend)).send;
    const flying = (await t.store.create(newSend)).send;
    await t.store.claim(flying.id);
    t.advance(100 * 24 * 3600 * 1000);
    const recent = (await t.store.create(newSend)).send;
    expect(await t.store.deleteOlderThan(new Date(t.clock.now.getTime() - 90 * 24 * 3600 * 1000))).toBe(1);
    expect(await t.store.get(finished.id)).toBeUndefined();
    for (const kept of [waiting, flying, recent]) expect(await t.store.get(kept.id)).toBeDefined();
  });

  it('records a batch all together, in order, sharing one notification', async () => {
    const recipients = ['593991111111', '593992222222', '593993333333'];
    const created = await store.createMany(
      recipients.map((recipientId) => ({
        ...newSend,
        recipientId,
        batchId: 'B1',
        submissionKey: `V1:${recipientId}`,
      })),
    );
    expect(created.map(({ created: isNew, send }) => [isNew, send.recipientId, send.batchId])).toEqual(
      recipients.map((id) => [true, id, 'B1']),
    );
    const alone = (await store.create(newSend)).send;
    const first = created[0]?.send.id ?? '';
    await store.setNotification(first, { kind: 'message', channel: 'C1', ts: '1.5' });
    const batch = await store.batch('B1');
    expect(batch.map((send) => [send.recipientId, send.notification])).toEqual(
      recipients.map((id) => [id, { kind: 'message', channel: 'C1', ts: '1.5' }]),
    );
    expect((await store.get(alone.id))?.notification).toBeUndefined();
    const again = await store.createMany(
      recipients.map((recipientId) => ({
        ...newSend,
        recipientId,
        batchId: 'B2',
        submissionKey: `V1:${recipientId}`,
      })),
    );
    expect(again.map(({ created: isNew, send }) => [isNew, send.batchId])).toEqual(
      recipients.map(() => [false, 'B1']),
    );
    expect(await store.batch('B2')).toEqual([]);
  });

  it('records a submission to one recipient once, wherever it arrives, and nothing when it cannot be stored', async () => {
    const replica = database.open();
    const one = { ...newSend, submissionKey: 'V9:hash-9' };
    const all = await Promise.all([store, replica, store, replica].map((s) => s.createMany([one])));
    expect(all.map((results) => results.length)).toEqual([1, 1, 1, 1]);
    const results = all.flat();
    const created = results.filter((result) => result.created);
    expect(created).toHaveLength(1);
    const id = created[0]?.send.id;
    expect(results.map((result) => [result.send.id, result.send.status])).toEqual(
      results.map(() => [id, 'pending']),
    );
    await refuseRecipient(database, 'boom');
    await expect(
      store.createMany([{ ...newSend, submissionKey: 'V9:hash-10', recipientId: 'boom' }]),
    ).rejects.toThrow('refused');
    expect(await store.pending(10)).toEqual([id]);
  });

  it('records none of a batch when one of its sends cannot be stored', async () => {
    await store.ping();
    // Stands in for a full disk or a constraint: the second insert fails, after the first succeeded.
    await refuseRecipient(database, 'boom');
    const sends = [
      { ...newSend, batchId: 'B1', submissionKey: 'V1:a' },
      { ...newSend, batchId: 'B1', submissionKey: 'V1:b', recipientId: 'boom' },
    ];
    await expect(store.createMany(sends)).rejects.toThrow('refused');
    expect(await store.batch('B1')).toEqual([]);
    expect(await store.pending(10)).toEqual([]);
  });

  it('saves, updates and prunes drafts', async () => {
    const t = timed('2026-11-24T10:00:00.000Z');
    await t.store.saveDraft({ id: 'D1', userId: 'U1', body: '{"contacts":[]}' });
    t.advance(3600_000);
    await t.store.saveDraft({ id: 'D2', userId: 'U2', body: '{}' });
    await t.store.saveDraft({ id: 'D1', userId: 'U1', body: '{"contacts":[1]}' });
    expect(await t.store.getDraft('D1')).toEqual({
      id: 'D1',
      userId: 'U1',
      body: '{"contacts":[1]}',
      updatedAt: '2026-11-24T11:00:00.000Z',
    });
    expect(await t.store.deleteDraftsOlderThan(new Date('2026-11-24T10:30:00.000Z'))).toBe(0);
    expect(await t.store.deleteDraftsOlderThan(new Date('2026-11-24T11:30:00.000Z'))).toBe(2);
    expect(await t.store.getDraft('D1')).toBeUndefined();
  });

  it('keeps what it stored across a reopen', async () => {
    const { id } = (await store.create(newSend)).send;
    await store.close();
    expect(await database.open().get(id)).toMatchObject({ id, status: 'pending', cardName: 'Juan Pérez' });
  });

  it('gives a cluster lease to one replica at a time, and to another once it runs out', async () => {
    const a = timed('2026-12-01T10:00:00.000Z');
    const b = timed('2026-12-01T10:00:00.000Z');
    const both = await Promise.all([a.store.tryLease('prune', 60_000), b.store.tryLease('prune', 60_000)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const [holder, other] = both[0] ? [a, b] : [b, a];
    expect(await holder.store.tryLease('prune', 60_000)).toBe(true);
    expect(await other.store.tryLease('prune', 60_000)).toBe(false);
    expect(await other.store.tryLease('recover', 60_000)).toBe(true);
    other.advance(61_000);
    expect(await other.store.tryLease('prune', 60_000)).toBe(true);
    expect(await holder.store.tryLease('prune', 60_000)).toBe(false);
  });

  it('remembers a request signature once, cluster-wide, until it expires', async () => {
    const a = timed('2026-12-01T10:00:00.000Z');
    const b = timed('2026-12-01T10:00:00.000Z');
    const expires = new Date('2026-12-01T10:05:00.000Z');
    const seen = await Promise.all([
      a.store.rememberSignature('v0=abc', expires),
      b.store.rememberSignature('v0=abc', expires),
    ]);
    expect(seen.sort()).toEqual([false, true]);
    expect(await a.store.rememberSignature('v0=def', expires)).toBe(true);
    b.advance(6 * 60_000);
    expect(await b.store.rememberSignature('v0=abc', new Date('2026-12-01T10:11:00.000Z'))).toBe(true);
    expect(await b.store.forgetExpiredSignatures()).toBe(1);
  });

  it('answers a ping while open and refuses once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});

describe('PostgreSQL migrations', () => {
  it('bring a database from every earlier version to the newest, keeping its sends', async () => {
    for (let from = 1; from < POSTGRES_MIGRATIONS.length; from++) {
      const { url, drop } = await createPostgresDatabase();
      const db = new Kysely<Schema>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
      });
      try {
        const migrator = new Migrator({ db, provider: migrationProvider('postgres') });
        expect((await migrator.migrateTo(migrationName(from - 1))).error).toBeUndefined();
        await sql`INSERT INTO sends (id, status, requested_by, channel_id, recipient_id, recipient_label, card_name, body,
               created_at, updated_at) VALUES ('old', 'sent', 'U1', 'C1', '593991234567', 'María', 'Juan', '{}', 'x', 'x')`.execute(
          db,
        );
        expect(await migrateToLatest(db, 'postgres')).toBe(POSTGRES_MIGRATIONS.length);
        const store = new PostgresSendStore(url);
        expect(await store.get('old'), `from version ${from}`).toMatchObject({
          status: 'sent',
          locale: 'en',
        });
        await store.close();
      } finally {
        await db.destroy();
        await drop();
      }
    }
  });

  it('has a PostgreSQL twin for every SQLite migration', () => {
    expect(POSTGRES_MIGRATIONS).toHaveLength(MIGRATIONS.length);
  });
});

describe('PostgreSQL announcements', () => {
  it('wake a listening replica after every call, one notification for all the calls a burst queues', async () => {
    const { url, drop } = await createPostgresDatabase();
    const announcer = new PostgresSendStore(url);
    // A plain LISTEN beside the store's, to tell the announcer's notifications from a marker sent
    // after them: notifications reach a listener in the order their transactions committed.
    const observer = new pg.Client({ connectionString: url });
    const marker = new pg.Client({ connectionString: url });
    const payloads: string[] = [];
    observer.on('notification', (message) => payloads.push(message.payload ?? ''));
    await observer.connect();
    await marker.connect();
    await observer.query(`LISTEN ${OUTBOX_CHANNEL}`);
    /** How many notifications `announce` made: those heard before the marker sent after it. */
    const heardFrom = async (announce: () => Promise<unknown>) => {
      payloads.length = 0;
      await announce();
      await marker.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, 'end']);
      await until('the marker to be heard', () => payloads.includes('end'));
      return payloads.indexOf('end');
    };
    try {
      expect(await heardFrom(() => announcer.announce())).toBe(1);
      for (let round = 0; round < 3; round++) {
        // Ten Sends acknowledged at once: the first call's notification, and one for the other nine.
        expect(
          await heardFrom(() => Promise.all(Array.from({ length: 10 }, () => announcer.announce()))),
        ).toBe(2);
      }
    } finally {
      await observer.end();
      await marker.end();
      await announcer.close();
      await drop();
    }
  });
});
