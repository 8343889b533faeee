/**
 * The Slack flow end to end: signed requests into Bolt's real HTTP receiver, a loopback Slack
 * Web API, a loopback Jelou, a real SQLite file. Nothing of the app is mocked.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputBlock, ModalView } from '@slack/types';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { CATALOGUES } from '../../src/slack/i18n/index.js';
import { ActionId, BlockId, CallbackId, rowBlockId } from '../../src/slack/ids.js';
import { until } from '../support/app-process.js';
import { shownTexts } from '../support/blocks.js';
import { type Harness, standInEnv, startHarness, startStandIns } from '../support/harness.js';
import { json } from '../support/jelou-standin.js';
import { JUAN_BODY, JUAN_FORM } from '../support/juan.js';
import { answeredView } from '../support/slack-driver.js';
import {
  ALICE,
  CHANNEL,
  type FormAnswers,
  MALLORY,
  messageButtonClick,
  type OpenedView,
  picked,
} from '../support/slack-payloads.js';
import { commandBody, payloadBody } from '../support/slack-requests.js';
import { RESPONSE_URL, type SlackCall } from '../support/slack-standin.js';

const MARIA = picked('María López · +593 99 123 4567', '593991234567');
const JUAN = JUAN_FORM;

let h: Harness;
afterEach(async () => h?.stop());

type ViewAnswer = {
  response_action?: string;
  view?: ModalView & { private_metadata?: string };
  errors?: Record<string, string>;
};

function viewAnswer(response: { json: unknown }): ViewAnswer {
  return (response.json ?? {}) as ViewAnswer;
}

/** The preview the app answers a valid form with, as the opened view Slack would then hold. */
function preview(form: OpenedView, answers: FormAnswers): Promise<OpenedView> {
  return h.preview(form, answers);
}

function textOf(call: SlackCall): string {
  return String(call.args.text ?? '');
}

function blocksText(call: SlackCall): string {
  return JSON.stringify(call.args.blocks ?? []);
}

async function finalUpdate(pattern: RegExp): Promise<SlackCall> {
  return h.slack.waitFor('chat.update', (call) => pattern.test(textOf(call)));
}

describe('/jelou-card', () => {
  it('opens the form with the recipient, the name and a phone first', async () => {
    h = await startHarness();
    const response = await h.command('');
    expect(response.status).toBe(200);
    const call = await h.slack.waitFor('views.open');
    expect(call.args.trigger_id).toMatch(/^trigger-/);
    expect(call.authorization).toBe(`Bearer ${h.config.slack.botToken}`);
    const view = call.args.view as ModalView;
    expect(view.callback_id).toBe(CallbackId.CardModal);
    expect(view.blocks.slice(0, 3).map((b) => b.block_id)).toEqual([
      BlockId.Recipient,
      BlockId.FormattedName,
      rowBlockId('phone', 0, 'number'),
    ]);
    expect(JSON.parse(view.private_metadata ?? '{}')).toEqual({
      channelId: CHANNEL,
      rows: { phone: 1, email: 1, address: 1 },
    });
  });

  it('opens the form with the recipient chosen when given a number', async () => {
    h = await startHarness();
    const view = await h.openForm('+593 99 123 4567');
    const recipient = view.blocks.find((b) => b.block_id === BlockId.Recipient) as InputBlock;
    expect(recipient.element).toMatchObject({
      type: 'multi_external_select',
      initial_options: [{ value: '593991234567' }],
    });
  });

  it('tells the person privately when Slack refuses to open the form', async () => {
    h = await startHarness();
    h.slack.on('views.open', () => ({ ok: false, error: 'expired_trigger_id' }));
    await h.command('');
    const told = await h.slack.waitFor(RESPONSE_URL);
    expect(told.args).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/run \/jelou-card again/),
    });
  });

  it('answers help with an ephemeral usage message and opens nothing', async () => {
    h = await startHarness();
    const response = await h.command('help');
    expect(response.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('/jelou-card +593'),
    });
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('opens the form with an escaped hint for text it does not understand', async () => {
    h = await startHarness();
    const view = await h.openForm('call <!channel> now');
    expect(view.blocks[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: CATALOGUES.en.command.hint('call &lt;!channel&gt; now') }],
    });
  });
});

