import pg from 'pg';
import { ActionId, BlockId } from '../../src/slack/ids.js';
import { STATUS_EMOJI } from '../../src/slack/views/history.js';
import { createPostgresDatabase } from '../store/stores.js';
import { type AppProcess, startAppProcess, until } from './app-process.js';
import { standInEnv, startStandIns } from './harness.js';
import type { JelouStandIn } from './jelou-standin.js';
import { picked } from './slack-payloads.js';
import type { SlackCall, SlackStandIn } from './slack-standin.js';

export type Row = {
  id: string;
  status: string;
  card_name: string;
  recipient_id: string;
  batch_id: string | null;
  error_code: string | null;
};

export const FINAL = new Set(['sent', 'failed', 'unknown']);

let cleanups: (() => Promise<void> | void)[] = [];
/** Stops what `setUp` and the test started; each test file runs it after each test. */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
}
export function onCleanUp(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** A fresh database on the test server, and the apps' environment pointing at it and the stand-ins. */
export async function setUp(extraEnv: Record<string, string> = {}) {
  const { slack, jelou } = await startStandIns();
  const database = await createPostgresDatabase();
  const env: Record<string, string> = {
    ...standInEnv(slack, jelou, 'unused'),
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    // A replica that vanished has its sends settled about a lease and a third later: 3 s here
    // instead of 30 s keeps the test short, and still spans a few renewals under a loaded machine.
    OUTBOX_LEASE_SECONDS: '3',
    ...extraEnv,
  };
  const apps: AppProcess[] = [];
  onCleanUp(async () => {
    for (const app of apps) app.kill('SIGKILL');
    await Promise.all(apps.map((app) => app.exited));
    await Promise.all([slack.close(), jelou.close()]);
    await database.drop();
  });
  const start = async (overrides: Record<string, string> = {}) => {
    const app = await startAppProcess({ ...env, ...overrides });
    apps.push(app);
    return app;
  };
  const rows = async (): Promise<Row[]> => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<Row>(
        'SELECT id, status, card_name, recipient_id, batch_id, error_code FROM sends ORDER BY created_at, id',
      );
      return result.rows;
    } finally {
      await client.end();
    }
  };
  return { slack, jelou, env, start, rows };
}

/** Polls the database until every send (and at least `count`) has reached a final state. */
export async function allFinal(
  rows: () => Promise<Row[]>,
  what: string,
  count = 1,
  timeoutMs = 60_000,
): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await rows();
    if (all.length >= count && all.every((row) => FINAL.has(row.status))) return all;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${all.length} recorded)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A recipient the picker would offer: a WhatsApp user id Jelou knows, and a label. */
export const person = (n: number) =>
  picked(`Customer ${n} · +593 99 ${String(n).padStart(7, '0')}`, `59399${String(n).padStart(7, '0')}`);

/** What Jelou received, as "card name|WhatsApp user id", one entry per request. */
export function cardsJelouGot(jelou: JelouStandIn): string[] {
  return jelou.requestsTo('messages').map((request) => {
    const body = request.body as { userId: string; contacts: { name: { formatted_name: string } }[] };
    return `${body.contacts[0]?.name.formatted_name ?? ''}|${body.userId}`;
  });
}

export const key = (row: Row) => `${row.card_name}|${row.recipient_id}`;

export function countsOf(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** Runs `work` over `items`, `width` at a time. */
export async function pooled<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

/**
 * Waits until Slack has had no chat.postMessage or chat.update for `quietMs`. The notifier paces
 * batch summaries within Slack's Tier 3 (a burst, then about one update every 1.5 s) and waits out
 * a 429's Retry-After, so the last update can come seconds after the store is final: 3 s of quiet
 * is two paced intervals.
 */
export async function slackQuiet(slack: SlackStandIn, quietMs = 3_000): Promise<void> {
  let seen = -1;
  let since = Date.now();
  await until(
    'Slack to stop receiving messages',
    () => {
      const count = slack.callsTo('chat.update').length + slack.callsTo('chat.postMessage').length;
      if (count !== seen) {
        seen = count;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    150_000,
  );
}

export type Metadata = {
  event_type?: string;
  event_payload?: { send_id?: string; status?: string; batch_id?: string };
};
export type LineBlock = { block_id?: string; text?: { text?: string } };

/** Each channel message in the state Slack shows last (the latest post or update to its ts). */
export function lastStateOfMessages(slack: SlackStandIn): SlackCall[] {
  const latest = new Map<string, SlackCall>();
  for (const call of slack.calls) {
    if (call.method !== 'chat.postMessage' && call.method !== 'chat.update') continue;
    // A call Slack refused (429 and the like) changed nothing it shows.
    if ((call.answer as { ok?: unknown } | undefined)?.ok !== true) continue;
    const ts = call.method === 'chat.update' ? call.args.ts : (call.answer as { ts?: unknown }).ts;
    latest.set(`${String(call.args.channel)}:${String(ts)}`, call);
  }
  return [...latest.values()];
}

export const metadataOf = (call: SlackCall) => (call.args.metadata ?? {}) as Metadata;

/** The status each line of a batch's message shows, read from the emoji that starts the line. */
export function batchLineStatuses(call: SlackCall): string[] {
  const blocks = (call.args.blocks ?? []) as LineBlock[];
  const byEmoji = new Map<string, string>([
    [STATUS_EMOJI.sent, 'sent'],
    [STATUS_EMOJI.failed, 'failed'],
    [STATUS_EMOJI.unknown, 'unknown'],
    [STATUS_EMOJI.pending, 'in progress'],
  ]);
  return blocks
    .filter((block) => block.block_id?.startsWith('notification_send_'))
    .map((block) => byEmoji.get((block.text?.text ?? '').split(' ')[0] ?? '') ?? 'unreadable');
}

export type ContextBlock = {
  type: string;
  block_id?: string;
  elements?: { text?: string; action_id?: string }[];
};

/**
 * How many channel messages, as last shown, say their card waits for Jelou: a single send's
 * context line with the next attempt's time and its Cancel button, or a batch whose every line
 * waits.
 */
export function waitingShown(slack: SlackStandIn): number {
  return lastStateOfMessages(slack).filter((call) => {
    const blocks = (call.args.blocks ?? []) as ContextBlock[];
    if (metadataOf(call).event_payload?.batch_id !== undefined) {
      const lines = blocks.filter((block) => block.block_id?.startsWith('notification_send_')) as LineBlock[];
      return lines.length > 0 && lines.every((line) => (line.text?.text ?? '').includes('<!date^'));
    }
    const waits = blocks
      .filter((block) => block.type === 'context')
      .flatMap((block) => block.elements ?? [])
      .some((element) => (element.text ?? '').startsWith('Jelou is not answering; trying again at <!date^'));
    const cancel = blocks
      .filter((block) => block.block_id === BlockId.NotificationActions)
      .flatMap((block) => block.elements ?? [])
      .map((element) => element.action_id);
    return waits && cancel.includes(ActionId.CancelWaitingSend);
  }).length;
}
