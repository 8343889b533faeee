/**
 * `npm run bench`: the real app as a process (`node dist/src/main.js`, HTTP mode) against the
 * loopback Slack and Jelou stand-ins, each figure next to a baseline measured in the same run:
 *
 * 1. Modal open (signed /jelou-card → views.open at Slack) vs a minimal Bolt app (minimal-app.ts).
 * 2. The Send click's acknowledgement while Jelou takes 5 s per request, vs Slack's 3 s limit.
 * 3. Send throughput through the whole pipeline vs a raw undici keep-alive POST loop to Jelou.
 * 4. Start-to-ready time and RSS, idle and after 10,000 sends, vs the minimal Bolt app.
 *
 * Prints the machine and one markdown table, and writes both to BENCHMARKS.md (between its
 * bench markers, keeping the notes around them). Environment knobs, for profiling:
 *   BENCH_CPU_PROF_DIR=/tmp/prof   run the app under `node --cpu-prof` (profile written at exit)
 *   BENCH_PHASES=modal,ack,throughput   run only these phases (footprint always runs)
 *   BENCH_WRITE=0                  do not touch BENCHMARKS.md
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { ModalView } from '@slack/types';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
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
import { slackPairsPerSecond, sqliteCosts } from './breakdown.js';
import { machineDescription } from './machine.js';
import { killAll, type NodeProcess, spawnNode } from './processes.js';
import { type SignedClient, signedClient, workPool } from './slack-client.js';
import { fmt, markdownTable, median, mib, percentile, ratio } from './stats.js';

// ---------------------------------------------------------------------------------------------
// Sizes: together well under 3 minutes on 2 cores.

const STARTS = 5;
const WARM_UP = 200;
const MODAL_SAMPLES_C1 = 400;
const MODAL_SAMPLES_C50 = 1000;
const ACK_SENDS = 200;
/** Send clicks in flight at once while Jelou is slow: a busy support team pressing Send together. */
const ACK_CONCURRENCY = 20;
const JELOU_SLOW_MS = 5_000;
const THROUGHPUT_SENDS = 2_000;
/** Send clicks in flight at once during the throughput runs; enough to keep the outbox fed. */
const SUBMIT_CONCURRENCY = 16;
/** The outbox's own bound (src/delivery/outbox.ts): the raw loop gets the same. */
const JELOU_CONCURRENCY = 8;
const TOTAL_SENDS = 10_000;
const IDLE_MS = 2_000;
const SLACK_ACK_LIMIT_MS = 3_000;
/** Hard stop for the whole run, so a bug can never leave it (or its children) hanging. */
const WATCHDOG_MS = 170_000;

const ROOT = repositoryRoot();
const APP_MAIN = join(ROOT, 'dist', 'src', 'main.js');
const MINIMAL_MAIN = join(import.meta.dirname, 'minimal-app.js');
const BENCHMARKS_FILE = join(ROOT, 'BENCHMARKS.md');
const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

const PROFILE_DIR = process.env.BENCH_CPU_PROF_DIR;
const PHASES = new Set(
  (process.env.BENCH_PHASES ?? 'modal,ack,throughput').split(',').map((phase) => phase.trim()),
);
const WRITE = process.env.BENCH_WRITE !== '0';

const say = (text = '') => process.stdout.write(`${text}\n`);
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

// ---------------------------------------------------------------------------------------------
// The world: stand-ins, with hooks that time what reaches Slack.

type Opened = Readonly<{ at: number; view: ModalView; bytes: number }>;

const { slack, jelou } = await startStandIns();
const tempDir = mkdtempSync(join(tmpdir(), 'jelou-card-bench-'));

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

/** Cards whose notification turned to "Sent", and any that ended otherwise. */
let sentCount = 0;
let notSent = 0;
let lastNotSent = '';
const sentWaiters: { n: number; resolve: (at: number) => void }[] = [];
slack.on('chat.update', (call) => {
  const text = String(call.args.text);
  if (text.startsWith(':white_check_mark: Sent')) {
    sentCount += 1;
    const at = performance.now();
    for (const waiter of [...sentWaiters]) {
      if (sentCount >= waiter.n) {
        sentWaiters.splice(sentWaiters.indexOf(waiter), 1);
        waiter.resolve(at);
      }
    }
  } else if (!text.startsWith(':hourglass')) {
    notSent += 1;
    lastNotSent = text;
  }
  return undefined;
});