describe('recipient picker', () => {
  it("offers the bot's recent conversations that match, and a typed number", async () => {
    h = await startHarness();
    const now = new Date();
    h.jelou.setConversations([
      { userId: '593991234567', name: 'María López', messages: [{ by: 'user', at: now }] },
      { userId: '525512345678', name: 'Juan Pérez', messages: [{ by: 'user', at: now }] },
    ]);
    const form = await h.openForm();
    const byName = await h.suggest(form, ActionId.RecipientSelect, BlockId.Recipient, 'mar');
    expect(byName.json).toEqual({
      options: [
        {
          text: { type: 'plain_text', text: 'María López · +593 99 123 4567', emoji: true },
          value: '593991234567',
        },
      ],
    });
    const typed = await h.suggest(form, ActionId.RecipientSelect, BlockId.Recipient, '099 765 4321');
    expect(typed.json).toEqual({
      options: [
        {
          text: { type: 'plain_text', text: '+593 99 765 4321 (typed number)', emoji: true },
          value: '593997654321',
        },
      ],
    });
  });

  it('still answers with the typed number when Jelou does not answer', async () => {
    h = await startHarness();
    h.jelou.respondWith(() => undefined);
    const form = await h.openForm();
    const response = await h.suggest(form, ActionId.RecipientSelect, BlockId.Recipient, '+52 55 1234 5678');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ options: [{ value: '525512345678' }] });
  });
});

