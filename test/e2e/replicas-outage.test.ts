import { afterEach, describe, expect, it } from 'vitest';
import { BlockId } from '../../src/slack/ids.js';
import { until } from '../support/app-process.js';
import { startBalancer } from '../support/balancer.js';
import { SECRETS } from '../support/harness.js';
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
  setUp,
  slackQuiet,
  waitingShown,
} from '../support/replicas.js';
import { slackDriver } from '../support/slack-driver.js';
import type { FormAnswers } from '../support/slack-payloads.js';
import { startTcpGate } from '../support/tcp-gate.js';

afterEach(cleanUp);

describe('Jelou down, then back', () => {
  it('keeps the cards sent meanwhile waiting, says so, and delivers each once when it is back', async () => {
    const { slack, jelou, start, rows } = await setUp({ JELOU_RETRY_WINDOW_MINUTES: '15' });
    // Ten "Sending…" messages posted in the same second into one channel: Slack's per-channel
    // limit is slack-behaviour.test.ts's subject; this one is the outage.
    slack.model.rateLimits = false;
    // Down means the port refuses connections, as when Jelou's host is up but its server is not.
    const gate = await startTcpGate(jelou.url);
    onCleanUp(() => gate.close());
    const replicas = await Promise.all([
      start({ JELOU_API_URL: gate.url }),
      start({ JELOU_API_URL: gate.url }),
    ]);
    const balancer = await startBalancer(replicas.map((app) => app.eventsUrl));
    onCleanUp(() => balancer.close());
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

    // Down for a minute, as the outage: each card is refused again and again, its wait
    // doubling (jittered) towards the 60 s cap, and is tried by itself once Jelou is back.
    await new Promise((resolve) => setTimeout(resolve, 60_000));
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
  }, 240_000);
});
