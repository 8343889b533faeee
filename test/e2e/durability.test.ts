/**
 * Nothing lost, nothing sent twice: the app as a real process (`node dist/jelou-card.js`) on a real
 * SQLite file, killed with SIGKILL at the worst moments and started again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, sentenceFor } from '../../src/errors.js';
import { CATALOGUES } from '../../src/slack/i18n/index.js';
import { BlockId } from '../../src/slack/ids.js';
import { type AppProcess, startAppProcess, until } from '../support/app-process.js';
import { shownTexts } from '../support/blocks.js';
import { SECRETS, standInEnv, startStandIns } from '../support/harness.js';
import { hangHeaders, type JelouStandIn, passThrough, slow } from '../support/jelou-standin.js';
import { JUAN_FORM } from '../support/juan.js';
import { slackDriver } from '../support/slack-driver.js';
import type { OpenedView } from '../support/slack-payloads.js';
import type { SlackStandIn } from '../support/slack-standin.js';

type Row = { status: string; card_name: string; message_id: string | null; error_code: string | null };

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setUp(extraEnv: Record<string, string> = {}) {
  const { slack, jelou } = await startStandIns();
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-durable-'));
  const file = join(dir, 'sends.db');
  const env = { ...standInEnv(slack, jelou, file), LOG_LEVEL: 'info', ...extraEnv };
  const apps: AppProcess[] = [];
  cleanups.push(async () => {
    for (const app of apps) app.kill('SIGKILL');
    await Promise.all(apps.map((app) => app.exited));
    await Promise.all([slack.close(), jelou.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async () => {
    const app = await startAppProcess(env);
    apps.push(app);
    return { app, drive: slackDriver(app.eventsUrl, SECRETS.signingSecret, slack) };
  };
  const rows = (): Row[] => {
    const db = new Database(file, { readonly: true });
    try {
      return db
        .prepare<[], Row>('SELECT status, card_name, message_id, error_code FROM sends ORDER BY created_at')
        .all();
    } finally {
      db.close();
    }
  };
  return { slack, jelou, start, rows };
}

/** Previews of `count` distinct cards (names "Card 1"…), each in a modal of its own. */
async function previews(drive: ReturnType<typeof slackDriver>, count: number): Promise<OpenedView[]> {
  const form = await drive.openForm();
  const views: OpenedView[] = [];
  for (let i = 1; i <= count; i++) {
    views.push(
      await drive.preview(form, { ...JUAN_FORM, [BlockId.FormattedName]: `Card ${i}` }, `VCARD${i}`),
    );
  }
  return views;
}

function namesSent(jelou: JelouStandIn): string[] {
  return jelou.requestsTo('messages').map((request) => {
    const body = request.body as { contacts: { name: { formatted_name: string } }[] };
    return body.contacts[0]?.name.formatted_name ?? '';
  });
}

/** Each result message sent with `method`: the status its metadata carries, and the texts it shows. */
function results(slack: SlackStandIn, method: string): { status: unknown; texts: string[] }[] {
  return slack.callsTo(method).map((call) => ({
    status: (call.args.metadata as { event_payload?: { status?: unknown } } | undefined)?.event_payload
      ?.status,
    texts: shownTexts(call.args.blocks ?? []),
  }));
}