describe('submitting the form', () => {
  it('shows every invalid field inline, with how to fix it', async () => {
    h = await startHarness();
    const form = await h.openForm();
    const response = await h.submit(form, {
      [BlockId.FormattedName]: '   ',
      [rowBlockId('phone', 0, 'number')]: '12ab',
      [rowBlockId('email', 0, 'address')]: 'juan@',
      [rowBlockId('address', 0, 'city')]: 'Quito',
      [rowBlockId('address', 0, 'countryCode')]: 'XX',
      [BlockId.Website]: 'javascript:alert(1)',
    });
    const answer = viewAnswer(response);
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors ?? {}).sort()).toEqual(
      [
        BlockId.Recipient,
        BlockId.FormattedName,
        rowBlockId('phone', 0, 'number'),
        rowBlockId('email', 0, 'address'),
        rowBlockId('address', 0, 'countryCode'),
        BlockId.Website,
      ].sort(),
    );
    for (const sentence of Object.values(answer.errors ?? {})) expect(sentence).toMatch(/^[A-Z].{10,}[.)]$/);
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);
  });

  it('puts an error on the row it belongs to, even after an empty row', async () => {
    h = await startHarness();
    const form = await h.openForm();
    await h.click(form, ActionId.AddPhone, BlockId.AddPhone);
    const grown = await h.slack.waitFor('views.update');
    const twoPhones: OpenedView = { ...(grown.args.view as ModalView), id: form.id, hash: 'hash-grown' };
    const answer = viewAnswer(
      await h.submit(twoPhones, {
        [BlockId.Recipient]: MARIA,
        [BlockId.FormattedName]: 'Juan Pérez',
        [rowBlockId('phone', 1, 'number')]: '12ab',
      }),
    );
    expect(Object.keys(answer.errors ?? {})).toEqual([rowBlockId('phone', 1, 'number')]);
  });

  it('previews a card whose escaped text is far longer than what was typed, within Slack limits', async () => {
    h = await startHarness();
    const ampersands = '&'.repeat(256);
    const view = await preview(await h.openForm(), {
      ...JUAN,
      [BlockId.Company]: ampersands,
      [BlockId.Department]: ampersands,
      [BlockId.Title]: ampersands,
      [rowBlockId('address', 0, 'street')]: ampersands,
    });
    expect(shownTexts(view.blocks)).toContainEqual(expect.stringContaining('&amp;'.repeat(256)));
  });

  it('refuses a 5,000-character name without sending anything', async () => {
    h = await startHarness();
    const form = await h.openForm();
    const answer = viewAnswer(await h.submit(form, { ...JUAN, [BlockId.FormattedName]: 'x'.repeat(5000) }));
    expect(answer.errors?.[BlockId.FormattedName]).toMatch(/127/);
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);
  });

  it('previews a valid card: who receives it and what they will see', async () => {
    h = await startHarness();
    const form = await h.openForm();
    const view = await preview(form, JUAN);
    expect(view.callback_id).toBe(CallbackId.PreviewModal);
    const shown = shownTexts(view.blocks);
    for (const text of [
      'María López',
      'Juan Pérez',
      '+52 55 1234 5678',
      'juan.perez@example.com',
      'Calle Principal 123',
    ]) {
      expect(shown).toContainEqual(expect.stringContaining(text));
    }
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);
  });

  it('leaves out rows nobody touched, although their type menus start with a choice', async () => {
    h = await startHarness();
    const view = await preview(await h.openForm(), {
      [BlockId.Recipient]: MARIA,
      [BlockId.FormattedName]: 'Juan Pérez',
      [rowBlockId('phone', 0, 'number')]: '+52 55 1234 5678',
    });
    const metadata = JSON.parse(view.private_metadata ?? '{}') as { contacts: unknown[] };
    expect(metadata.contacts).toEqual([
      {
        name: { formatted_name: 'Juan Pérez', first_name: 'Juan Pérez' },
        phones: [{ phone: '+525512345678', type: 'Mobile', wa_id: '5215512345678' }],
      },
    ]);
  });

  it('grows the form with Add phone, keeping what was typed', async () => {
    h = await startHarness();
    const form = await h.openForm();
    await h.click(form, ActionId.AddPhone, BlockId.AddPhone, { [BlockId.FormattedName]: 'Juan Pérez' });
    const update = await h.slack.waitFor('views.update');
    expect(update.args).toMatchObject({ view_id: form.id, hash: form.hash });
    const view = update.args.view as ModalView;
    const ids = view.blocks.map((b) => b.block_id);
    expect(ids).toContain(rowBlockId('phone', 1, 'number'));
    const name = view.blocks.find((b) => b.block_id === BlockId.FormattedName) as InputBlock;
    expect(name.element).toMatchObject({ initial_value: 'Juan Pérez' });
  });

  it('goes back from the preview to the form with the card filled in', async () => {
    h = await startHarness();
    const view = await preview(await h.openForm(), JUAN);
    await h.click(view, ActionId.BackToEdit, BlockId.PreviewActions);
    const update = await h.slack.waitFor('views.update');
    const form = update.args.view as ModalView;
    expect(form.callback_id).toBe(CallbackId.CardModal);
    const phone = form.blocks.find((b) => b.block_id === rowBlockId('phone', 0, 'number')) as InputBlock;
    expect(phone.element).toMatchObject({ initial_value: '+525512345678' });
  });
});

