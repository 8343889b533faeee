/**
 * Several replicas as real processes (`node dist/src/main.js`) on one PostgreSQL database, as a
 * platform runs them: behind a round-robin balancer in HTTP mode, or sharing Slack's socket in
 * Socket Mode. One is killed with SIGKILL mid-run and started again; Jelou goes down and comes
 * back. Nothing may be lost, nothing sent twice, and every channel message must end up showing
 * where each of its sends ended.
 */
import type { ModalView } from '@slack/types';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionId, BlockId, MetadataEventType } from '../../src/slack/ids.js';
import { STATUS_EMOJI } from '../../src/slack/views/history.js';
import { createPostgresDatabase } from '../store/stores.js';
import { type AppProcess, startAppProcess, until } from '../support/app-process.js';
import { startBalancer } from '../support/balancer.js';
import { SECRETS, standInEnv, startStandIns } from '../support/harness.js';
import type { BehaviourContext, JelouStandIn } from '../support/jelou-standin.js';
import { JUAN_FORM } from '../support/juan.js';
import { slackDriver } from '../support/slack-driver.js';
import {
  type FormAnswers,
  type OpenedView,
  picked,
  slashCommand,
  viewSubmission,
} from '../support/slack-payloads.js';
import type { SlackCall, SlackStandIn } from '../support/slack-standin.js';
import { startSocketStandIn } from '../support/socket-standin.js';
import { startTcpGate } from '../support/tcp-gate.js';

type Row = {
  id: string;
  status: string;
  card_name: string;
  recipient_id: string;
  batch_id: string | null;
  error_code: string | null;
};