/** Resolves with the moment the n-th "Sent" arrived; fails on a card that was not sent, or on timeout. */
async function untilSent(n: number, timeoutMs: number): Promise<number> {
  if (sentCount >= n) return performance.now();
  const arrived = new Promise<number>((resolve) => sentWaiters.push({ n, resolve }));
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const at = await Promise.race([arrived, delay(100, undefined)]);
    if (at !== undefined) return at;
    if (notSent > 0) throw new Error(`a card was not sent: ${lastNotSent}`);
    if (performance.now() > deadline)
      throw new Error(`only ${sentCount} of ${n} cards were sent within ${timeoutMs} ms`);
  }
}

function expectViewsOpen(trigger: string, timeoutMs = 10_000): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      opening.delete(trigger);
      reject(new Error(`no views.open for ${trigger} within ${timeoutMs} ms`));
    }, timeoutMs);
    opening.set(trigger, (opened) => {
      clearTimeout(timer);
      resolve(opened);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

let databases = 0;
const startApp = (nodeArgs: readonly string[] = []) => {
  databases += 1;
  return spawnNode({
    script: APP_MAIN,
    env: {
      ...standInEnv(slack, jelou, join(tempDir, `sends-${databases}.db`)),
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_SECONDS: '2',
    },
    nodeArgs,
    readyMessage: 'jelou-card is running',
  });
};
const startMinimal = () =>
  spawnNode({
    script: MINIMAL_MAIN,
    env: {
      SLACK_BOT_TOKEN: SECRETS.botToken,
      SLACK_SIGNING_SECRET: SECRETS.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
    },
    readyMessage: 'minimal-app is running',
  });

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

/** Signed Send clicks on the preview, each as its own view (distinct id and hash: a distinct send). */
function sendBodies(preview: OpenedView, prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    payloadBody(viewSubmission({ ...preview, id: `V${prefix}${i}`, hash: `hash-${prefix}-${i}` }, {})),
  );
}

/** Posts every Send click, `concurrency` at a time; resolves with each acknowledgement's time in ms. */
async function pressSend(client: SignedClient, bodies: readonly string[], concurrency: number) {
  const acks: number[] = [];
  await workPool(bodies.length, concurrency, async (i) => {
    const posted = await client.post(bodies[i] ?? '');
    if (posted.status !== 200 || !posted.text.includes('"clear"'))
      throw new Error(`Send answered ${posted.status}: ${posted.text}`);
    acks.push(posted.ms);
  });
  return acks;
}

type Throughput = Readonly<{
  perSecond: number;
  acks: number[];
  appCpuMs: number;
  benchCpuMs: number;
  logLines: number;
}>;

/** Presses Send `count` times; from the first click to the last card's "Sent" notification. */
async function pipeline(
  app: NodeProcess,
  client: SignedClient,
  preview: OpenedView,
  prefix: string,
  count: number,
): Promise<Throughput> {
  const bodies = sendBodies(preview, prefix, count);
  const target = sentCount + count;
  gc();
  const appCpu = app.cpuMs();
  const lines = app.lines();
  const benchCpu = process.cpuUsage();
  const started = performance.now();
  const done = untilSent(target, 90_000);
  const [acks, finished] = await Promise.all([pressSend(client, bodies, SUBMIT_CONCURRENCY), done]);
  const used = process.cpuUsage(benchCpu);
  return {
    perSecond: count / ((finished - started) / 1000),
    acks,
    appCpuMs: app.cpuMs() - appCpu,
    benchCpuMs: (used.user + used.system) / 1000,
    logLines: app.lines() - lines,
  };
}

/** The same card body POSTed straight to the Jelou stand-in over an undici keep-alive pool. */
async function rawJelouLoop(body: string, count: number): Promise<number> {
  const pool = new Pool(jelou.url, {
    connections: JELOU_CONCURRENCY,
    keepAliveTimeout: 4_000,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const headers = {
    authorization: `Basic ${Buffer.from(`${JELOU_CLIENT_ID}:${SECRETS.clientSecret}`).toString('base64')}`,
    accept: 'application/json',
    'content-type': 'application/json',
  };
  const path = `/v1/bots/${encodeURIComponent(JELOU_BOT)}/messages`;
  try {
    gc();
    const started = performance.now();
    await workPool(count, JELOU_CONCURRENCY, async () => {
      const response = await pool.request({ method: 'POST', path, headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 200)
        throw new Error(`Jelou stand-in answered ${response.statusCode}: ${text}`);
      JSON.parse(text);
    });
    return count / ((performance.now() - started) / 1000);
  } finally {
    await pool.destroy();
  }
}

function statusCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM sends GROUP BY status')
      .all();
    return Object.fromEntries(rows.map(({ status, n }) => [status, n]));
  } finally {
    db.close();
  }
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

// ---------------------------------------------------------------------------------------------
// The run

type Row = readonly [metric: string, app: string, baseline: string, ratio: string, target: string];

async function main(): Promise<void> {
  const runStarted = performance.now();
  const rows: Row[] = [];
  /** Footprint rows go last, as in the brief's order, though measured first. */
  const footprint: Row[] = [];
  const details: string[] = [];
  const machine = machineDescription();
  say('## Machine\n');
  say(machine);
  say();

  // 4a. Start-to-ready, alternating the two apps; the last of each stays up for the rest.
  progress('starting processes');
  const appStarts: number[] = [];
  const minimalStarts: number[] = [];
  let app: NodeProcess | undefined;
  let minimal: NodeProcess | undefined;
  const profileArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  for (let i = 0; i < STARTS; i += 1) {
    const last = i === STARTS - 1;
    const m = await startMinimal();
    minimalStarts.push(m.readyMs);
    if (last) minimal = m;
    else await m.stop();
    const a = await startApp(last ? profileArgs : []);
    appStarts.push(a.readyMs);
    if (last) app = a;
    else await a.stop();
  }
  if (!app || !minimal) throw new Error('no process was kept running');
  const appDb = join(tempDir, `sends-${databases}.db`);
  footprint.push([
    `Start to ready, median of ${STARTS} (ms)`,
    fmt(median(appStarts)),
    fmt(median(minimalStarts)),
    ratio(median(appStarts), median(minimalStarts)),
    '—',
  ]);

  // 4b. Idle RSS.
  await delay(IDLE_MS);
  const appIdleRss = app.rssKib();
  const minimalIdleRss = minimal.rssKib();
  footprint.push([
    `Idle RSS ${IDLE_MS / 1000} s after ready (MiB)`,
    fmt(mib(appIdleRss)),
    fmt(mib(minimalIdleRss)),
    ratio(appIdleRss, minimalIdleRss),
    '—',
  ]);

  const appClient = signedClient(app.eventsUrl, SECRETS.signingSecret);
  const minimalClient = signedClient(minimal.eventsUrl, SECRETS.signingSecret);
  try {
    // 1. Modal open, interleaved in two rounds so that drift hits both sides alike.
    if (PHASES.has('modal')) {
      progress('modal open');
      const targets = [
        { name: 'app', process: app, client: appClient, c1: [] as OpenSample[], c50: [] as OpenSample[] },
        {
          name: 'minimal',
          process: minimal,
          client: minimalClient,
          c1: [] as OpenSample[],
          c50: [] as OpenSample[],
        },
      ];
      const cpu = new Map(targets.map((t) => [t.name, 0]));
      const viewBytes = new Map<string, number>();
      const standInUs = new Map<string, number>();
      for (const t of targets) {
        await openModals(t.client, WARM_UP, 10);
        const { opened } = await openModal(t.client);
        viewBytes.set(t.name, opened.bytes);
        standInUs.set(t.name, standInCostUs(opened.view));
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
      const [a, m] = targets as [(typeof targets)[0], (typeof targets)[0]];
      const open = (samples: OpenSample[]) => samples.map((s) => s.openMs);
      const acks = (samples: OpenSample[]) => samples.map((s) => s.ackMs);
      for (const [label, pick, p] of [
        ['c=1, p50', 'c1', 50],
        ['c=1, p99', 'c1', 99],
        ['c=50, p50', 'c50', 50],
        ['c=50, p99', 'c50', 99],
      ] as const) {
        const mine = percentile(open(a[pick]), p);
        const theirs = percentile(open(m[pick]), p);
        rows.push([`Modal open ${label} (ms)`, fmt(mine), fmt(theirs), ratio(mine, theirs), '≤ 1.20×']);
      }
      const appAck = median(acks(a.c1));
      const minimalAck = median(acks(m.c1));
      rows.push([
        'Command HTTP ack c=1, p50 (ms)',
        fmt(appAck),
        fmt(minimalAck),
        ratio(appAck, minimalAck),
        '—',
      ]);
      const appCpu = (cpu.get('app') ?? 0) / MODAL_SAMPLES_C50;
      const minimalCpu = (cpu.get('minimal') ?? 0) / MODAL_SAMPLES_C50;
      details.push(
        `- Modal open: ${MODAL_SAMPLES_C1} samples at c=1 and ${MODAL_SAMPLES_C50} at c=50 per app, after ${WARM_UP} warm-up requests, interleaved in two rounds. ` +
          `CPU per /jelou-card (c=50): app ${fmt(appCpu)} ms, minimal Bolt app ${fmt(minimalCpu)} ms. ` +
          `views.open view: app ${viewBytes.get('app')} bytes of JSON, minimal ${viewBytes.get('minimal')} bytes; ` +
          `the Slack stand-in's own decoding and Block Kit limit check of it, inside each "open" figure: app ${fmt(standInUs.get('app') ?? Number.NaN)} µs, minimal ${fmt(standInUs.get('minimal') ?? Number.NaN)} µs.`,
      );
    }
    await minimal.stop();
    await minimalClient.close();

    const preview = await preparePreview(appClient);

    // 2. The Send click's acknowledgement while Jelou takes 5 s a request.
    if (PHASES.has('ack')) {
      progress('send acknowledgement with a slow Jelou');
      const bodies = sendBodies(preview, 'ACK', ACK_SENDS);
      jelou.respondWith(slow(JELOU_SLOW_MS, passThrough()));
      gc();
      const acks = await pressSend(appClient, bodies, ACK_CONCURRENCY);
      jelou.respondWith(undefined);
      for (const p of [50, 99]) {
        const value = percentile(acks, p);
        rows.push([
          `Send ack while Jelou takes ${JELOU_SLOW_MS / 1000} s, p${p} (ms)`,
          fmt(value),
          `${SLACK_ACK_LIMIT_MS} (Slack's limit)`,
          ratio(value, SLACK_ACK_LIMIT_MS),
          '≪ 1',
        ]);
      }
      details.push(
        `- Send ack: ${ACK_SENDS} Send clicks, ${ACK_CONCURRENCY} at a time, each a distinct preview view; max ${fmt(Math.max(...acks))} ms.`,
      );
      // The outbox delivered 8 at a time at 5 s each; now Jelou answers at once, so the rest follow.
      await untilSent(ACK_SENDS, JELOU_SLOW_MS * 2 + 30_000);
    }

    // 3. Throughput: raw loop, pipeline, raw loop again (the baseline is their mean).
    if (PHASES.has('throughput')) {
      progress('throughput');
      if (!jelou.requests.some((request) => request.route === 'messages')) {
        // No card has reached Jelou yet (ack phase skipped): send one through the app for its body.
        await pressSend(appClient, sendBodies(preview, 'FIRST', 1), 1);
        await untilSent(sentCount + 1, 10_000);
      }
      const cardBody = jelou.requests.find((request) => request.route === 'messages')?.rawBody ?? '';
      const raw1 = await rawJelouLoop(cardBody, THROUGHPUT_SENDS);
      const run = await pipeline(app, appClient, preview, 'TPUT', THROUGHPUT_SENDS);
      const raw2 = await rawJelouLoop(cardBody, THROUGHPUT_SENDS);
      const raw = (raw1 + raw2) / 2;
      rows.push([
        `Send throughput, ${THROUGHPUT_SENDS.toLocaleString('en')} cards (cards/s)`,
        fmt(run.perSecond),
        `${fmt(raw)} (raw undici, c=${JELOU_CONCURRENCY})`,
        ratio(run.perSecond, raw),
        '≥ 0.50×',
      ]);
      const appCpuPerCard = run.appCpuMs / THROUGHPUT_SENDS;
      const benchCpuPerCard = run.benchCpuMs / THROUGHPUT_SENDS;
      progress('breakdown');
      const slackPairs = await slackPairsPerSecond(slack.apiUrl, THROUGHPUT_SENDS, JELOU_CONCURRENCY);
      const sqlite = await sqliteCosts(cardBody, THROUGHPUT_SENDS, 5_000);
      details.push(
        `- Throughput: ${THROUGHPUT_SENDS} Send clicks, ${SUBMIT_CONCURRENCY} at a time, timed from the first click to the last card's "Sent" \`chat.update\` at the Slack stand-in; ` +
          `the raw loop is ${fmt(raw1)} and ${fmt(raw2)} cards/s (before and after). Send acks meanwhile: p50 ${fmt(median(run.acks))} ms, p99 ${fmt(percentile(run.acks, 99))} ms.`,
        `- Per card the pipeline makes 1 Jelou call, 2 Slack Web API calls (\`chat.postMessage\` "Sending…", \`chat.update\` "Sent") and 4 SQLite writes ` +
          '(`create` inside the ack, then `claim`, `setNotification`, `finish`) plus reads (`pending` per outbox wake-up, `get`), ' +
          `and logs ${fmt(run.logLines / THROUGHPUT_SENDS)} JSON lines.`,
        `- CPU per card during the run: app process ${fmt(appCpuPerCard)} ms (one core would cap it at ${fmt(1000 / appCpuPerCard)} cards/s); ` +
          `this process (driver and both stand-ins) ${fmt(benchCpuPerCard)} ms.`,
        `- Measured alone in this process: the two Slack calls through Bolt's WebClient, c=${JELOU_CONCURRENCY}: ${fmt(slackPairs)} cards/s; ` +
          `the store's work per card (SqliteSendStore, sequential): ${fmt(sqlite.perCardUs)} µs; one \`pending(16)\` behind ${sqlite.backlog.toLocaleString('en')} pending sends: ${fmt(sqlite.pendingWithBacklogUs)} µs.`,
      );

      // 4c. The rest of the 10,000 sends, then RSS after 2 s idle.
      const rest = TOTAL_SENDS - sentCount;
      if (rest > 0) {
        progress(`${rest} more sends for the memory figure`);
        const more = await pipeline(app, appClient, preview, 'MORE', rest);
        details.push(
          `- Memory batch: ${rest.toLocaleString('en')} more sends at ${fmt(more.perSecond)} cards/s (app CPU ${fmt(more.appCpuMs / rest)} ms per card).`,
        );
      }
      await delay(IDLE_MS);
      const afterRss = app.rssKib();
      footprint.push([
        `RSS after ${sentCount.toLocaleString('en')} sends, ${IDLE_MS / 1000} s idle (MiB)`,
        fmt(mib(afterRss)),
        `${fmt(mib(appIdleRss))} (app idle)`,
        ratio(afterRss, appIdleRss),
        '—',
      ]);
      details.push(`- App peak RSS (VmHWM) over the run: ${fmt(mib(app.peakRssKib()))} MiB.`);
    }
    const counts = statusCounts(appDb);
    details.push(
      `- Sends in the app's SQLite file at the end: ${JSON.stringify(counts)}; error-level log lines: ${app.errorLines()}.`,
    );
  } finally {
    await appClient.close();
    await app.stop();
    await minimal.stop();
  }

  const table = markdownTable([
    ['Metric', 'jelou-card', 'Baseline', 'Ratio', 'Target'],
    ...rows,
    ...footprint,
  ]);
  const seconds = (performance.now() - runStarted) / 1000;
  details.push(`- This run took ${fmt(seconds)} s (plus the TypeScript build).`);
  say('## Results\n');
  say(table);
  say();
  say(details.join('\n'));
  if (PROFILE_DIR) say(`\nCPU profile of the app written to ${PROFILE_DIR}.`);
  if (WRITE) writeBenchmarks(machine, table, details);
}

/** Replaces the generated part of BENCHMARKS.md, keeping what was written around it. */
function writeBenchmarks(machine: string, table: string, details: readonly string[]): void {
  const generated = [
    BEGIN,
    `_Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}._`,
    '',
    '### Machine',
    '',
    machine,
    '',
    '### Results',
    '',
    table,
    '',
    details.join('\n'),
    END,
  ].join('\n');
  const existing = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : '';
  const begin = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  const text =
    begin >= 0 && end > begin
      ? `${existing.slice(0, begin)}${generated}${existing.slice(end + END.length)}`
      : `# Benchmarks\n\nRun with \`npm run bench\` (bench/run.ts).\n\n${generated}\n`;
  writeFileSync(BENCHMARKS_FILE, text);
}

// ---------------------------------------------------------------------------------------------

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
  await Promise.all([slack.close(), jelou.close()]).catch(() => {});
  rmSync(tempDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
