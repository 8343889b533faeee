/**
 * `npm run bench`: the real app as a process (`node dist/src/main.js`, HTTP mode) against the
 * loopback Slack and Jelou stand-ins, on SQLite and on PostgreSQL, each figure next to a baseline
 * that does the same unavoidable work, measured in the same run:
 *
 * 1. Modal open (signed /jelou-card → views.open at Slack) vs a bare Bolt app opening the very
 *    same form JSON (minimal-app.ts with the app's own view).
 * 2. The Send click's acknowledgement while Jelou takes 5 s per request, vs Slack's 3 s limit.
 * 3. Send throughput through the whole pipeline vs the floor pipeline (floor-app.ts: Bolt's
 *    receiver, one insert, one undici POST to Jelou, the same two Web API calls).
 * 4. Start-to-ready time and idle RSS vs a bare Bolt app (minimal-app.ts, one-block modal).
 *
 * `npm run bench -- --soak` instead sends 100,000 cards through one app per store and samples its
 * RSS and heap (after a full GC, over the inspector) every 10,000 sends.
 *
 * Prints the machine and the tables, and writes them to BENCHMARKS.md (between its markers,
 * keeping the notes around them). Environment knobs:
 *   BENCH_STORES=sqlite,postgres   which stores (default both)
 *   BENCH_PHASES=modal,ack,throughput   run only these phases (footprint always runs)
 *   BENCH_SCALE=0.1                fewer samples and sends, for trying the bench out
 *   BENCH_CPU_PROF_DIR=/tmp/prof   profile the app and the baselines (`node --cpu-prof`, one folder each)
 *   BENCH_HEAP_SNAPSHOTS=/tmp/heap soak only: heap snapshots at 20,000 sends and at the end
 *   BENCH_DATABASE_URL=postgres://… an admin URL to use instead of the embedded server
 *   BENCH_WRITE=0                  do not touch BENCHMARKS.md
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { ModalView } from '@slack/types';
import { cardFormView, INITIAL_ROWS } from '../src/slack/views/card-form.js';
import { openStore } from '../src/store/open.js';
import { repositoryRoot } from '../test/support/app-process.js';
import { modalLimitViolations } from '../test/support/block-kit-limits.js';
import { JELOU_BOT, JELOU_CLIENT_ID, SECRETS, standInEnv, startStandIns } from '../test/support/harness.js';
import { passThrough, slow } from '../test/support/jelou-standin.js';
import { JUAN_FORM } from '../test/support/juan.js';
import {
  ALICE,
  CHANNEL,
  type OpenedView,
  slashCommand,
  viewSubmission,
} from '../test/support/slack-payloads.js';
import { commandBody, payloadBody } from '../test/support/slack-requests.js';
import { slackPairsPerSecond, storeCosts } from './breakdown.js';
import { connectInspector, type Inspector, inspectorUrlIn } from './inspector.js';
import { machineDescription } from './machine.js';
import { type BenchPostgres, startPostgres } from './postgres.js';
import { killAll, type NodeProcess, spawnNode } from './processes.js';
import { type SignedClient, signedClient, workPool } from './slack-client.js';
import { fmt, growth, markdownTable, median, mib, percentile, ratio, verdict } from './stats.js';

// ---------------------------------------------------------------------------------------------
// Sizes: the default run takes a few minutes on 2 cores; the soak about a quarter of an hour.

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const scaled = (n: number, least = 1) => Math.max(least, Math.round(n * SCALE));
// Nine, not five: the same bare Bolt start, measured twice in one run, differed by a quarter.
const STARTS = 9;
const WARM_UP = scaled(200, 20);
const MODAL_SAMPLES_C1 = scaled(400, 20);
const MODAL_SAMPLES_C50 = scaled(1000, 100);
const ACK_SENDS = scaled(200, 20);
/** Send clicks in flight at once while Jelou is slow: a busy support team pressing Send together. */
const ACK_CONCURRENCY = 20;
const JELOU_SLOW_MS = 5_000;
const THROUGHPUT_SENDS = scaled(2_000, 100);
/** Send clicks in flight at once during the throughput runs; enough to keep the outbox fed. */
const SUBMIT_CONCURRENCY = 16;
/** The outbox's own bound (src/delivery/outbox.ts). */
const OUTBOX_CONCURRENCY = 8;
const STORE_CARDS = scaled(1_000, 50);
const STORE_BACKLOG = scaled(5_000, 200);
const IDLE_MS = 2_000;
const SLACK_ACK_LIMIT_MS = 3_000;
const SOAK_SENDS = scaled(100_000, 1_000);
const SOAK_EVERY = SOAK_SENDS / 10;
/** Growth from here to the end is what the soak judges: before it, caches and JIT warm up. */
const SOAK_FROM = SOAK_EVERY * 2;
/**
 * Full GCs per soak sample, a second apart; the sample is the last. A first GC leaves garbage
 * that only a later one frees (objects held until finalization callbacks and timers due in the
 * next seconds have run): 1–1.4 MiB more than the readings after it, which agreed within 0.2 MiB.
 */
const SOAK_GCS = 3;
const SOAK_GC_GAP_MS = 1_000;

const TARGET_MODAL = 1.15;
const TARGET_THROUGHPUT = 0.7;
const TARGET_START = 1.5;
const TARGET_SOAK_GROWTH = 0.1;