describe('sending', () => {
  it("sends exactly the seed's body to Jelou after the acknowledgement and reports it in the channel", async () => {
    h = await startHarness();
    const view = await preview(await h.openForm(), JUAN);
    const response = await h.submit(view, {});
    expect(viewAnswer(response)).toEqual({ response_action: 'clear' });

    const sent = await finalUpdate(/Sent/);
    const [request] = h.jelou.requestsTo('messages');
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/bots/bot-e2e/messages');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('client-e2e:harness-jelou-client-secret-5d3e').toString('base64')}`,
    );
    expect(request?.body).toEqual(JUAN_BODY);

    const posted = h.slack.callsTo('chat.postMessage');
    expect(posted).toHaveLength(1);
    const sending = posted[0] as SlackCall;
    expect(sending.args.channel).toBe(CHANNEL);
    expect(textOf(sending)).toMatch(/Sending \*Juan Pérez\* to María López/);
    // The update edits the very message that said "sending…".
    expect(sent.args).toMatchObject({ channel: CHANNEL, ts: (sending.answer as { ts: string }).ts });
    expect(textOf(sent)).toContain(`<@${ALICE.id}>`);
    expect(blocksText(sent)).toContain('msg_1');
  });

  it('reports a refused send in words a person understands, and Retry sends the same card again', async () => {
    h = await startHarness();
    h.jelou.script('messages', json(400, { code: 'message_could_not_be_send', message: 'Outside window' }));
    await h.submit(await preview(await h.openForm(), JUAN), {});
    const failed = await finalUpdate(/Could not send/);
    expect(blocksText(failed)).toMatch(/24 hours/);
    const blocks = failed.args.blocks as {
      type: string;
      elements?: { action_id: string; value: string }[];
    }[];
    const retry = blocks.find((b) => b.type === 'actions')?.elements?.[0];
    expect(retry?.action_id).toBe(ActionId.Retry);

    const click = messageButtonClick(
      { channel: CHANNEL, ts: String(failed.args.ts), blocks },
      { actionId: ActionId.Retry, blockId: BlockId.NotificationActions, value: retry?.value ?? '' },
      h.slack.responseUrl,
    );
    expect((await h.post(payloadBody(click))).status).toBe(200);
    await finalUpdate(/Sent/);
    const requests = h.jelou.requestsTo('messages');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toEqual(requests[0]?.body);
  });

  it('says a send may have arrived when Jelou fails mid-way, and "Send again anyway" sends once more', async () => {
    h = await startHarness();
    h.jelou.script('messages', json(502, { message: 'Bad gateway' }));
    await h.submit(await preview(await h.openForm(), JUAN), {});
    const unknown = await finalUpdate(/may or may not have arrived/);
    expect(blocksText(unknown)).toMatch(/Check with the customer/);
    const blocks = unknown.args.blocks as {
      type: string;
      elements?: { action_id: string; value: string }[];
    }[];
    const again = blocks.find((b) => b.type === 'actions')?.elements?.[0];
    expect(again?.action_id).toBe(ActionId.SendAgainAnyway);
    // Never retried on its own: the first request may have reached the customer.
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);

    const click = messageButtonClick(
      { channel: CHANNEL, ts: String(unknown.args.ts), blocks },
      { actionId: ActionId.SendAgainAnyway, blockId: BlockId.NotificationActions, value: again?.value ?? '' },
      h.slack.responseUrl,
    );
    await h.post(payloadBody(click));
    const sent = await finalUpdate(/Sent/);
    expect(blocksText(sent)).toMatch(/Attempt 2/);
    expect(h.jelou.requestsTo('messages')).toHaveLength(2);
  });

  it('sends once when the same Send arrives twice (a double click)', async () => {
    h = await startHarness();
    const view = await preview(await h.openForm(), JUAN);
    const answers = await Promise.all([h.submit(view, {}), h.submit(view, {})]);
    expect(answers.map(viewAnswer)).toEqual([{ response_action: 'clear' }, { response_action: 'clear' }]);
    await finalUpdate(/Sent/);
    // A later send proves the queue has moved past any duplicate.
    await h.submit(await preview(await h.openForm(), JUAN), {});
    await h.slack.waitFor(
      'chat.update',
      () => h.slack.callsTo('chat.update').filter((c) => /Sent/.test(textOf(c))).length === 2,
    );
    expect(h.jelou.requestsTo('messages')).toHaveLength(2);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('does not let someone else retry a send', async () => {
    h = await startHarness();
    h.jelou.script('messages', json(400, { code: 'message_could_not_be_send', message: 'Outside window' }));
    await h.submit(await preview(await h.openForm(), JUAN), {});
    const failed = await finalUpdate(/Could not send/);
    const blocks = failed.args.blocks as { type: string; elements?: { value: string }[] }[];
    const value = blocks.find((b) => b.type === 'actions')?.elements?.[0]?.value ?? '';
    const click = messageButtonClick(
      { channel: CHANNEL, ts: String(failed.args.ts), blocks },
      { actionId: ActionId.Retry, blockId: BlockId.NotificationActions, value },
      h.slack.responseUrl,
      MALLORY,
    );
    await h.post(payloadBody(click));
    const refusal = await h.slack.waitFor(RESPONSE_URL);
    expect(refusal.args).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/Only the person/),
    });
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);
  });

  it('records the outcome as soon as Jelou answers, however slow Slack is to post "sending…"', async () => {
    // No grace at the end: the notification is still waiting on Slack, and need not be waited for.
    h = await startHarness({ SHUTDOWN_GRACE_SECONDS: '0' });
    h.slack.on('chat.postMessage', () => ({
      delayMs: 60_000,
      answer: { ok: true, channel: CHANNEL, ts: '1.000001' },
    }));
    await h.submit(await preview(await h.openForm(), JUAN), {});
    const file = h.config.databaseUrl.replace(/^file:/, '');
    const status = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db
          .prepare<[], { status: string; message_id: string | null }>('SELECT status, message_id FROM sends')
          .get();
      } finally {
        db.close();
      }
    };
    // Slack has not answered (and will not for a minute); the confirmed card is on record anyway.
    await until('the send to be recorded as sent', () => status()?.status === 'sent');
    expect(status()).toEqual({ status: 'sent', message_id: 'msg_1' });
  });

  it('tells the sender privately, in a DM, when the bot is not in the channel', async () => {
    h = await startHarness();
    h.slack.on('chat.postMessage', (call) =>
      call.args.channel === CHANNEL ? { ok: false, error: 'not_in_channel' } : undefined,
    );
    await h.submit(await preview(await h.openForm(), JUAN), {});
    const dm = await finalUpdate(/Sent/);
    expect(dm.args.channel).toBe(`D${ALICE.id}`);
    const [headsUp, ...more] = h.slack.callsTo('chat.postEphemeral');
    expect(headsUp?.args).toMatchObject({ channel: CHANNEL, user: ALICE.id });
    expect(more).toEqual([]);
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);
  });

  it('falls back to a DM when neither the channel nor an ephemeral message works', async () => {
    h = await startHarness();
    h.slack.on('chat.postMessage', (call) =>
      call.args.channel === CHANNEL ? { ok: false, error: 'channel_not_found' } : undefined,
    );
    h.slack.on('chat.postEphemeral', () => ({ ok: false, error: 'channel_not_found' }));
    await h.submit(await preview(await h.openForm(), JUAN), {});
    const dm = await finalUpdate(/Sent/);
    expect(dm.args.channel).toBe(`D${ALICE.id}`);
    expect(h.slack.callsTo('conversations.open')[0]?.args.users).toBe(ALICE.id);
  });

  it('escapes a contact named <!channel> everywhere it is shown', async () => {
    h = await startHarness();
    const view = await preview(await h.openForm(), {
      ...JUAN,
      [BlockId.FormattedName]: '<!channel> <https://evil.example|click>',
    });
    expect(JSON.stringify(view.blocks)).not.toMatch(/<!channel>|<https:/);
    await h.submit(view, {});
    const sent = await finalUpdate(/Sent/);
    for (const call of [...h.slack.callsTo('chat.postMessage'), sent]) {
      expect(textOf(call) + blocksText(call)).not.toMatch(/<!channel>|<https:/);
      expect(textOf(call)).toContain('&lt;!channel&gt;');
    }
    // Jelou gets the name exactly as typed: escaping is for Slack's mrkdwn, not for WhatsApp.
    expect(h.jelou.requestsTo('messages')[0]?.body).toMatchObject({
      contacts: [{ name: { formatted_name: '<!channel> <https://evil.example|click>' } }],
    });
  });

  it('in dry-run mode does everything but the request to Jelou, and says so', async () => {
    h = await startHarness({ JELOU_DRY_RUN: 'true' });
    await h.submit(await preview(await h.openForm(), JUAN), {});
    const done = await finalUpdate(/Dry run/);
    expect(textOf(done)).toMatch(/not sent/);
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);
  });
});

