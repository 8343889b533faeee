/**
 * The notifier's fallbacks, against the Slack stand-in (which answers as Slack documents) through
 * the real WebClient, with sends in a real SQLite store: a channel it cannot post in, a message it
 * can no longer update (message_not_found), Slack's 429 with Retry-After, and the pace of a batch's
 * updates. The waits run on vitest's fake clock, so none of them costs real time.
 */
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { Notifier } from '../../src/slack/notifier.js';
import type { SqlSendStore } from '../../src/store/sql.js';
import type { NewSend, NotificationRef, SendRecord } from '../../src/store/types.js';
import { sqliteDatabase, type TestDatabase } from '../store/stores.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';

const logger = createLogger({ level: 'silent' });

const newSend: NewSend = {
  teamId: 'T1',
  requestedBy: 'U0ALICE',
  channelId: 'C0SUPPORT',
  recipientId: '593991111111',
  recipientLabel: 'María',
  cardName: 'Juan Pérez',
  body: '{}',
  dryRun: false,
  locale: 'en',
};

let database: TestDatabase;
let store: SqlSendStore;
let slack: SlackStandIn;

beforeEach(async () => {
  database = await sqliteDatabase();
  store = database.open();
  await store.ready();
  slack = await startSlackStandIn();
});

afterEach(async () => {
  vi.useRealTimers();
  await slack.close();
  await database.drop();
});

function notifier(): Notifier {
  const client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return new Notifier(client, logger, store);
}

async function send(overrides: Partial<NewSend> = {}): Promise<SendRecord> {
  return (await store.create({ ...newSend, ...overrides })).send;
}

/** The send as stored once its notification lives at `ref`. */
async function postedAt(record: SendRecord, ref: NotificationRef): Promise<SendRecord> {
  await store.setNotification(record.id, ref);
  return (await store.get(record.id)) ?? record;
}

/**
 * Resolves once `condition` holds, letting real I/O (the stand-in's HTTP) run meanwhile. Unlike
 * vi.waitUntil it never moves the fake clock, so the test alone decides when time passes.
 */
async function until(condition: () => boolean): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > 10_000) throw new Error('condition never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const metadataOf = (method: string) => slack.callsTo(method).map((call) => call.args.metadata);

describe('Notifier fallbacks', () => {
  it('posts by DM, with a heads-up in the channel, when the channel refuses the post', async () => {
    slack.describeConversation('C0SUPPORT', { kind: 'public', botMember: false });
    slack.model.scopes.delete('chat:write.public');
    const record = await send();
    const ref = await notifier().post(record);
    expect(ref).toEqual({ kind: 'message', channel: 'DU0ALICE', ts: expect.any(String) });
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((call) => call.args.channel)).toEqual(['C0SUPPORT', 'DU0ALICE']);
    expect(posts.map((call) => call.answer)).toMatchObject([
      { ok: false, error: 'not_in_channel' },
      { ok: true },
    ]);
    expect(slack.callsTo('chat.postEphemeral').map((call) => call.args.user)).toEqual(['U0ALICE']);
  });

  it('gives up, without a DM, when the post fails for a reason another place would not fix', async () => {
    slack.on('chat.postMessage', () => ({ ok: false, error: 'invalid_blocks' }));
    expect(await notifier().post(await send())).toBeUndefined();
    expect(slack.callsTo('conversations.open')).toEqual([]);
  });

  it('moves the result to a DM when its message is gone (message_not_found), and answers the new place', async () => {
    const subject = notifier();
    const record = await send();
    const ref = await subject.post(record);
    if (ref?.kind !== 'message') throw new Error('the first post should land in the channel');
    slack.deleteMessage(ref.channel, ref.ts);
    const moved = await subject.update(await postedAt(record, ref));
    expect(moved).toEqual({ kind: 'message', channel: 'DU0ALICE', ts: expect.any(String) });
    expect(slack.callsTo('chat.update').map((call) => call.answer)).toMatchObject([
      { ok: false, error: 'message_not_found' },
    ]);
    expect(slack.callsTo('chat.postMessage').map((call) => call.args.channel)).toEqual([
      'C0SUPPORT',
      'DU0ALICE',
    ]);
  });

  it('does not move a result that already lives in the DM: it gives up', async () => {
    const subject = notifier();
    const record = await postedAt(await send(), { kind: 'message', channel: 'DU0ALICE', ts: '1.000001' });
    expect(await subject.update(record)).toBeUndefined();
    expect(slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it("waits out Slack's Retry-After on a 429, then updates the message", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const subject = notifier();
    const record = await send();
    const ref = await subject.post(record);
    if (!ref) throw new Error('the first post should land');
    const at: number[] = [];
    let first = true;
    slack.on('chat.update', () => {
      at.push(Date.now());
      if (!first) return undefined;
      first = false;
      return { httpStatus: 429, headers: { 'retry-after': '3' } };
    });
    let done = false;
    const updating = subject.update(await postedAt(record, ref)).finally(() => {
      done = true;
    });
    await until(() => at.length === 1);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(at).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => done);
    expect(await updating).toBeUndefined();
    expect(at.map((t) => t - (at[0] ?? 0))).toEqual([0, 3_000]);
    expect(metadataOf('chat.update')).toHaveLength(2);
  });

  it('does not wait out a Retry-After longer than it waits: the call fails, for the result to be shown later', async () => {
    const subject = notifier();
    const record = await send();
    const ref = await subject.post(record);
    if (!ref) throw new Error('the first post should land');
    slack.on('chat.update', () => ({ httpStatus: 429, headers: { 'retry-after': '120' } }));
    await expect(subject.update(await postedAt(record, ref))).rejects.toThrow();
    expect(slack.callsTo('chat.update')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it("paces a batch's updates: a burst of 5, then one every 1.5 s (40 a minute)", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    slack.model.rateLimits = false;
    const subject = notifier();
    const record = await send({ batchId: 'b1', submissionKey: 'k:1' });
    const ref = await subject.post(record);
    if (!ref) throw new Error('the first post should land');
    const stored = await postedAt(record, ref);
    const at: number[] = [];
    slack.on('chat.update', () => {
      at.push(Date.now());
      return undefined;
    });
    const start = Date.now();
    const updates = Array.from({ length: 8 }, () => subject.update(stored));
    await until(() => at.length === 5);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(at).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => at.length === 6);
    for (const n of [7, 8]) {
      await vi.advanceTimersByTimeAsync(1_499);
      expect(at).toHaveLength(n - 1);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => at.length === n);
    }
    await Promise.all(updates);
    expect(at.map((t) => t - start)).toEqual([0, 0, 0, 0, 0, 1_500, 3_000, 4_500]);
  });
});
