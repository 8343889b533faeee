import { afterEach, describe, expect, it } from 'vitest';
import { BlockId, MetadataEventType } from '../../src/slack/ids.js';
import { until } from '../support/app-process.js';
import { startBalancer } from '../support/balancer.js';
import { SECRETS } from '../support/harness.js';
import type { BehaviourContext } from '../support/jelou-standin.js';
import { JUAN_FORM } from '../support/juan.js';
import {
  allFinal,
  batchLineStatuses,
  cardsJelouGot,
  cleanUp,
  countsOf,
  key,
  lastStateOfMessages,
  metadataOf,
  onCleanUp,
  person,
  pooled,
  type Row,
  setUp,
  slackQuiet,
} from '../support/replicas.js';
import { slackDriver } from '../support/slack-driver.js';
import type { FormAnswers } from '../support/slack-payloads.js';

afterEach(cleanUp);

describe('three replicas behind a round-robin balancer', () => {
  it('deliver 600 sends once each through a kill -9 and a restart, and every message ends final', async () => {
    const { slack, jelou, start, rows } = await setUp();
    // Hundreds of results in one channel would take Slack minutes at its 1 post a second: this
    // proves the replicas' own guarantees, so Slack's rate limits are off (slack-behaviour.test.ts
    // has them, and the Socket Mode case below keeps them on).
    slack.model.rateLimits = false;
    // Jelou answers slowly, so each replica has sends in flight when one is killed. A request
    // whose replica died before the answer is remembered: that card may have reached the customer.
    // From the kill's start until the victim is back, Jelou holds every answer: no replica can
    // finish a send meanwhile, so the victim is certainly killed with sends in its hands (by
    // chance alone it sometimes had none at that instant, and the test proved nothing).
    const cutOff = new Set<number>();
    let held = 0;
    let gate: Promise<void> | undefined;
    jelou.respondWith(async (ctx: BehaviourContext) => {
      if (ctx.request.route === 'messages') {
        await ctx.wait(200 + Math.floor(Math.random() * 300));
        if (gate) {
          held += 1;
          await gate;
        }
        if (ctx.res.socket === null || ctx.res.socket.destroyed) {
          cutOff.add(ctx.request.n);
          return;
        }
      }
      return ctx.answerAsJelou();
    });
    const replicas = await Promise.all([start(), start(), start()]);
    const balancer = await startBalancer(replicas.map((app) => app.eventsUrl));
    onCleanUp(() => balancer.close());
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
        let open = () => {};
        gate = new Promise((resolve) => {
          open = resolve;
        });
        // Three replicas of at most 8 deliveries each: at 24 held answers every one is full.
        await until('each replica to hold 8 sends at Jelou', () => held >= 24, 30_000);
        app.kill('SIGKILL');
        expect(await app.exited).toBe('SIGKILL');
        gate = undefined;
        open();
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
    // only where the killed replica had posted it and died before recording where, a moment while
    // the send was in its hands (8 at a time), so there are no more of those than that.
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
      // One left behind still says "Sending…": the killed replica posted it and died before
      // recording where (with the send in flight, or finished and not yet shown).
      for (const older of shown.slice(0, -1)) {
        expect(['pending', 'sending'], row.id).toContain(metadataOf(older).event_payload?.status);
      }
    }
    expect(leftBehind).toBeLessThanOrEqual(8);
    // Every replica, the restarted one included, took requests.
    expect(balancer.answered.every((count) => count > 0)).toBe(true);
  }, 300_000);
});