describe('history', () => {
  it('lists my latest sends with how each went, only to me', async () => {
    h = await startHarness();
    h.jelou.script('messages', json(400, { code: 'message_could_not_be_send', message: 'Outside window' }));
    await h.submit(await preview(await h.openForm(), JUAN), {});
    await finalUpdate(/Could not send/);
    await h.submit(await preview(await h.openForm(), { ...JUAN, [BlockId.FormattedName]: 'Ana <b>' }), {});
    await finalUpdate(/Sent \*Ana/);

    await h.command('history');
    const answer = await h.slack.waitFor(RESPONSE_URL);
    expect(answer.args.response_type).toBe('ephemeral');
    const lines = (answer.args.blocks as { type: string; text?: { text: string } }[])
      .filter((b) => b.type === 'section')
      .map((b) => b.text?.text ?? '');
    expect(lines).toEqual([
      expect.stringMatching(/^:white_check_mark: \*Ana &lt;b&gt;\* to María López .* · sent$/),
      expect.stringMatching(/^:x: \*Juan Pérez\* to María López .* · not sent$/),
    ]);
  });

  it("shows the person's sends and the team's counts on the App Home tab", async () => {
    h = await startHarness();
    await h.submit(await preview(await h.openForm(), JUAN), {});
    await finalUpdate(/Sent/);
    const event = {
      token: 'legacy',
      team_id: ALICE.teamId,
      api_app_id: 'A0JELOUCARD',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1,
      event: { type: 'app_home_opened', user: ALICE.id, channel: 'D0ALICE', tab: 'home', event_ts: '1.0' },
    };
    const response = await h.post(JSON.stringify(event), { contentType: 'application/json' });
    expect(response.status).toBe(200);
    const published = await h.slack.waitFor('views.publish');
    expect(published.args.user_id).toBe(ALICE.id);
    const home = shownTexts((published.args.view as ModalView).blocks);
    expect(home).toContainEqual(expect.stringContaining('1 sent · 0 not sent · 0 uncertain · 0 in progress'));
    expect(home).toContainEqual(expect.stringContaining('*Juan Pérez* to María López'));
  });

  it("offers the people the team sent cards to in the picker, beside Jelou's conversations", async () => {
    h = await startHarness();
    await h.submit(await preview(await h.openForm(), JUAN), {});
    await finalUpdate(/Sent/);
    const form = await h.openForm();
    const response = await h.suggest(form, ActionId.RecipientSelect, BlockId.Recipient, 'maría');
    expect(response.json).toEqual({
      options: [{ text: { type: 'plain_text', text: MARIA.text.text, emoji: true }, value: MARIA.value }],
    });
  });
});

