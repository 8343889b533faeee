import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, SqliteSendStore } from '../../src/store/sqlite.js';
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
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('walks a send through pending → sending → sent', async () => {
    const created = await store.create(newSend);
    expect(created).toMatchObject({ ...newSend, status: 'pending', attempts: 0, messageId: undefined });
    const claimed = await store.claim(created.id);
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
    const sent = await store.finish(created.id, { status: 'sent', messageId: 'msg_1' });
    expect(sent).toMatchObject({ status: 'sent', messageId: 'msg_1', attempts: 1, reason: undefined });
  });

  it('lets only one claim win, so a double click cannot send twice', async () => {
    const { id } = await store.create(newSend);
    const claims = await Promise.all([store.claim(id), store.claim(id), store.claim(id)]);
    expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
  });

  it('records a failure with its reason, and requeues it once', async () => {
    const { id } = await store.create(newSend);
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
    const { id } = await store.create(newSend);
    await expect(store.finish(id, { status: 'sent', messageId: 'm' })).rejects.toThrow(/not in flight/);
    expect(await store.requeue(id)).toBeUndefined();
  });

  it('keeps the notification reference of either kind', async () => {
    const { id } = await store.create(newSend);
    await store.setNotification(id, { kind: 'message', channel: 'C1', ts: '1700000000.000100' });
    expect((await store.get(id))?.notification).toEqual({
      kind: 'message',
      channel: 'C1',
      ts: '1700000000.000100',
    });
    await store.setNotification(id, { kind: 'ephemeral', channel: 'C1', user: 'U1' });
    expect((await store.get(id))?.notification).toEqual({ kind: 'ephemeral', channel: 'C1', user: 'U1' });
  });

  it('keeps what it stored across a reopen of the file', async () => {
    const { id } = await store.create(newSend);
    await store.close();
    store = new SqliteSendStore(file);
    expect(await store.get(id)).toMatchObject({ id, status: 'pending', cardName: 'Juan Pérez' });
  });
});

describe('databasePath', () => {
  it('accepts file: URLs, plain paths and :memory:', () => {
    expect(databasePath('file:./data/jelou-card.db')).toBe(join(process.cwd(), 'data', 'jelou-card.db'));
    expect(databasePath('/var/lib/jelou-card/sends.db')).toBe('/var/lib/jelou-card/sends.db');
    expect(databasePath(':memory:')).toBe(':memory:');
  });
});
