/**
 * The hourly pruning job on a real SQLite file, with the store's and the job's clock moved by the
 * test: sends past the retention period and drafts past two hours go; the rest stays; and only the
 * replica holding the job's lease prunes in a round.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { DRAFT_MAX_AGE_MS, prune, startPruning } from '../../src/store/pruning.js';
import type { NewSend } from '../../src/store/types.js';
import { sqliteDatabase, type TestDatabase } from './stores.js';

const logger = createLogger({ level: 'silent' });
const DAY_MS = 24 * 60 * 60 * 1000;
const newSend: NewSend = {
  teamId: 'T1',
  requestedBy: 'U1',
  channelId: 'C1',
  recipientId: '593991234567',
  recipientLabel: 'María',
  cardName: 'Juan Pérez',
  body: '{}',
  dryRun: false,
  locale: 'en',
};

let database: TestDatabase;
let clock: Date;
const now = () => clock;
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

beforeEach(async () => {
  database = await sqliteDatabase();
  clock = new Date('2026-12-01T10:00:00.000Z');
});
afterEach(async () => {
  await database.drop();
});

describe('prune', () => {
  it('removes finished sends past the retention period and drafts past two hours, nothing younger', async () => {
    const store = database.open({ now });
    await store.ready();
    const old = (await store.create({ ...newSend, submissionKey: 'old' })).send;
    await store.claim(old.id);
    await store.finish(old.id, { status: 'sent', messageId: 'm1' });
    await store.saveDraft({ id: 'old-draft', userId: 'U1', body: '{"contacts":[]}' });
    advance(DRAFT_MAX_AGE_MS + 1);
    await store.saveDraft({ id: 'new-draft', userId: 'U1', body: '{"contacts":[]}' });
    advance(30 * DAY_MS - DRAFT_MAX_AGE_MS);
    const young = (await store.create({ ...newSend, submissionKey: 'young' })).send;
    const options = { store, retentionDays: 30, logger, now: () => clock.getTime() };

    await prune(options);
    expect(await store.get(old.id)).toBeUndefined();
    expect(await store.get(young.id)).toBeDefined();
    expect(await store.getDraft('old-draft')).toBeUndefined();
    // Saved 30 days minus two hours ago: past two hours too.
    expect(await store.getDraft('new-draft')).toBeUndefined();
  });

  it('keeps a draft younger than two hours', async () => {
    const store = database.open({ now });
    await store.ready();
    await store.saveDraft({ id: 'draft', userId: 'U1', body: '{"contacts":[]}' });
    advance(DRAFT_MAX_AGE_MS - 1);
    await prune({ store, retentionDays: 30, logger, now: () => clock.getTime() });
    expect(await store.getDraft('draft')).toBeDefined();
    advance(2);
    // The lease of the round before is still held by this replica: it renews it and prunes.
    await prune({ store, retentionDays: 30, logger, now: () => clock.getTime() });
    expect(await store.getDraft('draft')).toBeUndefined();
  });

  it('prunes on one replica a round: another holding the lease skips it', async () => {
    const a = database.open({ now });
    await a.ready();
    const b = database.open({ now });
    await a.saveDraft({ id: 'draft', userId: 'U1', body: '{"contacts":[]}' });
    expect(await b.tryLease('prune', 3 * DRAFT_MAX_AGE_MS)).toBe(true);
    advance(DRAFT_MAX_AGE_MS + 1);
    await prune({ store: a, retentionDays: 30, logger, now: () => clock.getTime() });
    expect(await a.getDraft('draft')).toBeDefined();
  });
});

describe('startPruning', () => {
  it('does not hold up the start for its first round, and stopping waits for the round under way', async () => {
    // A store whose first delete takes as long as the test says: a large first round.
    let finishDelete: (removed: number) => void = () => {};
    const calls: string[] = [];
    const store = {
      tryLease: async () => true,
      deleteOlderThan: () => {
        calls.push('sends');
        return new Promise<number>((resolve) => {
          finishDelete = resolve;
        });
      },
      deleteDraftsOlderThan: async () => {
        calls.push('drafts');
        return 0;
      },
      forgetExpiredSignatures: async () => {
        calls.push('signatures');
        return 0;
      },
    };
    const stop = startPruning({ store, retentionDays: 30, logger });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['sends']);
    let stopped = false;
    const stopping = stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    finishDelete(3);
    await stopping;
    expect(calls).toEqual(['sends', 'drafts', 'signatures']);
  });

  it('logs a failed round instead of failing the start', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
    const failing = {
      tryLease: async () => {
        throw new Error('database unavailable');
      },
      deleteOlderThan: async () => 0,
      deleteDraftsOlderThan: async () => 0,
      forgetExpiredSignatures: async () => 0,
    };
    const stop = startPruning({
      store: failing,
      retentionDays: 30,
      logger: createLogger({ level: 'info', destination }),
    });
    await stop();
    expect(lines.map((line) => line.msg)).toEqual(['pruning failed']);
  });
});
