import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { databasePath, migrate, SqliteSendStore } from '../../src/store/sqlite.js';
import type { NewSend } from '../../src/store/types.js';

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

describe('SqliteSendStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteSendStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jelou-card-store-'));
    file = join(dir, 'nested', 'sends.db');
    store = new SqliteSendStore(`file:${file}`);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the directory, runs the migrations and uses WAL', () => {
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('walks a send through pending → sending → sent', async () => {
    const { send: created } = await store.create(newSend);
    expect(created).toMatchObject({ ...newSend, status: 'pending', attempts: 0, messageId: undefined });
    const claimed = await store.claim(created.id);
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
    const sent = await store.finish(created.id, { status: 'sent', messageId: 'msg_1' });
    expect(sent).toMatchObject({ status: 'sent', messageId: 'msg_1', attempts: 1, reason: undefined });
  });

  it('lets only one claim win, so a double click cannot send twice', async () => {
    const { id } = (await store.create(newSend)).send;
    const claims = await Promise.all([store.claim(id), store.claim(id), store.claim(id)]);
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

  it('refuses to record a result for a send that is not in flight', async () => {
    const { id } = (await store.create(newSend)).send;
    await expect(store.finish(id, { status: 'sent', messageId: 'm' })).rejects.toThrow(/not in flight/);
    expect(await store.requeue(id)).toBeUndefined();
  });

  it("keeps the requester's language with the send, through every state change", async () => {
    const { send } = await store.create({ ...newSend, locale: 'es' });
    expect(send.locale).toBe('es');
    await store.claim(send.id);
    const [interrupted] = await store.interruptInFlight({ errorCode: 'send_interrupted', reason });
    expect(interrupted?.locale).toBe('es');
    expect((await store.requeue(send.id))?.locale).toBe('es');
    expect((await store.get(send.id))?.locale).toBe('es');
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

  it('records one send per submission key, however often the submission arrives', async () => {
    const first = await store.create({ ...newSend, submissionKey: 'V1:hash-1' });
    const again = await Promise.all(
      [1, 2, 3].map(() => store.create({ ...newSend, submissionKey: 'V1:hash-1' })),
    );
    expect(first.created).toBe(true);
    expect(again.map((a) => [a.created, a.send.id])).toEqual([1, 2, 3].map(() => [false, first.send.id]));
    const other = await store.create({ ...newSend, submissionKey: 'V1:hash-2' });
    expect(other.created).toBe(true);
    expect(await store.pending(10)).toEqual([first.send.id, other.send.id]);
  });

  it('lists pending sends oldest first, and turns interrupted ones into unknown with a reason', async () => {
    const a = (await store.create(newSend)).send;
    const b = (await store.create(newSend)).send;
    const c = (await store.create(newSend)).send;
    await store.claim(a.id);
    expect(await store.pending(10)).toEqual([b.id, c.id]);
    expect(await store.pending(1)).toEqual([b.id]);
    const interrupted = await store.interruptInFlight({ errorCode: 'send_interrupted', reason });
    expect(interrupted.map((s) => [s.id, s.status, s.errorCode, s.reason])).toEqual([
      [a.id, 'unknown', 'send_interrupted', reason],
    ]);
    expect(await store.interruptInFlight({ errorCode: 'send_interrupted', reason })).toEqual([]);
    expect(await store.requeue(a.id)).toMatchObject({ status: 'pending' });
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
    expect(await store.countsByStatus()).toEqual({ pending: 12, sending: 0, sent: 1, failed: 0, unknown: 0 });
  });

  it('lists recent recipients once each, most recent first, with their latest label', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    await store.close();
    // A clock that moves one second per reading, so each send is newer than the last.
    const tick = () => {
      now += 1000;
      return new Date(now);
    };
    store = new SqliteSendStore(file, { now: tick });
    await store.create({ ...newSend, recipientId: '111111111', recipientLabel: 'Old name' });
    await store.create({ ...newSend, recipientId: '222222222', recipientLabel: 'Bea' });
    await store.create({ ...newSend, recipientId: '111111111', recipientLabel: 'New name' });
    expect((await store.recentRecipients(10)).map((r) => [r.id, r.label])).toEqual([
      ['111111111', 'New name'],
      ['222222222', 'Bea'],
    ]);
    expect(await store.recentRecipients(1)).toHaveLength(1);
  });

  it('deletes finished sends older than the cut-off, never pending or in-flight ones', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    await store.close();
    store = new SqliteSendStore(file, { now: () => new Date(now) });
    const finished = (await store.create(newSend)).send;
    await store.claim(finished.id);
    await store.finish(finished.id, { status: 'failed', errorCode: 'x', errorStatus: 400, reason });
    const waiting = (await store.create(newSend)).send;
    const flying = (await store.create(newSend)).send;
    await store.claim(flying.id);
    now += 100 * 24 * 3600 * 1000;
    const recent = (await store.create(newSend)).send;
    expect(await store.deleteOlderThan(new Date(now - 90 * 24 * 3600 * 1000))).toBe(1);
    expect(await store.get(finished.id)).toBeUndefined();
    for (const kept of [waiting, flying, recent]) expect(await store.get(kept.id)).toBeDefined();
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
    // The same submission again records nothing new.
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

  it('records none of a batch when one of its sends cannot be stored', async () => {
    // Stands in for a full disk or a constraint: the second insert fails, after the first succeeded.
    const db = new Database(file);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON sends WHEN NEW.recipient_id = 'boom'
             BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    db.close();
    const sends = [
      { ...newSend, batchId: 'B1', submissionKey: 'V1:a' },
      { ...newSend, batchId: 'B1', submissionKey: 'V1:b', recipientId: 'boom' },
    ];
    await expect(store.createMany(sends)).rejects.toThrow('refused');
    expect(await store.batch('B1')).toEqual([]);
    expect(await store.pending(10)).toEqual([]);
  });

  it('saves, updates and prunes drafts', async () => {
    let now = new Date('2026-11-24T10:00:00.000Z');
    const timed = new SqliteSendStore(`file:${join(dir, 'drafts.db')}`, { now: () => now });
    try {
      await timed.saveDraft({ id: 'D1', userId: 'U1', body: '{"contacts":[]}' });
      now = new Date('2026-11-24T11:00:00.000Z');
      await timed.saveDraft({ id: 'D2', userId: 'U2', body: '{}' });
      await timed.saveDraft({ id: 'D1', userId: 'U1', body: '{"contacts":[1]}' });
      expect(await timed.getDraft('D1')).toEqual({
        id: 'D1',
        userId: 'U1',
        body: '{"contacts":[1]}',
        updatedAt: '2026-11-24T11:00:00.000Z',
      });
      expect(await timed.deleteDraftsOlderThan(new Date('2026-11-24T10:30:00.000Z'))).toBe(0);
      expect(await timed.deleteDraftsOlderThan(new Date('2026-11-24T11:30:00.000Z'))).toBe(2);
      expect(await timed.getDraft('D1')).toBeUndefined();
    } finally {
      await timed.close();
    }
  });

  it('keeps what it stored across a reopen of the file', async () => {
    const { id } = (await store.create(newSend)).send;
    await store.close();
    store = new SqliteSendStore(file);
    expect(await store.get(id)).toMatchObject({ id, status: 'pending', cardName: 'Juan Pérez' });
  });
});

describe('migrations', () => {
  it('bring a file from every earlier version to the newest, keeping its sends', () => {
    for (let from = 0; from < MIGRATIONS.length; from++) {
      const db = new Database(':memory:');
      MIGRATIONS.slice(0, from).forEach((sql, i) => {
        db.exec(sql);
        db.pragma(`user_version = ${i + 1}`);
      });
      if (from >= 1) {
        db.prepare(
          `INSERT INTO sends (id, status, requested_by, channel_id, recipient_id, recipient_label, card_name, body,
             created_at, updated_at) VALUES ('old', 'sent', 'U1', 'C1', '593991234567', 'María', 'Juan', '{}', 'x', 'x')`,
        ).run();
      }
      if (from >= 2) {
        db.prepare(
          `INSERT INTO sends (id, status, requested_by, channel_id, recipient_id, recipient_label, card_name, body,
             submission_key, created_at, updated_at)
           VALUES ('keyed', 'failed', 'U1', 'C1', '593991234567', 'María', 'Juan', '{}', 'V1:h1', 'x', 'x')`,
        ).run();
      }
      expect(migrate(db), `from version ${from}`).toBe(MIGRATIONS.length);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      // Sends from before the language was stored were notified in English, and stay so.
      if (from >= 1)
        expect(db.prepare("SELECT status, locale FROM sends WHERE id = 'old'").get()).toEqual({
          status: 'sent',
          locale: 'en',
        });
      if (from >= 2)
        expect(db.prepare("SELECT submission_key, locale FROM sends WHERE id = 'keyed'").get()).toEqual({
          submission_key: 'V1:h1',
          locale: 'en',
        });
      // The newest schema is complete: a send with a submission key and a language can be recorded.
      db.prepare(
        `INSERT INTO sends (id, status, requested_by, channel_id, recipient_id, recipient_label, card_name, body,
           submission_key, locale, created_at, updated_at)
         VALUES ('new', 'pending', 'U1', 'C1', '1', 'l', 'c', '{}', 'k', 'es', 'x', 'x')`,
      ).run();
      db.close();
    }
  });

  it('are idempotent: running them again changes nothing', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });
});

describe('databasePath', () => {
  it('accepts file: URLs, plain paths and :memory:', () => {
    expect(databasePath('file:./data/jelou-card.db')).toBe(join(process.cwd(), 'data', 'jelou-card.db'));
    expect(databasePath('/var/lib/jelou-card/sends.db')).toBe('/var/lib/jelou-card/sends.db');
    expect(databasePath(':memory:')).toBe(':memory:');
  });
});
