/**
 * Load: 1,000 Send presses over 100 concurrent connections while Jelou answers slowly, through
 * the real HTTP receiver, the real outbox and a real SQLite file. Slack must get every
 * acknowledgement within its 3 seconds, every card must reach Jelou exactly once, and the memory
 * the burst took must come back.
 */
import { setImmediate as turn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { contactsMessageSchema } from '../../src/card/index.js';
import { BlockId } from '../../src/slack/ids.js';
import { databasePath } from '../../src/store/sqlite.js';
import { until } from '../support/app-process.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { passThrough, slow } from '../support/jelou-standin.js';
import { JUAN_FORM } from '../support/juan.js';
import { answeredView } from '../support/slack-driver.js';
import { type FormAnswers, type OpenedView, viewSubmission } from '../support/slack-payloads.js';
import { payloadBody, signatureFor } from '../support/slack-requests.js';

const SENDS = 1000;
const CONNECTIONS = 100;
/**
 * How long Jelou takes to answer each send. The outbox delivers 8 at a time, so the sends take
 * SENDS / 8 × JELOU_MS = 25 s of Jelou time: long enough that sends pile up in the outbox while
 * Slack keeps pressing Send, short enough that the file ends well within a minute.
 */
const JELOU_MS = 200;
/** Slack's limit for acknowledging a view submission: the one timing the product requires. */
const SLACK_ACK_MS = 3000;
const MB = 1024 * 1024;

/** The acknowledgement of a Send: close the modal, and nothing else. */
const CLEAR = z.strictObject({ response_action: z.literal('clear') });

let h: Harness;
let connections: Pool | undefined;
afterEach(async () => {
  await connections?.close();
  await h?.stop();
});

type Answer = Readonly<{ status: number; json: unknown; ms: number }>;

/**
 * POSTs `body` signed, as Slack would, over one of the pool's connections, timing it from the
 * moment it is sent to the moment the whole answer has arrived.
 */
async function post(pool: Pool, body: string): Promise<Answer> {
  const sent = performance.now();
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await pool.request({
    path: '/slack/events',
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signatureFor(SECRETS.signingSecret, timestamp, body),
    },
    body,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    json: text === '' ? undefined : JSON.parse(text),
    ms: performance.now() - sent,
  };
}

/** Runs `task` on every item with `workers` workers, worker w taking items w, w + workers, …; results in order. */
async function inPool<T, R>(
  items: readonly T[],
  workers: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Map<number, R>();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; i < items.length; i += workers) {
        const item = items[i];
        if (item !== undefined) results.set(i, await task(item));
      }
    }),
  );
  return [...results.entries()].sort(([a], [b]) => a - b).map(([, result]) => result);
}

/** The preview a card form submission answered with, as the modal Slack then holds (its own view id). */
async function preview(
  pool: Pool,
  form: OpenedView,
  answers: FormAnswers,
  viewId: string,
): Promise<OpenedView> {
  const { status, json } = await post(pool, payloadBody(viewSubmission(form, answers)));
  const view = answeredView({ status, json, text: '' });
  if (!view) throw new Error(`expected a preview, got ${status} ${JSON.stringify(json)}`);
  return { ...view, id: viewId, hash: `${form.hash}-preview` };
}

/**
 * A full garbage collection, when one can be asked for: `global.gc` under --expose-gc, or the
 * same function exposed at run time (V8 turns the flag on, and a fresh context then sees `gc`).
 */
function collector(): (() => void) | undefined {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  const exposed: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
  return typeof exposed === 'function' ? () => void exposed() : undefined;
}

