/**
 * Moving a SQLite file to PostgreSQL with the documented command (the compiled CLI, as
 * `npm run copy-to-postgres` runs it): every send arrives as it was, and a second run adds nothing.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SendRecord } from '../../src/store/types.js';
import { postgresDatabase, sqliteDatabase, type TestDatabase } from './stores.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist', 'src', 'copy-to-postgres.js');

const base = {
  teamId: 'T1',
  requestedBy: 'U1',
  channelId: 'C1',
  recipientLabel: 'María',
  cardName: 'Juan',
  body: '{}',
  dryRun: false,
  locale: 'es' as const,
};
const reason = { en: 'No.', es: 'No.' };

describe('copy-to-postgres', () => {
  let sqlite: TestDatabase;
  let postgres: TestDatabase;

  beforeEach(async () => {
    sqlite = await sqliteDatabase();
    postgres = await postgresDatabase();
  });

  afterEach(async () => {
    await sqlite.drop();
    await postgres.drop();
  });

  it('copies every send and draft as it was, in order, and is safe to run again', async () => {
    const store = sqlite.open();
    const sent = (await store.create({ ...base, recipientId: '1', submissionKey: 'V1:a' })).send;
    await store.claim(sent.id);
    await store.finish(sent.id, { status: 'sent', messageId: 'wamid.1' });
    const failed = (await store.create({ ...base, recipientId: '2' })).send;
    await store.claim(failed.id);
    await store.finish(failed.id, { status: 'failed', errorCode: 'x', errorStatus: 400, reason });
    const batch = await store.createMany(
      ['3', '4', '5'].map((recipientId) => ({ ...base, recipientId, batchId: 'B1' })),
    );
    await store.setNotification(batch[0]?.send.id ?? '', { kind: 'message', channel: 'C1', ts: '1.2' });
    await store.saveDraft({ id: 'D1', userId: 'U1', body: '{"contacts":[]}' });
    const before: SendRecord[] = await Promise.all(
      [sent, failed, ...batch.map((b) => b.send)].map(async (s) => (await store.get(s.id)) as SendRecord),
    );
    await store.close();

    const first = await run(process.execPath, [CLI, sqlite.url, postgres.url]);
    expect(JSON.parse(first.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      sends: 5,
      drafts: 1,
      skipped: 0,
    });
    const again = await run(process.execPath, [CLI, sqlite.url, postgres.url]);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      sends: 0,
      skipped: 5,
    });

    const copy = postgres.open();
    for (const send of before) expect(await copy.get(send.id)).toEqual(send);
    expect((await copy.batch('B1')).map((s) => s.recipientId)).toEqual(['3', '4', '5']);
    expect(await copy.getDraft('D1')).toMatchObject({ userId: 'U1', body: '{"contacts":[]}' });
    // The copied pending sends are delivered from PostgreSQL, oldest first.
    expect((await copy.claimDue(10)).map((s) => s.recipientId)).toEqual(['3', '4', '5']);
    // A submission recorded before the move is still recognised after it.
    expect(await copy.create({ ...base, recipientId: '1', submissionKey: 'V1:a' })).toMatchObject({
      created: false,
      send: { id: sent.id },
    });
  });

  it('refuses arguments the wrong way round, saying how to call it', async () => {
    const refused = await run(process.execPath, [CLI, postgres.url, sqlite.url]).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 2 });
    expect(JSON.parse(String((refused as { stdout: string }).stdout).trim())).toMatchObject({
      msg: expect.stringMatching(/^usage: npm run copy-to-postgres/),
    });
  });
});