const ROOT = repositoryRoot();
/** What `npm start` runs: the bundle (scripts/bundle.mjs). */
const APP_MAIN = join(ROOT, 'dist', 'jelou-card.js');
/** The same app as tsc emits it, one module per file: what the bundle saves at start. */
const APP_UNBUNDLED = join(ROOT, 'dist', 'src', 'main.js');
const MINIMAL_MAIN = join(import.meta.dirname, 'minimal-app.js');
const FLOOR_MAIN = join(import.meta.dirname, 'floor-app.js');
const BENCHMARKS_FILE = join(ROOT, 'BENCHMARKS.md');

const SOAK = process.argv.includes('--soak');
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres')
  .split(',')
  .map((store) => store.trim())
  .filter((store): store is Store => store === 'sqlite' || store === 'postgres');
const PROFILE_DIR = process.env.BENCH_CPU_PROF_DIR;
const HEAP_DIR = process.env.BENCH_HEAP_SNAPSHOTS;
const PHASES = new Set(
  (process.env.BENCH_PHASES ?? 'modal,ack,throughput').split(',').map((phase) => phase.trim()),
);
const WRITE = process.env.BENCH_WRITE !== '0';
/** Hard stop for the whole run, so a bug can never leave it (or its children) hanging. */
const WATCHDOG_MS = SOAK ? 60 * 60_000 : 15 * 60_000;

type Store = 'sqlite' | 'postgres';
const STORE_NAME: Record<Store, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

const say = (text = '') => process.stdout.write(`${text}\n`);
const progress = (text: string) =>
  process.stderr.write(`bench ${new Date().toISOString().slice(11, 19)}: ${text}\n`);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

// ---------------------------------------------------------------------------------------------
// Load on the machine while the bench runs: its own processes count too (about 2 when busy).

const loads: number[] = [];
const loadSampler = setInterval(() => loads.push(loadavg()[0] ?? Number.NaN), 5_000);
loadSampler.unref();
const loadText = () => {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return `${one.toFixed(2)}, ${five.toFixed(2)}, ${fifteen.toFixed(2)}`;
};

// ---------------------------------------------------------------------------------------------
// The world: stand-ins, with hooks that time what reaches Slack.

type Opened = Readonly<{ at: number; view: ModalView; bytes: number }>;

const { slack, jelou } = await startStandIns();
// Real Slack lets a channel take about one message a second (the stand-in models it): a bench of
// thousands of cards a second measures CPU, so that limit would be all it showed.
slack.model.rateLimits = false;
// Likewise a trigger id lives 3 s at Slack: on a shared, loaded machine a c=50 burst can take
// longer, and the figures (p99) are what should show it, not an expired_trigger_id.
slack.model.expireTriggers = false;
const tempDir = mkdtempSync(join(tmpdir(), 'jelou-card-bench-'));
let postgres: BenchPostgres | undefined;

/** views.open waiters by trigger id. */
const opening = new Map<string, (opened: Opened) => void>();
slack.on('views.open', (call) => {
  const at = performance.now();
  const trigger = String(call.args.trigger_id);
  const view = call.args.view as ModalView;
  opening.get(trigger)?.({ at, view, bytes: JSON.stringify(view).length });
  opening.delete(trigger);
  return undefined;
});

/**
 * Cards whose notification reached its end (app or floor): "Sent", or anything else but "Sending…"
 * (on a machine this busy a Jelou answer can time out, and the app then rightly says "may or may
 * not have arrived"). Those are counted and reported, not hidden.
 */
let sentCount = 0;
let notSent = 0;
let lastNotSent = '';
const sentWaiters: { n: number; resolve: (at: number) => void }[] = [];
slack.on('chat.update', (call) => {
  const text = String(call.args.text);
  if (text.startsWith(':hourglass')) return undefined;
  if (text.startsWith(':white_check_mark: Sent')) sentCount += 1;
  else {
    notSent += 1;
    lastNotSent = text;
  }
  const at = performance.now();
  for (const waiter of [...sentWaiters]) {
    if (sentCount + notSent >= waiter.n) {
      sentWaiters.splice(sentWaiters.indexOf(waiter), 1);
      waiter.resolve(at);
    }
  }
  return undefined;
});

/** The stand-ins keep every request for tests to inspect; a long run must not keep them all. */
function forgetStandInRecords(): void {
  (slack.calls as unknown[]).length = 0;
  (jelou.requests as unknown[]).length = 0;
}

/** Resolves with the moment the n-th card reached its end; fails on timeout. */
async function untilSent(n: number, timeoutMs: number): Promise<number> {
  if (sentCount + notSent >= n) return performance.now();
  const arrived = new Promise<number>((resolve) => sentWaiters.push({ n, resolve }));
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const at = await Promise.race([arrived, delay(100, undefined)]);
    if (at !== undefined) return at;
    if (performance.now() > deadline) {
      const methods = new Map<string, number>();
      for (const call of slack.calls) methods.set(call.method, (methods.get(call.method) ?? 0) + 1);
      throw new Error(
        `only ${sentCount + notSent} of ${n} cards ended within ${timeoutMs} ms; Slack saw ${JSON.stringify([...methods])}, Jelou ${jelou.requests.length} requests`,
      );
    }
  }
}