const FINAL = new Set(['sent', 'failed', 'unknown']);

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A fresh database on the test server, and the apps' environment pointing at it and the stand-ins. */
async function setUp(extraEnv: Record<string, string> = {}) {
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
  cleanups.push(async () => {
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
async function allFinal(
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
const person = (n: number) =>
  picked(`Customer ${n} · +593 99 ${String(n).padStart(7, '0')}`, `59399${String(n).padStart(7, '0')}`);

/** What Jelou received, as "card name|WhatsApp user id", one entry per request. */
function cardsJelouGot(jelou: JelouStandIn): string[] {
  return jelou.requestsTo('messages').map((request) => {
    const body = request.body as { userId: string; contacts: { name: { formatted_name: string } }[] };
    return `${body.contacts[0]?.name.formatted_name ?? ''}|${body.userId}`;
  });
}

const key = (row: Row) => `${row.card_name}|${row.recipient_id}`;

function countsOf(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** Runs `work` over `items`, `width` at a time. */
async function pooled<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
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
async function slackQuiet(slack: SlackStandIn, quietMs = 3_000): Promise<void> {
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
    90_000,
  );
}

type Metadata = {
  event_type?: string;
  event_payload?: { send_id?: string; status?: string; batch_id?: string };
};
type LineBlock = { block_id?: string; text?: { text?: string } };

/** Each channel message in the state Slack shows last (the latest post or update to its ts). */
function lastStateOfMessages(slack: SlackStandIn): SlackCall[] {
  const latest = new Map<string, SlackCall>();
  for (const call of slack.calls) {
    if (call.method !== 'chat.postMessage' && call.method !== 'chat.update') continue;
    const ts = call.method === 'chat.update' ? call.args.ts : (call.answer as { ts?: unknown }).ts;
    latest.set(`${String(call.args.channel)}:${String(ts)}`, call);
  }
  return [...latest.values()];
}

const metadataOf = (call: SlackCall) => (call.args.metadata ?? {}) as Metadata;

/** The status each line of a batch's message shows, read from the emoji that starts the line. */
function batchLineStatuses(call: SlackCall): string[] {
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

describe('three replicas behind a round-robin balancer', () => {
  it('deliver 600 sends once each through a kill -9 and a restart, and every message ends final', async () => {
    const { slack, jelou, start, rows } = await setUp();
    // Hundreds of results in one channel would take Slack minutes at its 1 post a second: this
    // proves the replicas' own guarantees, so Slack's rate limits are off (slack-behaviour.test.ts
    // has them, and the Socket Mode case below keeps them on).
    slack.model.rateLimits = false;
    // Jelou answers slowly, so each replica has sends in flight when one is killed. A request
    // whose replica died before the answer is remembered: that card may have reached the customer.
    const cutOff = new Set<number>();
    jelou.respondWith(async (ctx: BehaviourContext) => {
      if (ctx.request.route === 'messages') {
        await ctx.wait(200 + Math.floor(Math.random() * 300));
        if (ctx.res.socket === null || ctx.res.socket.destroyed) {
          cutOff.add(ctx.request.n);
          return;
        }
      }
      return ctx.answerAsJelou();
    });
    const replicas = await Promise.all([start(), start(), start()]);
    const balancer = await startBalancer(replicas.map((app) => app.eventsUrl));
    cleanups.push(() => balancer.close());
    const drive = slackDriver(balancer.eventsUrl, SECRETS.signingSecret, slack);

    // 400 single sends and 20 batches of 10: 600 cards, each its own (name, recipient).
    const form = await drive.openForm();
    const answers: FormAnswers[] = [
      ...Array.from({ length: 400 }, (_, i) => ({
        ...JUAN_FORM,
        [BlockId.FormattedName]: `Single ${i}`,
        [BlockId.Recipient]: person(i),
      })),
      ...Array.from({ length: 20 }, (_, b) => ({
        ...JUAN_FORM,
        [BlockId.FormattedName]: `Batch ${b}`,
        [BlockId.Recipient]: Array.from({ length: 10 }, (_, r) => person(1_000 + b * 10 + r)),
      })),
    ];
    const previews = await pooled(
      answers.map((card, i) => ({ card, i })),
      8,
      ({ card, i }) => drive.preview(form, card, `VPREVIEW${i}`),
    );

    const victim = 1;
    let restarted: Promise<void> | undefined;
    const killMidRun = () => {
      restarted ??= (async () => {
        const app = replicas[victim];
        if (!app) throw new Error('no victim');
        app.kill('SIGKILL');
        expect(await app.exited).toBe('SIGKILL');
        const again = await start();
        balancer.setTarget(victim, again.eventsUrl);
      })();
    };
    const statuses = await pooled(previews, 12, async (view) => {
      if (jelou.requestsTo('messages').length >= 120) killMidRun();
      return (await drive.submit(view, {})).status;
    });
    killMidRun();
    await restarted;

    const all = await allFinal(rows, 'every send to reach a final state');
    await slackQuiet(slack);

    // Each submission Slack got an answer to is on record whole; one cut off by the kill (502 from
    // the balancer) is on record whole or not at all.
    const recorded = countsOf(all.map((row) => row.card_name));
    answers.forEach((card, i) => {
      const name = String(card[BlockId.FormattedName]);
      const expected = Array.isArray(card[BlockId.Recipient]) ? 10 : 1;
      if (statuses[i] === 200) expect(recorded.get(name), name).toBe(expected);
      else expect([0, expected], name).toContain(recorded.get(name) ?? 0);
    });
    expect(statuses.filter((status) => status !== 200).length).toBeLessThanOrEqual(12);
    expect(all.length).toBeGreaterThanOrEqual(600 - 12 * 10);
    expect(new Set(all.map(key)).size).toBe(all.length);

    // Every send ended sent, or unknown for those the killed replica had in flight.
    const unknown = all.filter((row) => row.status === 'unknown');
    expect(all.filter((row) => row.status !== 'sent' && row.status !== 'unknown')).toEqual([]);
    expect(unknown.every((row) => row.error_code === 'send_interrupted')).toBe(true);
    expect(unknown.length).toBeGreaterThan(0);
    // The killed replica delivered at most 8 at once (the outbox's bound): only those are unknown.
    expect(unknown.length).toBeLessThanOrEqual(8);

    // Jelou got each sent card once; each unknown one at most once (never re-sent), and every
    // request Jelou could not answer belongs to an unknown send.
    const got = countsOf(cardsJelouGot(jelou));
    for (const row of all) {
      if (row.status === 'sent') expect(got.get(key(row)), key(row)).toBe(1);
      else expect([0, 1], key(row)).toContain(got.get(key(row)) ?? 0);
    }
    expect(cardsJelouGot(jelou)).toHaveLength(new Set(cardsJelouGot(jelou)).size);
    const unknownKeys = new Set(unknown.map(key));
    const cutOffKeys = jelou
      .requestsTo('messages')
      .filter((request) => cutOff.has(request.n))
      .map((request) => {
        const body = request.body as { userId: string; contacts: { name: { formatted_name: string } }[] };
        return `${body.contacts[0]?.name.formatted_name ?? ''}|${body.userId}`;
      });
    for (const k of cutOffKeys) expect(unknownKeys.has(k), k).toBe(true);

    // The message the app keeps for each send or batch (its newest; Map order is posting order)
    // shows, as Slack shows it last, the final state of every send in it. An older one is left
    // only where the killed replica had posted it and died before recording where: it was in
    // flight there, so there are no more of those than it had sends in flight.
    const messages = lastStateOfMessages(slack).filter(
      (call) => metadataOf(call).event_type === MetadataEventType.CardSent,
    );
    const batches = new Map<string, Row[]>();
    for (const row of all) {
      if (row.batch_id) batches.set(row.batch_id, [...(batches.get(row.batch_id) ?? []), row]);
    }
    let leftBehind = 0;
    for (const [batchId, sends] of batches) {
      const shown = messages.filter((call) => metadataOf(call).event_payload?.batch_id === batchId);
      const kept = shown.at(-1);
      if (!kept) throw new Error(`batch ${batchId} has no message`);
      expect(batchLineStatuses(kept).sort(), batchId).toEqual(sends.map((row) => row.status).sort());
      leftBehind += shown.length - 1;
    }
    for (const row of all.filter((one) => one.batch_id === null)) {
      const shown = messages.filter((call) => metadataOf(call).event_payload?.send_id === row.id);
      const kept = shown.at(-1);
      if (!kept) throw new Error(`send ${row.id} has no message`);
      expect(metadataOf(kept).event_payload?.status, row.id).toBe(row.status);
      leftBehind += shown.length - 1;
      if (shown.length > 1) expect(row.status, row.id).toBe('unknown');
    }
    expect(leftBehind).toBeLessThanOrEqual(8);
    // Every replica, the restarted one included, took requests.
    expect(balancer.answered.every((count) => count > 0)).toBe(true);
  }, 150_000);
});

const APP_TOKEN = 'xapp-1-A0JELOUCARD-1234-replicasAppTokenValue';

describe('two replicas sharing Slack’s socket (Socket Mode)', () => {
  it('each take some of the payloads, and every card is sent once and ends final', async () => {
    const socket = await startSocketStandIn();
    cleanups.push(() => socket.close());
    const { slack, jelou, start, rows } = await setUp({ SLACK_APP_TOKEN: APP_TOKEN, HEALTH_PORT: '0' });
    slack.on('apps.connections.open', () => ({ ok: true, url: socket.url }));
    jelou.respondWith(async (ctx: BehaviourContext) => {
      if (ctx.request.route === 'messages') await ctx.wait(100 + Math.floor(Math.random() * 200));
      return ctx.answerAsJelou();
    });
    await Promise.all([start(), start()]);
    await until('both replicas to connect', () => socket.connections === 2);

    await socket.deliver('slash_commands', slashCommand(''));
    const opened = await slack.waitFor('views.open');
    const form: OpenedView = { ...(opened.args.view as ModalView), id: 'VFORM', hash: 'hash-form' };
    // 24 single sends and 2 batches of 5: 34 cards.
    const answers: FormAnswers[] = [
      ...Array.from({ length: 24 }, (_, i) => ({
        ...JUAN_FORM,
        [BlockId.FormattedName]: `Socket single ${i}`,
        [BlockId.Recipient]: person(i),
      })),
      ...Array.from({ length: 2 }, (_, b) => ({
        ...JUAN_FORM,
        [BlockId.FormattedName]: `Socket batch ${b}`,
        [BlockId.Recipient]: Array.from({ length: 5 }, (_, r) => person(100 + b * 5 + r)),
      })),
    ];
    const acks = await pooled(
      answers.map((card, i) => ({ card, i })),
      6,
      async ({ card, i }) => {
        const previewed = await socket.deliver('interactive', viewSubmission(form, card));
        const view = (previewed.payload as { view?: ModalView } | undefined)?.view;
        if (!view) throw new Error(`no preview for card ${i}`);
        return socket.deliver('interactive', viewSubmission({ ...view, id: `VSOCK${i}`, hash: `h${i}` }, {}));
      },
    );
    expect(acks.map((ack) => ack.payload)).toEqual(answers.map(() => ({ response_action: 'clear' })));
    // Slack gave each payload to one connection, and both connections had some.
    expect(socket.delivered.every((count) => count > 0)).toBe(true);

    const all = await allFinal(rows, 'all 34 sends to finish', 34);
    await slackQuiet(slack);
    expect(all.map((row) => row.status)).toEqual(all.map(() => 'sent'));
    expect([...countsOf(cardsJelouGot(jelou)).values()]).toEqual(all.map(() => 1));
    expect(new Set(cardsJelouGot(jelou))).toEqual(new Set(all.map(key)));
    const messages = lastStateOfMessages(slack);
    for (const batchId of new Set(all.flatMap((row) => (row.batch_id ? [row.batch_id] : [])))) {
      const shown = messages.filter((call) => metadataOf(call).event_payload?.batch_id === batchId);
      expect(shown).toHaveLength(1);
      expect(shown.flatMap(batchLineStatuses)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    }
  }, 90_000);
});

describe('Jelou down, then back', () => {
  it('keeps the cards sent meanwhile waiting, says so, and delivers each once when it is back', async () => {
    const { slack, jelou, start, rows } = await setUp({ JELOU_RETRY_WINDOW_MINUTES: '15' });
    // Ten "Sending…" messages posted in the same second into one channel: Slack's per-channel
    // limit is slack-behaviour.test.ts's subject; this one is the outage.
    slack.model.rateLimits = false;
    // Down means the port refuses connections, as when Jelou's host is up but its server is not.
    const gate = await startTcpGate(jelou.url);
    cleanups.push(() => gate.close());
    const replicas = await Promise.all([
      start({ JELOU_API_URL: gate.url }),
      start({ JELOU_API_URL: gate.url }),
    ]);
    const balancer = await startBalancer(replicas.map((app) => app.eventsUrl));
    cleanups.push(() => balancer.close());
    const drive = slackDriver(balancer.eventsUrl, SECRETS.signingSecret, slack);
    await gate.down();

    const form = await drive.openForm();
    const answers: FormAnswers[] = [
      ...Array.from({ length: 6 }, (_, i) => ({
        ...JUAN_FORM,
        [BlockId.FormattedName]: `Outage single ${i}`,
        [BlockId.Recipient]: person(i),
      })),
      {
        ...JUAN_FORM,
        [BlockId.FormattedName]: 'Outage batch',
        [BlockId.Recipient]: Array.from({ length: 4 }, (_, r) => person(100 + r)),
      },
    ];
    for (const [i, card] of answers.entries()) {
      const status = (await drive.submit(await drive.preview(form, card, `VOUT${i}`), {})).status;
      expect(status).toBe(200);
    }
    // Every card waits: pending, its message saying when it is tried next and offering Cancel.
    await until('every card to wait', () => waitingShown(slack) === 7, 30_000);
    expect((await rows()).map((row) => row.status)).toEqual(Array.from({ length: 10 }, () => 'pending'));
    expect(jelou.requestsTo('messages')).toHaveLength(0);

    // The outage lasts long enough for every card to be refused again after its first durable
    // wait (5 s at most, jittered down to 2.5 s), so each goes through the same rescheduling a
    // 60 s outage would bring, only fewer times: 60 s would add a minute to the suite and show
    // nothing more (the wait doubles up to its 60 s cap, which a unit test of outageWaitMs covers).
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    await gate.up();

    const all = await allFinal(rows, 'the cards to arrive once Jelou is back', 10);
    await slackQuiet(slack);
    expect(all.map((row) => row.status)).toEqual(all.map(() => 'sent'));
    expect([...countsOf(cardsJelouGot(jelou)).values()]).toEqual(all.map(() => 1));
    expect(new Set(cardsJelouGot(jelou))).toEqual(new Set(all.map(key)));
    const messages = lastStateOfMessages(slack);
    for (const row of all.filter((r) => r.batch_id === null)) {
      const shown = messages.filter((call) => metadataOf(call).event_payload?.send_id === row.id);
      expect(shown.map((call) => metadataOf(call).event_payload?.status)).toEqual(['sent']);
    }
    const batch = messages.filter((call) => metadataOf(call).event_payload?.batch_id !== undefined);
    expect(batch.flatMap(batchLineStatuses)).toEqual(['sent', 'sent', 'sent', 'sent']);
  }, 90_000);
});

type ContextBlock = { type: string; block_id?: string; elements?: { text?: string; action_id?: string }[] };

/**
 * How many channel messages, as last shown, say their card waits for Jelou: a single send's
 * context line with the next attempt's time and its Cancel button, or a batch whose every line
 * waits.
 */
function waitingShown(slack: SlackStandIn): number {
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
