/**
 * What one card costs besides the call to Jelou, measured piece by piece in this process with the
 * app's own code: the two Slack Web API calls of its notification (WebClient, as the app's
 * Notifier makes them) and its SQLite work (SqliteSendStore, as the delivery service uses it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { webApi } from '@slack/bolt';
import { notificationMessage } from '../src/slack/views/notification.js';
import { SqliteSendStore } from '../src/store/sqlite.js';
import type { NewSend, SendRecord } from '../src/store/types.js';
import { SECRETS } from '../test/support/harness.js';
import { workPool } from './slack-client.js';

const sampleSend = (body: string, i: number): NewSend => ({
  submissionKey: `bench-${i}`,
  teamId: 'T0STANDIN',
  requestedBy: 'U0ALICE',
  channelId: 'C0SUPPORT',
  recipientId: '593991234567',
  recipientLabel: 'María López · +593 99 123 4567',
  cardName: 'Juan Pérez',
  body,
  dryRun: false,
  locale: 'en',
});

/**
 * `chat.postMessage` then `chat.update` per card, `concurrency` cards at a time, through Bolt's
 * WebClient to the Slack stand-in. Resolves with cards (call pairs) per second.
 */
export async function slackPairsPerSecond(slackApiUrl: string, count: number, concurrency: number) {
  const client = new webApi.WebClient(SECRETS.botToken, {
    slackApiUrl,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
  const record = (status: SendRecord['status']): SendRecord => ({
    ...sampleSend('{}', 0),
    id: 'bench',
    status,
    attempts: 1,
    messageId: status === 'sent' ? 'msg_1' : undefined,
    errorCode: undefined,
    errorStatus: undefined,
    reason: undefined,
    notification: undefined,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
  const sending = notificationMessage(record('sending'));
  const sent = notificationMessage(record('sent'));
  const started = performance.now();
  await workPool(count, concurrency, async () => {
    const posted = await client.chat.postMessage({ channel: 'C0SUPPORT', ...sending });
    await client.chat.update({ channel: 'C0SUPPORT', ts: posted.ts ?? '', ...sent });
  });
  return count / ((performance.now() - started) / 1000);
}

export type SqliteCosts = Readonly<{
  /** create + pending(16) + claim + setNotification + finish + get, per card, in µs. */
  perCardUs: number;
  /** One `pending(16)` with `backlog` sends pending, in µs. */
  pendingWithBacklogUs: number;
  backlog: number;
}>;

/** The store's work for one card, sequentially on a fresh file; then `pending` behind a backlog. */
export async function sqliteCosts(body: string, count: number, backlog: number): Promise<SqliteCosts> {
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-bench-sqlite-'));
  const store = new SqliteSendStore(`file:${join(dir, 'sends.db')}`);
  try {
    const started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const { send } = await store.create(sampleSend(body, i));
      await store.pending(16);
      await store.claim(send.id);
      await store.setNotification(send.id, { kind: 'message', channel: 'C0SUPPORT', ts: `1.${i}` });
      await store.finish(send.id, { status: 'sent', messageId: `msg_${i}` });
      await store.get(send.id);
    }
    const perCardUs = ((performance.now() - started) * 1000) / count;
    for (let i = 0; i < backlog; i += 1) await store.create(sampleSend(body, count + i));
    const rounds = 50;
    // The first read after a burst of writes pays a one-off ~100 ms (WAL and page cache): not per call.
    await store.pending(16);
    const pendingStarted = performance.now();
    for (let i = 0; i < rounds; i += 1) await store.pending(16);
    const pendingWithBacklogUs = ((performance.now() - pendingStarted) * 1000) / rounds;
    return { perCardUs, pendingWithBacklogUs, backlog };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