/** Cards that did not end "Sent" so far, for the notes. */
const notSentNote = () =>
  notSent === 0
    ? 'every card ended "Sent"'
    : `${notSent} cards did not end "Sent" (the last: "${lastNotSent.slice(0, 80)}")`;

function expectViewsOpen(trigger: string, timeoutMs = 30_000): Promise<Opened> {
  const opened = new Promise<Opened>((resolve, reject) => {
    const timer = setTimeout(() => {
      opening.delete(trigger);
      reject(new Error(`no views.open for ${trigger} within ${timeoutMs} ms`));
    }, timeoutMs);
    opening.set(trigger, (opened) => {
      clearTimeout(timer);
      resolve(opened);
    });
  });
  // Awaited only after the command's own answer: a rejection before then must not go unhandled.
  opened.catch(() => {});
  return opened;
}

// ---------------------------------------------------------------------------------------------
// Processes

let databases = 0;
/**
 * A fresh database of `store`'s kind with the app's schema already in place, as every start but a
 * deployment's very first finds it, for a start to be timed; and how long migrating it took here.
 */
async function migratedDatabase(store: Store): Promise<{ url: string; migrateMs: number }> {
  const url = await freshDatabase(store);
  const started = performance.now();
  const opened = openStore(url);
  try {
    await opened.ready();
  } finally {
    await opened.close();
  }
  return { url, migrateMs: performance.now() - started };
}

/** A fresh database of `store`'s kind, for one process. */
async function freshDatabase(store: Store): Promise<string> {
  databases += 1;
  if (store === 'sqlite') return `file:${join(tempDir, `sends-${databases}.db`)}`;
  if (!postgres) throw new Error('PostgreSQL is not running');
  return postgres.database(`bench_${databases}`);
}

type Started = Readonly<{ process: NodeProcess; databaseUrl: string; inspector?: Inspector }>;

async function startApp(
  store: Store,
  options: { nodeArgs?: readonly string[]; inspect?: boolean; script?: string; databaseUrl?: string } = {},
): Promise<Started> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabase(store));
  let inspectorUrl: string | undefined;
  const app = await spawnNode({
    script: options.script ?? APP_MAIN,
    env: {
      ...standInEnv(slack, jelou, 'unused.db'),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_SECONDS: '2',
    },
    nodeArgs: [...(options.nodeArgs ?? []), ...(options.inspect ? ['--inspect=127.0.0.1:0'] : [])],
    readyMessage: 'jelou-card is running',
    onStderr: (line) => {
      inspectorUrl ??= inspectorUrlIn(line);
    },
  });
  if (!options.inspect) return { process: app, databaseUrl };
  if (!inspectorUrl) throw new Error('the app printed no inspector address');
  return { process: app, databaseUrl, inspector: await connectInspector(inspectorUrl) };
}

const baseEnv = () => ({
  SLACK_BOT_TOKEN: SECRETS.botToken,
  SLACK_SIGNING_SECRET: SECRETS.signingSecret,
  SLACK_API_URL: slack.apiUrl,
  PORT: '0',
});

