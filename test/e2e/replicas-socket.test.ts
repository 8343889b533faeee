/**
 * Two replicas as real processes in Socket Mode on one PostgreSQL database, sharing Slack's
 * socket: Slack gives each payload to one connection.
 */
import type { ModalView } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockId } from '../../src/slack/ids.js';
import { until } from '../support/app-process.js';
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
  setUp,
  slackQuiet,
} from '../support/replicas.js';
import {
  type FormAnswers,
  type OpenedView,
  slashCommand,
  viewSubmission,
} from '../support/slack-payloads.js';
import { startSocketStandIn } from '../support/socket-standin.js';

afterEach(cleanUp);

const APP_TOKEN = 'xapp-1-A0JELOUCARD-1234-replicasAppTokenValue';

describe('two replicas sharing Slack’s socket (Socket Mode)', () => {
  it('each take some of the payloads, and every card is sent once and ends final', async () => {
    const socket = await startSocketStandIn();
    onCleanUp(() => socket.close());
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