describe('a crash', () => {
  it('before "Sending…" reached Slack still ends in a notification after restart', async () => {
    const { slack, jelou, start, rows } = await setUp();
    jelou.respondWith(hangHeaders());
    // Slack holds the "Sending…" post: the crash comes before the app knows where it lives.
    let posts = 0;
    slack.on('chat.postMessage', () => {
      posts += 1;
      return posts === 1 ? { delayMs: 60_000, answer: { ok: true } } : undefined;
    });
    const first = await start();
    const [view] = await previews(first.drive, 1);
    if (!view) throw new Error('no preview');
    await first.drive.submit(view, {});
    await until('Jelou to hold the request', () => jelou.requestsTo('messages').length === 1);
    first.app.kill('SIGKILL');
    expect(await first.app.exited).toBe('SIGKILL');
    jelou.respondWith(undefined);
    await start();

    await until('the result to be posted', () =>
      results(slack, 'chat.postMessage')
        .slice(1)
        .some((result) => result.status === 'unknown'),
    );
    expect(rows().map((row) => row.status)).toEqual(['unknown']);
    expect(slack.callsTo('chat.update')).toHaveLength(0);
    expect(jelou.requestsTo('messages')).toHaveLength(1);
  });

  it('mid-request leaves the send unknown after restart, says so, and never sends it again', async () => {
    const { slack, jelou, start, rows } = await setUp();
    jelou.respondWith(hangHeaders());
    const first = await start();
    const [view] = await previews(first.drive, 1);
    if (!view) throw new Error('no preview');
    await first.drive.submit(view, {});
    await until('Jelou to hold the request', () => jelou.requestsTo('messages').length === 1);
    expect(rows().map((r) => r.status)).toEqual(['sending']);

    first.app.kill('SIGKILL');
    expect(await first.app.exited).toBe('SIGKILL');
    jelou.respondWith(undefined);
    await start();

    // Updated in place, or posted afresh when the kill came before the app recorded where its
    // "Sending…" message was (that post runs beside the Jelou request).
    await until('the notification to say so', () =>
      [...results(slack, 'chat.update'), ...results(slack, 'chat.postMessage')].some(
        (result) =>
          result.status === 'unknown' &&
          result.texts.includes(CATALOGUES.en.notification.reason(sentenceFor(ErrorCode.SendInterrupted).en)),
      ),
    );
    expect(rows()).toEqual([
      { status: 'unknown', card_name: 'Card 1', message_id: null, error_code: 'send_interrupted' },
    ]);
    // It stays that way: nothing re-sends it on its own.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(jelou.requestsTo('messages')).toHaveLength(1);
  });

  it('with sends still pending delivers each of them exactly once after restart', async () => {
    const { jelou, start, rows } = await setUp();
    jelou.respondWith(hangHeaders());
    const first = await start();
    const views = await previews(first.drive, 20);
    for (const view of views) await first.drive.submit(view, {});
    // The outbox delivers 8 at a time: 8 held by Jelou, 12 still pending when the process dies.
    await until('8 requests in flight', () => jelou.requestsTo('messages').length === 8);
    expect(rows().filter((r) => r.status === 'pending')).toHaveLength(12);

    first.app.kill('SIGKILL');
    await first.app.exited;
    jelou.respondWith(undefined);
    await start();

    await until('every send to finish', () =>
      rows().every((r) => r.status === 'sent' || r.status === 'unknown'),
    );
    const statuses = rows().map((r) => r.status);
    expect(statuses.filter((s) => s === 'unknown')).toHaveLength(8);
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(12);
    const sent = namesSent(jelou);
    expect(sent).toHaveLength(20);
    expect(new Set(sent).size).toBe(20);
  });
});

describe('under load', () => {
  it('200 concurrent Send clicks make exactly 200 Jelou requests and 200 rows, and survive a restart', async () => {
    const { slack, jelou, start, rows } = await setUp();
    // 200 results in one channel would take Slack minutes at its 1 post a second: this measures
    // the app's own durability, so Slack's rate limits are off (slack-behaviour.test.ts has them).
    slack.model.rateLimits = false;
    const { app, drive } = await start();
    const views = await previews(drive, 200);
    const answers = await Promise.all(views.map((view) => drive.submit(view, {})));
    expect(answers.every((a) => a.status === 200)).toBe(true);

    await until(
      '200 sends to finish',
      () => rows().filter((r) => r.status === 'sent').length === 200,
      30_000,
    );
    const all = rows();
    expect(all).toHaveLength(200);
    expect(new Set(all.map((r) => r.message_id)).size).toBe(200);
    expect(new Set(all.map((r) => r.card_name)).size).toBe(200);
    const sent = namesSent(jelou);
    expect(sent).toHaveLength(200);
    expect(new Set(sent).size).toBe(200);

    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    const again = await start();
    await again.drive.command('history');
    const history = await slack.waitFor('response_url');
    expect(shownTexts(history.args.blocks)).toContainEqual(expect.stringContaining('*Card 200*'));
    expect(rows()).toHaveLength(200);
  }, 90_000); // A hang guard for 200 real requests and a restart, not a speed target.
});

describe('a graceful stop (SIGTERM)', () => {
  it('lets a card in flight finish, reports it, and exits 0', async () => {
    const { slack, jelou, start, rows } = await setUp();
    jelou.script('messages', slow(800, passThrough()));
    const { app, drive } = await start();
    const [view] = await previews(drive, 1);
    if (!view) throw new Error('no preview');
    await drive.submit(view, {});
    await until('Jelou to receive the card', () => jelou.requestsTo('messages').length === 1);
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(rows().map((r) => r.status)).toEqual(['sent']);
    expect(results(slack, 'chat.update').map((result) => result.status)).toContain('sent');
    expect(app.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  });

  it('gives up on a card after SHUTDOWN_GRACE_SECONDS and leaves it for recovery, not for a resend', async () => {
    const { jelou, start, rows } = await setUp({ SHUTDOWN_GRACE_SECONDS: '0.5' });
    jelou.respondWith(hangHeaders());
    const { app, drive } = await start();
    const [view] = await previews(drive, 1);
    if (!view) throw new Error('no preview');
    await drive.submit(view, {});
    await until('Jelou to hold the card', () => jelou.requestsTo('messages').length === 1);
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(rows().map((r) => r.status)).toEqual(['sending']);
    jelou.respondWith(undefined);
    await start();
    await until('recovery', () => rows()[0]?.status === 'unknown');
    expect(jelou.requestsTo('messages')).toHaveLength(1);
  });
});

describe('npm start without credentials', () => {
  it('exits 1 at once, listing what is missing and pointing to the README and the demo', async () => {
    await expect(startAppProcess({})).rejects.toThrow(
      /exited \(1\)[\s\S]*SLACK_BOT_TOKEN\s+is missing[\s\S]*README[\s\S]*npm run demo/,
    );
  });
});