/** `--cpu-prof` into a folder of `PROFILE_DIR` per kind of process, when profiling. */
const profiled = (kind: string): string[] =>
  PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE_DIR, kind)}`] : [];

/**
 * Bare Bolt (one-block modal), or with `viewFile` the same-view baseline; with `logContext` that
 * baseline also runs each request inside an AsyncLocalStorage, as the app's log context does.
 */
const startMinimal = (viewFile?: string, logContext = false) =>
  spawnNode({
    script: MINIMAL_MAIN,
    env: {
      ...baseEnv(),
      ...(viewFile ? { MINIMAL_VIEW_FILE: viewFile } : {}),
      ...(logContext ? { MINIMAL_LOG_CONTEXT: '1' } : {}),
    },
    nodeArgs: viewFile && !logContext ? profiled('same-view') : [],
    readyMessage: 'minimal-app is running',
  });

async function startFloor(store: Store, cardBody: string): Promise<NodeProcess> {
  return spawnNode({
    script: FLOOR_MAIN,
    env: {
      ...baseEnv(),
      DATABASE_URL: await freshDatabase(store),
      JELOU_API_URL: jelou.url,
      JELOU_BOT_ID: JELOU_BOT,
      JELOU_CLIENT_ID,
      JELOU_CLIENT_SECRET: SECRETS.clientSecret,
      FLOOR_CARD_BODY: cardBody,
    },
    nodeArgs: profiled('floor'),
    readyMessage: 'floor-app is running',
  });
}

// ---------------------------------------------------------------------------------------------
// Measurements

type OpenSample = Readonly<{ openMs: number; ackMs: number }>;

/** One /jelou-card: from the signed request leaving to views.open reaching the Slack stand-in. */
async function openModal(client: SignedClient): Promise<OpenSample & { opened: Opened }> {
  const fields = slashCommand('', ALICE, CHANNEL, slack.responseUrl);
  const opened = expectViewsOpen(fields.trigger_id);
  const posted = await client.post(commandBody(fields));
  if (posted.status !== 200) throw new Error(`/jelou-card answered ${posted.status}: ${posted.text}`);
  const view = await opened;
  return { openMs: view.at - posted.startedAt, ackMs: posted.ms, opened: view };
}

async function openModals(client: SignedClient, count: number, concurrency: number): Promise<OpenSample[]> {
  const samples: OpenSample[] = [];
  await workPool(count, concurrency, async () => {
    const { openMs, ackMs } = await openModal(client);
    samples.push({ openMs, ackMs });
  });
  return samples;
}

/** A real preview: the form the app opened, filled in with Juan Pérez and submitted. */
async function preparePreview(client: SignedClient): Promise<OpenedView> {
  const { opened } = await openModal(client);
  const form: OpenedView = { ...(opened.view as ModalView), id: 'VBENCHFORM', hash: 'hash-form' };
  const answered = await client.post(payloadBody(viewSubmission(form, JUAN_FORM)));
  const json = JSON.parse(answered.text) as { response_action?: string; view?: ModalView };
  if (json.response_action !== 'update' || !json.view) throw new Error(`no preview: ${answered.text}`);
  return { ...json.view, id: 'VBENCHPREVIEW', hash: 'hash-preview' };
}

/** The i-th signed Send click on the preview, as its own view (distinct id and hash: a distinct send). */
const sendBody = (preview: OpenedView, prefix: string, i: number): string =>
  payloadBody(viewSubmission({ ...preview, id: `V${prefix}${i}`, hash: `hash-${prefix}-${i}` }, {}));

/** Posts `count` Send clicks, `concurrency` at a time; resolves with each acknowledgement's time in ms. */
async function pressSend(
  client: SignedClient,
  preview: OpenedView,
  prefix: string,
  count: number,
  concurrency: number,
) {
  const acks: number[] = [];
  await workPool(count, concurrency, async (i) => {
    const posted = await client.post(sendBody(preview, prefix, i));
    if (posted.status !== 200 || !posted.text.includes('"clear"'))
      throw new Error(`Send answered ${posted.status}: ${posted.text}`);
    acks.push(posted.ms);
  });
  return acks;
}

type Throughput = Readonly<{
  perSecond: number;
  acks: number[];
  cpuMs: number;
  benchCpuMs: number;
  logLines: number;
}>;

/** Presses Send `count` times; from the first click to the last card's "Sent" notification. */
async function pipeline(
  target: NodeProcess,
  client: SignedClient,
  preview: OpenedView,
  prefix: string,
  count: number,
): Promise<Throughput> {
  const until = sentCount + notSent + count;
  gc();
  const cpu = target.cpuMs();
  const lines = target.lines();
  const benchCpu = process.cpuUsage();
  const started = performance.now();
  const done = untilSent(until, 120_000 + count * 20);
  const [acks, finished] = await Promise.all([
    pressSend(client, preview, prefix, count, SUBMIT_CONCURRENCY),
    done,
  ]);
  const used = process.cpuUsage(benchCpu);
  return {
    perSecond: count / ((finished - started) / 1000),
    acks,
    cpuMs: target.cpuMs() - cpu,
    benchCpuMs: (used.user + used.system) / 1000,
    logLines: target.lines() - lines,
  };
}

/**
 * What the Slack stand-in does with a views.open before the hook sees it (decode the form body,
 * parse the view, check Block Kit limits), in µs: part of every "open" figure, not the app's doing.
 */
function standInCostUs(view: ModalView): number {
  const body = new URLSearchParams({ trigger_id: 'x', view: JSON.stringify(view) }).toString();
  const rounds = 200;
  const started = performance.now();
  for (let i = 0; i < rounds; i += 1) {
    for (const [, value] of new URLSearchParams(body))
      if (value.startsWith('{')) modalLimitViolations(JSON.parse(value));
  }
  return ((performance.now() - started) * 1000) / rounds;
}

async function statusCounts(databaseUrl: string): Promise<Record<string, number>> {
  const store = openStore(databaseUrl);
  try {
    const counts = await store.countsByStatus();
    return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The default run

type Row = readonly [
  metric: string,
  store: string,
  app: string,
  baseline: string,
  ratio: string,
  target: string,
  met: string,
];

/** The form as the app opens it for /jelou-card in CHANNEL (English, nothing filled in). */
function sameViewFile(): string {
  const file = join(tempDir, 'form-view.json');
  const view = cardFormView({
    locale: 'en',
    channelId: CHANNEL,
    rows: INITIAL_ROWS,
    contact: {},
    recipients: [],
  });
  writeFileSync(file, JSON.stringify(view));
  return file;
}

async function benchStore(store: Store, rows: Row[], details: string[]): Promise<void> {
  const name = STORE_NAME[store];
  const row = (
    metric: string,
    app: number,
    base: number,
    baseText: string,
    target: string,
    ok: string,
  ): Row => [metric, name, fmt(app), baseText, ratio(app, base), target, ok];

  // 4a. Start-to-ready, alternating the app and bare Bolt; the last of each stays up.
  progress(`${name}: starting processes`);
  const appStarts: number[] = [];
  const bareStarts: number[] = [];
  const unbundledStarts: number[] = [];
  const migrations: number[] = [];
  let started: Started | undefined;
  let bare: NodeProcess | undefined;
  const profileArgs = profiled('app');
  for (let i = 0; i < STARTS; i += 1) {
    const last = i === STARTS - 1;
    const b = await startMinimal();
    bareStarts.push(b.readyMs);
    if (last) bare = b;
    else await b.stop();
    const forUnbundled = await migratedDatabase(store);
    const u = await startApp(store, { script: APP_UNBUNDLED, databaseUrl: forUnbundled.url });
    unbundledStarts.push(u.process.readyMs);
    await u.process.stop();
    const forApp = await migratedDatabase(store);
    migrations.push(forUnbundled.migrateMs, forApp.migrateMs);
    const a = await startApp(store, { nodeArgs: last ? profileArgs : [], databaseUrl: forApp.url });
    appStarts.push(a.process.readyMs);
    if (last) started = a;
    else await a.process.stop();
  }
  if (!started || !bare) throw new Error('no process was kept running');
  const app = started.process;
  const startRatio = median(appStarts) / median(bareStarts);
  rows.push(
    row(
      `Start to ready, median of ${STARTS} (ms)`,
      median(appStarts),
      median(bareStarts),
      `${fmt(median(bareStarts))} (bare Bolt)`,
      `≤ ${TARGET_START}×`,
      verdict(startRatio <= TARGET_START),
    ),
    row(
      `Start to ready without the bundle (\`node dist/src/main.js\`), median of ${STARTS} (ms)`,
      median(unbundledStarts),
      median(bareStarts),
      `${fmt(median(bareStarts))} (bare Bolt)`,
      '—',
      '',
    ),
  );
  await delay(IDLE_MS);
  const appIdleRss = app.rssKib();
  const bareIdleRss = bare.rssKib();
  rows.push(
    row(
      `Idle RSS ${IDLE_MS / 1000} s after ready (MiB)`,
      mib(appIdleRss),
      mib(bareIdleRss),
      `${fmt(mib(bareIdleRss))} (bare Bolt)`,
      '—',
      '',
    ),
  );
  await bare.stop();
  details.push(
    `- ${name}, start to ready: each start opens a database that already has the app's schema, as every start after a deployment's first finds it; creating that schema in an empty database (the first start's extra work, done by the bench beforehand) took ${fmt(median(migrations))} ms (median of ${migrations.length}).`,
  );

  const appClient = signedClient(app.eventsUrl, SECRETS.signingSecret);
  try {
    // 1. Modal open against the same view, interleaved in two rounds so drift hits both alike.
    if (PHASES.has('modal')) {
      progress(`${name}: modal open`);
      const same = await startMinimal(sameViewFile());
      const sameClient = signedClient(same.eventsUrl, SECRETS.signingSecret);
      // Not a baseline: the same-view app plus the app's log context alone (an AsyncLocalStorage,
      // which on Node 20 turns on async hooks for every promise), to show what that piece costs.
      const withContext = await startMinimal(sameViewFile(), true);
      const withContextClient = signedClient(withContext.eventsUrl, SECRETS.signingSecret);
      const targets = [
        { name: 'app', process: app, client: appClient, c1: [] as OpenSample[], c50: [] as OpenSample[] },
        { name: 'same', process: same, client: sameClient, c1: [] as OpenSample[], c50: [] as OpenSample[] },
        {
          name: 'context',
          process: withContext,
          client: withContextClient,
          c1: [] as OpenSample[],
          c50: [] as OpenSample[],
        },
      ];
      const cpu = new Map(targets.map((t) => [t.name, 0]));
      const views = new Map<string, Opened>();
      try {
        for (const t of targets) {
          await openModals(t.client, WARM_UP, 10);
          views.set(t.name, (await openModal(t.client)).opened);
        }
        for (const round of [0, 1]) {
          for (const t of round === 0 ? targets : [...targets].reverse()) {
            gc();
            t.c1.push(...(await openModals(t.client, MODAL_SAMPLES_C1 / 2, 1)));
            gc();
            const before = t.process.cpuMs();
            t.c50.push(...(await openModals(t.client, MODAL_SAMPLES_C50 / 2, 50)));
            cpu.set(t.name, (cpu.get(t.name) ?? 0) + t.process.cpuMs() - before);
          }
        }
      } finally {
        await sameClient.close();
        await same.stop();
        await withContextClient.close();
        await withContext.stop();
      }
      const appView = views.get('app');
      const sameView = views.get('same');
      if (!appView || !sameView) throw new Error('no view was opened');
      const identical = JSON.stringify(appView.view) === JSON.stringify(sameView.view);
      if (!identical) throw new Error('the same-view baseline opened a different view from the app');
      const [a, m] = targets as [(typeof targets)[0], (typeof targets)[0]];
      const open = (samples: OpenSample[]) => samples.map((s) => s.openMs);
      for (const [label, pick, p] of [
        ['c=1, p50', 'c1', 50],
        ['c=1, p99', 'c1', 99],
        ['c=50, p50', 'c50', 50],
        ['c=50, p99', 'c50', 99],
      ] as const) {
        const mine = percentile(open(a[pick]), p);
        const theirs = percentile(open(m[pick]), p);
        rows.push(
          row(
            `Modal open ${label} (ms)`,
            mine,
            theirs,
            `${fmt(theirs)} (same view)`,
            `≤ ${TARGET_MODAL}×`,
            verdict(mine / theirs <= TARGET_MODAL),
          ),
        );
      }
      const ack = (samples: OpenSample[]) => median(samples.map((s) => s.ackMs));
      rows.push(
        row('Command HTTP ack c=1, p50 (ms)', ack(a.c1), ack(m.c1), `${fmt(ack(m.c1))} (same view)`, '—', ''),
      );
      details.push(
        `- ${name}, modal open: ${MODAL_SAMPLES_C1} samples at c=1 and ${MODAL_SAMPLES_C50} at c=50 per app, after ${WARM_UP} warm-up requests, interleaved in two rounds. ` +
          `Both opened the identical view (${appView.bytes} bytes of JSON). CPU per /jelou-card (c=50): app ${fmt((cpu.get('app') ?? 0) / MODAL_SAMPLES_C50)} ms, ` +
          `same-view Bolt app ${fmt((cpu.get('same') ?? 0) / MODAL_SAMPLES_C50)} ms, and ${fmt((cpu.get('context') ?? 0) / MODAL_SAMPLES_C50)} ms with only the app's log context added (each request run inside an AsyncLocalStorage; p50 at c=1 ${fmt(percentile(open(targets[2]?.c1 ?? []), 50))} ms, at c=50 ${fmt(percentile(open(targets[2]?.c50 ?? []), 50))} ms). The Slack stand-in's own decoding and Block Kit check of that view, inside both figures: ${fmt(standInCostUs(appView.view))} µs.`,
      );
    }

    const preview = await preparePreview(appClient);

    // 2. The Send click's acknowledgement while Jelou takes 5 s a request.
    if (PHASES.has('ack')) {
      progress(`${name}: send acknowledgement with a slow Jelou`);
      const before = sentCount + notSent;
      jelou.respondWith(slow(JELOU_SLOW_MS, passThrough()));
      gc();
      const acks = await pressSend(appClient, preview, 'ACK', ACK_SENDS, ACK_CONCURRENCY);
      jelou.respondWith(undefined);
      for (const p of [50, 99]) {
        const value = percentile(acks, p);
        rows.push(
          row(
            `Send ack while Jelou takes ${JELOU_SLOW_MS / 1000} s, p${p} (ms)`,
            value,
            SLACK_ACK_LIMIT_MS,
            `${SLACK_ACK_LIMIT_MS} (Slack's limit)`,
            '< 1×',
            verdict(value < SLACK_ACK_LIMIT_MS),
          ),
        );
      }
      details.push(
        `- ${name}, send ack: ${ACK_SENDS} Send clicks, ${ACK_CONCURRENCY} at a time, each a distinct preview view; max ${fmt(Math.max(...acks))} ms.`,
      );
      // The outbox delivered 8 at a time at 5 s each; now Jelou answers at once, so the rest follow.
      await untilSent(before + ACK_SENDS, JELOU_SLOW_MS * 2 + 60_000);
    }

    // 3. Throughput: floor, app, floor again (the baseline is the floors' mean).
    if (PHASES.has('throughput')) {
      progress(`${name}: throughput`);
      if (!jelou.requests.some((request) => request.route === 'messages')) {
        await pressSend(appClient, preview, `FIRST${store}`, 1, 1);
        await untilSent(sentCount + notSent + 1, 10_000);
      }
      const cardBody = jelou.requests.find((request) => request.route === 'messages')?.rawBody ?? '';
      /** 200 Send clicks, all delivered, so neither side is timed while running cold code. */
      const warmUp = async (client: SignedClient, prefix: string) => {
        const expected = sentCount + notSent + 200;
        await pressSend(client, preview, prefix, 200, SUBMIT_CONCURRENCY);
        await untilSent(expected, 60_000);
      };
      const floorRun = async (label: string) => {
        const floor = await startFloor(store, cardBody);
        const client = signedClient(floor.eventsUrl, SECRETS.signingSecret);
        try {
          await warmUp(client, `FW${label}${store}`);
          return await pipeline(floor, client, preview, `F${label}${store}`, THROUGHPUT_SENDS);
        } finally {
          await client.close();
          await floor.stop();
        }
      };
      await warmUp(appClient, `AW${store}`);
      const floor1 = await floorRun('1');
      const run = await pipeline(app, appClient, preview, `TPUT${store}`, THROUGHPUT_SENDS);
      const floor2 = await floorRun('2');
      const floor = (floor1.perSecond + floor2.perSecond) / 2;
      const throughputRatio = run.perSecond / floor;
      rows.push(
        row(
          `Send throughput, ${THROUGHPUT_SENDS.toLocaleString('en')} cards (cards/s)`,
          run.perSecond,
          floor,
          `${fmt(floor)} (floor pipeline)`,
          `≥ ${TARGET_THROUGHPUT}×`,
          verdict(throughputRatio >= TARGET_THROUGHPUT),
        ),
      );
      const perCard = (t: Throughput) => t.cpuMs / THROUGHPUT_SENDS;
      rows.push(
        row(
          'CPU per card, app / floor process (ms)',
          perCard(run),
          (perCard(floor1) + perCard(floor2)) / 2,
          `${fmt((perCard(floor1) + perCard(floor2)) / 2)} (floor pipeline)`,
          '—',
          '',
        ),
      );
      progress(`${name}: breakdown`);
      const slackPairs = await slackPairsPerSecond(slack.apiUrl, THROUGHPUT_SENDS, OUTBOX_CONCURRENCY);
      const costs = await storeCosts(
        store === 'sqlite' ? 'file:breakdown.db' : await freshDatabase('postgres'),
        cardBody,
        STORE_CARDS,
        STORE_BACKLOG,
      );
      details.push(
        `- ${name}, throughput: ${THROUGHPUT_SENDS} Send clicks, ${SUBMIT_CONCURRENCY} at a time, timed from the first click to the last card's "Sent" \`chat.update\` at the Slack stand-in, after 200 warm-up sends on each side; ` +
          `the floor is ${fmt(floor1.perSecond)} and ${fmt(floor2.perSecond)} cards/s (before and after the app). App acks meanwhile: p50 ${fmt(median(run.acks))} ms, p99 ${fmt(percentile(run.acks, 99))} ms; floor acks p50 ${fmt(median(floor1.acks))} ms.`,
        `- ${name}, cost per card: app ${fmt(perCard(run))} ms of CPU (one core would cap it at ${fmt(1000 / perCard(run))} cards/s), ${fmt(run.logLines / THROUGHPUT_SENDS)} log lines; ` +
          `floor ${fmt(perCard(floor1))} and ${fmt(perCard(floor2))} ms; this process (driver and both stand-ins) ${fmt(run.benchCpuMs / THROUGHPUT_SENDS)} ms per app card.`,
        `- ${name}, measured alone in this process: the two Slack calls through Bolt's WebClient, c=${OUTBOX_CONCURRENCY}: ${fmt(slackPairs)} cards/s; ` +
          `the store's calls for one card (createMany, claimDue, get, setNotification, finish, get, shown; sequential, ${STORE_CARDS} cards): ${fmt(costs.perCardUs)} µs; one \`claimDue(8)\` behind ${costs.backlog.toLocaleString('en')} pending sends: ${fmt(costs.claimWithBacklogUs)} µs.`,
      );
      details.push(`- ${name}, app peak RSS (VmHWM) over the run: ${fmt(mib(app.peakRssKib()))} MiB.`);
    }
  } finally {
    await appClient.close();
    await app.stop();
  }
  details.push(
    `- ${name}, sends in the app's database at the end: ${JSON.stringify(await statusCounts(started.databaseUrl))}; error-level log lines: ${app.errorLines()}.`,
  );
  forgetStandInRecords();
}