describe('who may send', () => {
  it('refuses someone outside ALLOWED_USER_IDS politely, on the command and on a forged submission', async () => {
    h = await startHarness({ ALLOWED_USER_IDS: ALICE.id });
    const refused = await h.command('', MALLORY);
    expect(refused.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Sorry/) });
    expect(h.slack.callsTo('views.open')).toHaveLength(0);

    const view = await preview(await h.openForm('', ALICE), JUAN);
    const forged = await h.submit(view, {}, MALLORY);
    expect(answeredView(forged)?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: CATALOGUES.en.command.notAllowed } },
    ]);
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);
  });

  it('refuses the form submission of someone outside ALLOWED_USER_IDS', async () => {
    h = await startHarness({ ALLOWED_USER_IDS: ALICE.id });
    const form = await h.openForm('', ALICE);
    const answer = viewAnswer(await h.submit(form, JUAN, MALLORY));
    expect(answer).toMatchObject({
      response_action: 'errors',
      errors: { [BlockId.Recipient]: expect.stringMatching(/^Sorry/) },
    });
  });

  it('refuses a Send whose private_metadata names a channel outside ALLOWED_CHANNEL_IDS', async () => {
    h = await startHarness({ ALLOWED_CHANNEL_IDS: CHANNEL });
    const view = await preview(await h.openForm('', ALICE, CHANNEL), JUAN);
    const metadata = JSON.parse(view.private_metadata ?? '{}') as Record<string, unknown>;
    const forged = { ...view, private_metadata: JSON.stringify({ ...metadata, channelId: 'C0ELSEWHERE' }) };
    expect(answeredView(await h.submit(forged, {}))?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: CATALOGUES.en.command.notAllowed } },
    ]);
    await h.submit(view, {});
    await finalUpdate(/Sent/);
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);
  });

  it("lets someone on ALLOWED_USER_IDS retry a colleague's send, and nobody else", async () => {
    h = await startHarness({ ALLOWED_USER_IDS: `${ALICE.id},U0BOB` });
    h.jelou.script('messages', json(400, { code: 'message_could_not_be_send', message: 'Outside window' }));
    await h.submit(await preview(await h.openForm('', ALICE), JUAN), {});
    const failed = await finalUpdate(/Could not send/);
    const click = (user: typeof ALICE) => h.clickMessage(failed, ActionId.Retry, { user });
    await click(MALLORY);
    await h.slack.waitFor(RESPONSE_URL);
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);
    await click({ id: 'U0BOB', teamId: ALICE.teamId });
    await finalUpdate(/Sent/);
    expect(h.jelou.requestsTo('messages')).toHaveLength(2);
  });

  it('refuses commands from channels outside ALLOWED_CHANNEL_IDS', async () => {
    h = await startHarness({ ALLOWED_CHANNEL_IDS: 'C0SALES' });
    const refused = await h.command('', ALICE, CHANNEL);
    expect(refused.json).toMatchObject({ response_type: 'ephemeral' });
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });
});