/** Heap in use once what can be freed has been: collections between event-loop turns (or the turns alone). */
async function settledHeap(gc: (() => void) | undefined): Promise<number> {
  for (let i = 0; i < 5; i += 1) {
    await turn();
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

type Row = { status: string; card_name: string; message_id: string | null; submission_key: string | null };

function rows(): Row[] {
  const db = new Database(databasePath(h.config.databaseUrl), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], Row>('SELECT status, card_name, message_id, submission_key FROM sends').all();
  } finally {
    db.close();
  }
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

it(`acknowledges ${SENDS} Sends over ${CONNECTIONS} connections within Slack's 3 s, sends each card once, and gives the memory back`, async () => {
  h = await startHarness();
  // 1000 results in one channel would take Slack a quarter of an hour at 1 post a second: this
  // measures the app's own acknowledgements, so Slack's rate limits are off here.
  h.slack.model.rateLimits = false;
  h.jelou.script('messages', ...Array.from({ length: SENDS }, () => slow(JELOU_MS, passThrough())));
  const base = h.eventsUrl.replace(/\/slack\/events$/, '');
  const pool = new Pool(base, { connections: CONNECTIONS });
  connections = pool;

  // 1,000 previews, each a distinct card in a modal of its own (its own view id, so its own send).
  const names = Array.from({ length: SENDS }, (_, i) => `Cliente ${String(i + 1).padStart(4, '0')}`);
  const form = await h.openForm();
  const previews = await inPool(names, CONNECTIONS, (name) =>
    preview(pool, form, { ...JUAN_FORM, [BlockId.FormattedName]: name }, `V${name.replace(/\D/g, '')}`),
  );
  // Flat copies: URLSearchParams builds its text piece by piece, and those ropes (tens of MB for
  // 1,000 bodies) are flattened, and their pieces freed, only once sent, which would pass for
  // memory the burst gave back.
  const bodies = previews.map((view) => Buffer.from(payloadBody(viewSubmission(view, {}))).toString('utf8'));
  expect(new Set(bodies).size).toBe(SENDS);

  // All 100 connections open and accepted before the burst, as Slack's kept-alive ones would be.
  // Opened together with the burst instead, they were accepted about one per event-loop turn,
  // spread over 1.3 s, while this one process (the app, the test's client and the stand-ins on
  // one loop) served the connections already accepted: up to 2.5 s measured here, all of it
  // waiting to be accepted, since the app's own ack metric put every answer under 25 ms.
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () =>
      (await pool.request({ path: '/healthz', method: 'GET' })).body.text(),
    ),
  );

  const gc = collector();
  const heapBefore = await settledHeap(gc);
  const started = performance.now();
  const acks = await inPool(bodies, CONNECTIONS, (body) => post(pool, body));
  await until(
    'every card sent',
    () => h.jelou.requestsTo('messages').length === SENDS && rows().every((row) => row.status === 'sent'),
    45_000,
  );
  const seconds = (performance.now() - started) / 1000;

  // Every acknowledgement closes the modal, within Slack's 3 seconds.
  expect(acks).toHaveLength(SENDS);
  expect(acks.filter((ack) => ack.status !== 200 || !CLEAR.safeParse(ack.json).success)).toEqual([]);
  const latencies = acks.map((ack) => ack.ms).sort((a, b) => a - b);
  const figures = `acks p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${(latencies.at(-1) ?? Number.NaN).toFixed(0)} ms; all sent in ${seconds.toFixed(1)} s`;
  expect(latencies.at(-1) ?? Number.POSITIVE_INFINITY, figures).toBeLessThan(SLACK_ACK_MS);

  // Each card reached Jelou once, and is stored once, sent, with a message id of its own.
  const sentNames = h.jelou
    .requestsTo('messages')
    .map((request) => contactsMessageSchema.parse(request.body).contacts[0]?.name.formatted_name);
  expect(sentNames).toHaveLength(SENDS);
  expect(new Set(sentNames)).toEqual(new Set(names));
  const stored = rows();
  expect(stored).toHaveLength(SENDS);
  expect(stored.filter((row) => row.status !== 'sent')).toEqual([]);
  expect(new Set(stored.map((row) => row.card_name))).toEqual(new Set(names));
  expect(new Set(stored.map((row) => row.message_id)).size).toBe(SENDS);
  expect(new Set(stored.map((row) => row.submission_key)).size).toBe(SENDS);
  expect(h.slack.callsTo('chat.postMessage')).toHaveLength(SENDS);

  // The memory the burst took comes back. What this process keeps on purpose counts too: the
  // stand-ins' records of 1,000 Jelou requests and 2,000 Slack calls, and the harness's copy of
  // every trace-level log line (over 20,000): about 16 MB together. Without a way to collect
  // garbage on demand the heap is read after event-loop turns alone, with uncollected garbage in
  // it, hence the more generous bound.
  const heapAfter = await settledHeap(gc);
  const grown = (heapAfter - heapBefore) / MB;
  expect(grown, `heap grew ${grown.toFixed(1)} MB; ${figures}`).toBeLessThan(gc ? 32 : 64);
  // A hang guard, not a speed target (the acks' 3 s is asserted above; speed is `npm run bench`):
  // alone it takes about 45 s on 2 cores, and the suite runs other files beside it.
}, 180_000);