async function defaultRun(): Promise<string> {
  const rows: Row[] = [];
  const details: string[] = [];
  for (const store of STORES) await benchStore(store, rows, details);
  return [
    markdownTable([['Metric', 'Store', 'jelou-card', 'Baseline', 'Ratio', 'Target', 'Met'], ...rows]),
    '',
    details.join('\n'),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The soak

type Sample = Readonly<{
  sends: number;
  rssKib: number;
  anonKib: number;
  external: number;
  heapUsed: number;
  /** After the first of the sample's GCs, as the soak measured before: to show what settling changes. */
  firstHeapUsed: number;
  heapTotal: number;
  perSecond: number;
}>;

async function soakStore(store: Store): Promise<{ rows: string[][]; notes: string[] }> {
  const name = STORE_NAME[store];
  progress(`${name}: soak, ${SOAK_SENDS.toLocaleString('en')} sends`);
  const started = await startApp(store, { inspect: true });
  const { process: app, inspector } = started;
  if (!inspector) throw new Error('no inspector');
  const client = signedClient(app.eventsUrl, SECRETS.signingSecret);
  const samples: Sample[] = [];
  let peakKib = Number.NaN;
  const sample = async (sends: number, perSecond: number) => {
    await delay(IDLE_MS);
    const first = await inspector.memoryAfterGc();
    let memory = first;
    for (let gc = 1; gc < SOAK_GCS; gc += 1) {
      await delay(SOAK_GC_GAP_MS);
      memory = await inspector.memoryAfterGc();
    }
    const taken: Sample = {
      sends,
      rssKib: app.rssKib(),
      anonKib: app.rssSplitKib().anon,
      heapUsed: memory.heapUsed,
      firstHeapUsed: first.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      perSecond,
    };
    samples.push(taken);
    progress(
      `${name}: ${sends} sends, RSS ${fmt(mib(taken.rssKib))} MiB (anon ${fmt(mib(taken.anonKib))}), heap ${fmt(taken.heapUsed / 2 ** 20)} (first GC ${fmt(taken.firstHeapUsed / 2 ** 20)}) of ${fmt(taken.heapTotal / 2 ** 20)} MiB, external ${fmt(taken.external / 2 ** 20)} MiB`,
    );
  };
  const snapshot = async (sends: number) => {
    if (!HEAP_DIR) return;
    mkdirSync(HEAP_DIR, { recursive: true });
    await inspector.snapshot(join(HEAP_DIR, `${store}-${sends}.heapsnapshot`));
  };
  try {
    const preview = await preparePreview(client);
    await sample(0, Number.NaN);
    for (let sent = 0; sent < SOAK_SENDS; sent += SOAK_EVERY) {
      const run = await pipeline(app, client, preview, `SOAK${store}${sent}`, SOAK_EVERY);
      forgetStandInRecords();
      await sample(sent + SOAK_EVERY, run.perSecond);
      if (sent + SOAK_EVERY === SOAK_FROM) await snapshot(SOAK_FROM);
    }
    await snapshot(SOAK_SENDS);
    peakKib = app.peakRssKib();
  } finally {
    inspector.close();
    await client.close();
    await app.stop();
  }
  const counts = await statusCounts(started.databaseUrl);
  const from = samples.find((s) => s.sends === SOAK_FROM);
  const last = samples.at(-1);
  if (!from || !last) throw new Error('no samples');
  const rssGrowth = growth(from.rssKib, last.rssKib);
  const heapGrowth = growth(from.heapUsed, last.heapUsed);
  const rows = samples.map((s) => [
    name,
    s.sends.toLocaleString('en'),
    fmt(mib(s.rssKib)),
    fmt(mib(s.anonKib)),
    fmt(s.heapUsed / 2 ** 20),
    fmt(s.firstHeapUsed / 2 ** 20),
    fmt(s.heapTotal / 2 ** 20),
    fmt(s.external / 2 ** 20),
    Number.isFinite(s.perSecond) ? fmt(s.perSecond) : '—',
  ]);
  const pct = (g: number) => `${g >= 0 ? '+' : ''}${fmt(g * 100)} %`;
  const notes = [
    `- ${name}: from ${SOAK_FROM.toLocaleString('en')} to ${SOAK_SENDS.toLocaleString('en')} sends, RSS ${pct(rssGrowth)} and heap in use after ${SOAK_GCS} full GCs ${pct(heapGrowth)} ` +
      (HEAP_DIR
        ? '(not judged: the heap snapshot taken at the start of that stretch costs V8 memory that RSS keeps). '
        : `(target: under ${TARGET_SOAK_GROWTH * 100} % each: ${verdict(rssGrowth < TARGET_SOAK_GROWTH && heapGrowth < TARGET_SOAK_GROWTH)}). `) +
      `Peak RSS (VmHWM) ${fmt(mib(peakKib))} MiB. Sends at the end: ${JSON.stringify(counts)}; error-level log lines: ${app.errorLines()}.`,
  ];
  return { rows, notes };
}

async function soakRun(): Promise<string> {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const store of STORES) {
    const result = await soakStore(store);
    rows.push(...result.rows);
    notes.push(...result.notes);
  }
  return [
    markdownTable([
      [
        'Store',
        'Sends',
        'RSS (MiB)',
        'of it anonymous (MiB)',
        `Heap used after ${SOAK_GCS} GCs (MiB)`,
        'after the first GC (MiB)',
        'Heap total (MiB)',
        'External (MiB)',
        'Batch cards/s',
      ],
      ...rows,
    ]),
    '',
    `- Each sample: ${SOAK_EVERY.toLocaleString('en')} more Send clicks (${SUBMIT_CONCURRENCY} at a time, every card delivered and shown "Sent"), ${IDLE_MS / 1000} s idle, then ${SOAK_GCS} full GCs ${SOAK_GC_GAP_MS / 1000} s apart through the inspector (\`HeapProfiler.collectGarbage\`), \`process.memoryUsage()\` read there after each, and the last kept: the first GC leaves garbage that only a later one frees (its reading is the next column); RSS and its anonymous part (RssAnon: the process's own memory, not mapped files) from /proc.`,
    ...notes,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

/** Replaces the generated part of BENCHMARKS.md between `begin` and `end`, keeping the rest. */
function writeBenchmarks(begin: string, end: string, generated: string): void {
  const block = `${begin}\n${generated}\n${end}`;
  const existing = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : '# Benchmarks\n';
  const at = existing.indexOf(begin);
  const to = existing.indexOf(end);
  const text =
    at >= 0 && to > at
      ? `${existing.slice(0, at)}${block}${existing.slice(to + end.length)}`
      : `${existing.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_FILE, text);
}

async function main(): Promise<void> {
  const runStarted = performance.now();
  const machine = machineDescription();
  const loadAtStart = loadText();
  say('## Machine\n');
  say(machine);
  say();
  if (STORES.includes('postgres')) {
    progress('starting PostgreSQL');
    postgres = await startPostgres(ROOT);
  }
  const body = SOAK ? await soakRun() : await defaultRun();
  const seconds = (performance.now() - runStarted) / 1000;
  const peakLoad = Math.max(...loads, loadavg()[0] ?? 0);
  const context = [
    `- Load average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadText()}; highest 1-min figure seen during the run: ${peakLoad.toFixed(2)}. ` +
      'The bench itself keeps about two processes busy (the app or a baseline, and this driver with the stand-ins), so about 2 is its own share.',
    ...(postgres ? [`- PostgreSQL: ${postgres.description}.`] : []),
    `- Cards: ${notSentNote()}.`,
    `- This run took ${fmt(seconds)} s (plus the TypeScript build)${SCALE === 1 ? '' : `, at BENCH_SCALE=${SCALE}`}.`,
  ];
  const generated = [
    `_Generated by \`npm run bench${SOAK ? ' -- --soak' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC._`,
    '',
    ...(SOAK ? [] : ['### Machine', '', machine, '']),
    context.join('\n'),
    '',
    body,
  ].join('\n');
  say(generated);
  if (PROFILE_DIR)
    say(`\nCPU profiles of the app and the baselines written to ${PROFILE_DIR}/{app,same-view,floor}.`);
  if (WRITE)
    writeBenchmarks(
      SOAK ? '<!-- soak:begin -->' : '<!-- bench:begin -->',
      SOAK ? '<!-- soak:end -->' : '<!-- bench:end -->',
      generated,
    );
}

const watchdog = setTimeout(() => {
  progress(`gave up after ${WATCHDOG_MS / 1000} s`);
  killAll();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
} finally {
  killAll();
  await Promise.all([slack.close(), jelou.close(), postgres?.close()]).catch(() => {});
  rmSync(tempDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