describe('request signing', () => {
  it('rejects forged, missing and stale signatures with 401 and does nothing', async () => {
    h = await startHarness();
    const body = commandBody({
      command: '/jelou-card',
      text: '',
      user_id: ALICE.id,
      channel_id: CHANNEL,
      trigger_id: 't',
    });
    const forged = await h.post(body, { signature: `v0=${'0'.repeat(64)}` });
    const missing = await h.post(body, { signature: null });
    const stale = await h.post(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const otherSecret = await h.post(body, { signingSecret: 'not-the-secret' });
    expect([forged.status, missing.status, stale.status, otherSecret.status]).toEqual([401, 401, 401, 401]);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    expect(h.jelou.requests).toHaveLength(0);
  });
});

describe('operations (HTTP mode, on the app port)', () => {
  it('answers /healthz and /readyz, and counts sends, Jelou time and acknowledgements in /metrics', async () => {
    h = await startHarness();
    const base = h.eventsUrl.replace('/slack/events', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ready: true,
      checks: { store: true, slackAuth: true, accepting: true },
    });

    h.jelou.script('messages', json(400, { code: 'message_could_not_be_send', message: 'Outside window' }));
    await h.submit(await preview(await h.openForm(), JUAN), {});
    await finalUpdate(/Could not send/);
    await h.submit(await preview(await h.openForm(), JUAN), {});
    await finalUpdate(/Sent/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^jelou_card_sends_total\{outcome="sent"\} 1$/m);
    expect(metrics).toMatch(/^jelou_card_sends_total\{outcome="failed"\} 1$/m);
    expect(metrics).toMatch(/^jelou_card_jelou_request_duration_seconds_count\{outcome="sent"\} 1$/m);
    // Two commands and four submissions were acknowledged over HTTP.
    const acks = Number(/^jelou_card_ack_duration_seconds_count (\d+)$/m.exec(metrics)?.[1]);
    expect(acks).toBeGreaterThanOrEqual(6);
    expect(metrics).toMatch(/^jelou_card_process_resident_memory_bytes \d+/m);
  });

  it("refuses to start when Slack rejects the bot token, with Slack's reason", async () => {
    const { slack, jelou } = await startStandIns();
    slack.on('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    const dir = mkdtempSync(join(tmpdir(), 'jelou-card-auth-'));
    const runtime = createRuntime(
      loadConfig(standInEnv(slack, jelou, join(dir, 'sends.db'))),
      createLogger({ level: 'silent' }),
    );
    await expect(runtime.start()).rejects.toThrow(/invalid_auth/);
    await runtime.stop(0);
    await Promise.all([slack.close(), jelou.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
});
