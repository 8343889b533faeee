import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { databasePath, SqliteSendStore } from '../../src/store/sqlite.js';

/** What is particular to SQLite; every store method is in the shared contract (contract.test.ts). */
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

  it('creates the directory, runs the migrations and uses WAL', async () => {
    await store.ready();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });
});

describe('migrations', () => {
  it('bring a file from every earlier version to the newest, keeping its sends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jelou-card-migrate-'));
    try {
      for (let from = 0; from < MIGRATIONS.length; from++) {
        // A file as an earlier build left it: its version only in user_version.
        const file = join(dir, `from-${from}.db`);
        const db = new Database(file);
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
        db.close();
        const store = new SqliteSendStore(`file:${file}`);
        await store.ready();
        // Sends from before the language was stored were notified in English, and stay so.
        if (from >= 1)
          expect(await store.get('old'), `from version ${from}`).toMatchObject({
            status: 'sent',
            locale: 'en',
          });
        if (from >= 2) {
          expect(await store.get('keyed')).toMatchObject({
            submissionKey: 'V1:h1',
            locale: 'en',
            status: 'failed',
          });
          // The old send keeps its submission: the same submission again records nothing new.
          const again = await store.create({
            teamId: 'T1',
            requestedBy: 'U1',
            channelId: 'C1',
            recipientId: '1',
            recipientLabel: 'l',
            cardName: 'c',
            body: '{}',
            dryRun: false,
            locale: 'es',
            submissionKey: 'V1:h1',
          });
          expect(again).toMatchObject({ created: false, send: { id: 'keyed' } });
        }
        // The newest schema is complete: a send can be recorded, claimed and finished.
        const { send } = await store.create({
          teamId: 'T1',
          requestedBy: 'U1',
          channelId: 'C1',
          recipientId: '1',
          recipientLabel: 'l',
          cardName: 'c',
          body: '{}',
          dryRun: false,
          locale: 'es',
          submissionKey: 'k',
          batchId: 'B1',
        });
        expect((await store.claimDue(5)).map((s) => s.id)).toEqual([send.id]);
        await store.close();
        const reopened = new Database(file, { readonly: true });
        expect(reopened.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are idempotent: opening a migrated file again changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jelou-card-migrate-'));
    try {
      const file = join(dir, 'sends.db');
      for (let i = 0; i < 2; i++) {
        const store = new SqliteSendStore(`file:${file}`);
        await store.ready();
        await store.close();
      }
      const db = new Database(file, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT COUNT(*) AS n FROM kysely_migration').get()).toEqual({
        n: MIGRATIONS.length,
      });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('databasePath', () => {
  it('accepts file: URLs, plain paths and :memory:', () => {
    expect(databasePath('file:./data/jelou-card.db')).toBe(join(process.cwd(), 'data', 'jelou-card.db'));
    expect(databasePath('/var/lib/jelou-card/sends.db')).toBe('/var/lib/jelou-card/sends.db');
    expect(databasePath(':memory:')).toBe(':memory:');
  });
});
