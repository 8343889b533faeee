/**
 * Jelou down, then back: a card sent meanwhile waits (pending, "trying again at …", Cancel) and
 * arrives once Jelou is back, with no click. Through Bolt's real HTTP receiver, the real store and
 * the Jelou stand-in answering 429 (Jelou did not take it: https://developer.jelou.ai, see
 * /work/shared/jelou-api.md, "Errors").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../src/slack/i18n/en.js';
import { ActionId, BlockId } from '../../src/slack/ids.js';
import { until } from '../support/app-process.js';
import { type Harness, startHarness } from '../support/harness.js';
import { json } from '../support/jelou-standin.js';
import { JUAN_FORM } from '../support/juan.js';
import type { SlackCall } from '../support/slack-standin.js';

type Block = {
  type: string;
  block_id?: string;
  elements?: { type: string; text?: string; action_id?: string }[];
};

/** The channel message as last posted or updated. */
function lastNotice(h: Harness): SlackCall | undefined {
  return h.slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update').at(-1);
}

function contextLines(call: SlackCall | undefined): string[] {
  const blocks = (call?.args.blocks ?? []) as Block[];
  return blocks
    .filter((b) => b.type === 'context')
    .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ''));
}

function buttons(call: SlackCall | undefined): string[] {
  const blocks = (call?.args.blocks ?? []) as Block[];
  return blocks
    .filter((b) => b.block_id === BlockId.NotificationActions)
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
}

const isWaitingNotice = (call: SlackCall | undefined) =>
  contextLines(call).some((line) => line.startsWith('Jelou is not answering; trying again at <!date^'));

describe('a Jelou outage', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('keeps the card waiting, says when it is tried next, and sends it once Jelou is back', async () => {
    h = await startHarness({ JELOU_RETRY_WINDOW_MINUTES: '15' });
    const harness = h;
    harness.jelou.respondWith(json(429, { message: 'Too many requests' }));
    const form = await harness.openForm();
    const view = await harness.preview(form, JUAN_FORM);
    await harness.submit(view, {});
    await until('the message to say Jelou is not answering', () => isWaitingNotice(lastNotice(harness)));
    expect(buttons(lastNotice(harness))).toEqual([ActionId.CancelWaitingSend]);
    const refused = harness.jelou.requestsTo('messages').length;
    // Jelou is back.
    harness.jelou.respondWith(undefined);
    await until(
      'the card to be sent',
      () => contextLines(lastNotice(harness)).some((line) => line.startsWith('Jelou message id')),
      20_000,
    );
    expect(harness.jelou.requestsTo('messages')).toHaveLength(refused + 1);
    expect(buttons(lastNotice(harness))).toEqual([ActionId.DownloadVcf]);
  });

  it('lets the requester cancel the wait; the message then offers Retry', async () => {
    h = await startHarness({ JELOU_RETRY_WINDOW_MINUTES: '15' });
    const harness = h;
    harness.jelou.respondWith(json(429, { message: 'Too many requests' }));
    const form = await harness.openForm();
    await harness.submit(await harness.preview(form, JUAN_FORM), {});
    await until('the message to say Jelou is not answering', () => isWaitingNotice(lastNotice(harness)));
    const waiting = lastNotice(harness);
    if (!waiting) throw new Error('no notice');
    await harness.clickMessage(waiting, ActionId.CancelWaitingSend);
    await until('the message to offer Retry', () => buttons(lastNotice(harness)).includes(ActionId.Retry));
    expect(contextLines(lastNotice(harness))).toContain(
      en.notification.reason(
        'Cancelled while Jelou was not answering: the card was not sent. Press Retry to send it.',
      ),
    );
  });
});
