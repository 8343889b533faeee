/**
 * What one card costs besides the call to Jelou, measured piece by piece in this process with the
 * app's own code: the two Slack Web API calls of its notification (WebClient, as the app's
 * Notifier makes them) and its store work (SQLite or PostgreSQL, as the delivery service uses it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { webApi } from '@slack/bolt';
import { notificationMessage } from '../src/slack/views/notification.js';
import { openStore } from '../src/store/open.js';
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

export type StoreCosts = Readonly<{
  /** The store calls one card makes on the send path (see `storeCosts`), per card, in µs. */
  perCardUs: number;
  /** One `claimDue(8)` with `backlog` sends pending, in µs. */
  claimWithBacklogUs: number;
  backlog: number;
}>;

/**
 * The store's work for one card, sequentially on a fresh database, as the app's send path makes
 * it: `createMany` (inside the ack), `claimDue`, `get` and `setNotification` for "Sending…",
 * `finish`, `get` for the result, `shown`. Then one `claimDue` behind a backlog of pending sends.
 */
export async function storeCosts(
  url: string,
  body: string,
  count: number,
  backlog: number,
): Promise<StoreCosts> {
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-bench-store-'));
  const store = openStore(url.startsWith('file:') ? `file:${join(dir, 'sends.db')}` : url);
  try {
    await store.ready();
    const started = performance.now();
    for (let i = 0; i < count; i += 1) {
      await store.createMany([sampleSend(body, i)]);
      const [send] = await store.claimDue(8);
      if (!send) throw new Error('nothing to claim');
      await store.get(send.id);
      await store.setNotification(send.id, { kind: 'message', channel: 'C0SUPPORT', ts: `1.${i}` });
      await store.finish(send.id, { status: 'sent', messageId: `msg_${i}` });
      await store.get(send.id);
      await store.shown(send.id);
    }
    const perCardUs = ((performance.now() - started) * 1000) / count;
    for (let i = 0; i < backlog; i += 1) await store.create(sampleSend(body, count + i));
    // Each claim takes up to 8 sends; as many new ones are added back, so the backlog stays put.
    const rounds = 50;
    let spent = 0;
    for (let i = 0; i < rounds; i += 1) {
      const at = performance.now();
      const claimed = await store.claimDue(8);
      spent += performance.now() - at;
      for (let k = 0; k < claimed.length; k += 1)
        await store.create(sampleSend(body, count + backlog + i * 8 + k));
    }
    return { perCardUs, claimWithBacklogUs: (spent * 1000) / rounds, backlog };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
