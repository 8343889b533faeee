/**
 * The floor for send throughput: the work one card cannot do without, made of the libraries the
 * app uses and none of its logic. Bolt's HTTP receiver takes the signed Send click; one Kysely
 * insert records the card (the app's schema, on SQLite or PostgreSQL as `DATABASE_URL` says);
 * Slack is answered; then one undici POST to Jelou runs beside `chat.postMessage` ("Sending…")
 * through Bolt's client, and `chat.update` ("Sent") follows, with the app's own message JSON.
 * No outbox, leases, claims, notification records, logging or locale: what is left is the cost
 * of Bolt, the store driver, undici and the Web API client. Prints one ready line with its port.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { Pool } from 'undici';
import { notificationMessage } from '../src/slack/views/notification.js';
import { openStore } from '../src/store/open.js';
import type { SendRecord } from '../src/store/types.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const CHANNEL = 'C0SUPPORT';
const cardBody = env('FLOOR_CARD_BODY');
const jelouPath = `/v1/bots/${encodeURIComponent(env('JELOU_BOT_ID'))}/messages`;
const jelouHeaders = {
  authorization: `Basic ${Buffer.from(`${env('JELOU_CLIENT_ID')}:${env('JELOU_CLIENT_SECRET')}`).toString('base64')}`,
  accept: 'application/json',
  'content-type': 'application/json',
};
// As many sockets as the app's Jelou transport keeps (src/jelou/transport.ts).
const jelou = new Pool(env('JELOU_API_URL'), { connections: 16, keepAliveTimeout: 4_000 });

const store = openStore(env('DATABASE_URL'));
const db = await store.database();

const app = new App({
  token: env('SLACK_BOT_TOKEN'),
  signingSecret: env('SLACK_SIGNING_SECRET'),
  clientOptions: { slackApiUrl: env('SLACK_API_URL') },
});

/** The send as the app's notification renders it, so both post and update the same JSON. */
function record(id: string, status: SendRecord['status'], messageId?: string): SendRecord {
  const now = new Date().toISOString();
  return {
    id,
    status,
    teamId: 'T0STANDIN',
    requestedBy: 'U0ALICE',
    channelId: CHANNEL,
    recipientId: '593991234567',
    recipientLabel: '+593 99 123 4567',
    cardName: 'Juan Pérez',
    body: cardBody,
    dryRun: false,
    locale: 'en',
    attempts: 1,
    messageId,
    errorCode: undefined,
    errorStatus: undefined,
    reason: undefined,
    notification: undefined,
    createdAt: now,
    updatedAt: now,
  };
}

app.view({ type: 'view_submission' }, async ({ ack, view, client }) => {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('sends')
    .values({
      id,
      status: 'pending',
      team_id: 'T0STANDIN',
      requested_by: 'U0ALICE',
      channel_id: CHANNEL,
      recipient_id: '593991234567',
      recipient_label: '+593 99 123 4567',
      card_name: 'Juan Pérez',
      body: cardBody,
      dry_run: 0,
      attempts: 0,
      submission_key: `${view.id}:${view.hash}`,
      batch_id: null,
      thread_ts: null,
      locale: 'en',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await ack({ response_action: 'clear' });
  const [posted, answered] = await Promise.all([
    client.chat.postMessage({ channel: CHANNEL, ...notificationMessage(record(id, 'sending')) }),
    jelou.request({ method: 'POST', path: jelouPath, headers: jelouHeaders, body: cardBody }),
  ]);
  const answer = JSON.parse(await answered.body.text()) as { id?: string };
  if (answered.statusCode !== 200) throw new Error(`Jelou answered ${answered.statusCode}`);
  await client.chat.update({
    channel: CHANNEL,
    ts: posted.ts ?? '',
    ...notificationMessage(record(id, 'sent', answer.id ?? 'msg')),
  });
});

const server = (await app.start(Number(process.env.PORT ?? '0'))) as Server;
const { port } = server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ msg: 'floor-app is running', port })}\n`);
process.once('SIGTERM', () => {
  void app
    .stop()
    .then(() => Promise.all([store.close(), jelou.close()]))
    .finally(() => process.exit(0));
});
