/**
 * A card to a customer whose 24-hour window is closed (issue 15): Jelou refuses it, staff pick a
 * template, the card waits (`awaiting_reply`) and goes by itself when the customer answers, heard
 * through Jelou's notification URL (POST /jelou/events) or by polling the bot's history. And the
 * receipts Jelou reports afterwards. Through Bolt's real HTTP receiver, the real store and the
 * Jelou stand-in (templates, HSM send, notifications, notification-URL events: see
 * test/support/jelou-standin.ts and /work/shared/jelou-api.md, "Templates", "Delivery status").
 */
import type { ModalView, PlainTextOption } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, sentenceFor } from '../../src/errors.js';
import { en } from '../../src/slack/i18n/en.js';
import { ActionId, BlockId, CallbackId, templateParamBlockId } from '../../src/slack/ids.js';
import { mention } from '../../src/slack/views/notification.js';
import { until } from '../support/app-process.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { json } from '../support/jelou-standin.js';
import { JUAN_FORM, JUAN_RECIPIENT_ID } from '../support/juan.js';
import { ALICE, type OpenedView, viewButtonClick } from '../support/slack-payloads.js';
import { payloadBody } from '../support/slack-requests.js';
import type { SlackCall } from '../support/slack-standin.js';

type Block = {
  type: string;
  block_id?: string;
  text?: { text?: string };
  elements?: { type: string; text?: string; action_id?: string }[];
};

const LABEL = 'María López · +593 99 123 4567';
const HOUR = 60 * 60_000;

function lastNotice(h: Harness): SlackCall | undefined {
  return h.slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update').at(-1);
}

function headline(call: SlackCall | undefined): string {
  const blocks = (call?.args.blocks ?? []) as Block[];
  return blocks.find((b) => b.type === 'section')?.text?.text ?? '';
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

/** The view the app last opened or updated, as Slack now shows it (id and hash from Slack's answer). */
function currentView(h: Harness): OpenedView {
  const call = h.slack.calls.filter((c) => c.method === 'views.open' || c.method === 'views.update').at(-1);
  const answer = call?.answer as { view?: { id: string; hash: string } } | undefined;
  if (!call || !answer?.view)
    throw new Error(
      `no view on screen: ${JSON.stringify(call?.answer)} ${JSON.stringify(call?.args).slice(0, 300)}`,
    );
  return { ...(call.args.view as ModalView), id: answer.view.id, hash: answer.view.hash };
}

/** The customer last wrote three days ago: WhatsApp's window is closed and Jelou refuses the card. */
function closeWindow(h: Harness): Date {
  // The template's second parameter is the sender's first name, from their Slack profile.
  h.slack.setProfile(ALICE.id, { first_name: 'Alice', real_name: 'Alice Smith' });
  h.jelou.enforceWindow(true);
  const wrote = new Date(Date.now() - 72 * HOUR);
  h.jelou.setConversations([
    { userId: JUAN_RECIPIENT_ID, name: 'María López', messages: [{ by: 'user', at: wrote }] },
  ]);
  return wrote;
}

/** The preview's context lines. */
function previewNotes(view: ModalView): string[] {
  return (view.blocks as Block[])
    .filter((b) => b.type === 'context')
    .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ''));
}

const webhookHeaders = { authorization: `Bearer ${SECRETS.webhookSecret}` };

/** Sends Juan's card to María and waits for the refusal that offers a template. */
async function refusedCard(h: Harness): Promise<SlackCall> {
  const form = await h.openForm();
  await h.submit(await h.preview(form, JUAN_FORM), {});
  await until('the message to offer a template', () =>
    buttons(lastNotice(h)).includes(ActionId.SendTemplate),
  );
  const notice = lastNotice(h);
  if (!notice) throw new Error('no notice');
  return notice;
}

/** Clicks "Send a template first", picks `elementName` and submits its parameters as prefilled. */
async function sendTemplate(
  h: Harness,
  notice: SlackCall,
  elementName = 'card_follow_up',
): Promise<OpenedView> {
  const updates = h.slack.callsTo('views.update').length;
  await h.clickMessage(notice, ActionId.SendTemplate);
  await until('the templates to show', () => h.slack.callsTo('views.update').length > updates);
  let view = currentView(h);
  expect(view.callback_id).toBe(CallbackId.TemplateModal);
  const picker = view.blocks.find((b) => b.block_id === BlockId.TemplatePick) as
    | { element: { options: PlainTextOption[] } }
    | undefined;
  const option = picker?.element.options.find((o) => o.value?.endsWith(`|${elementName}`));
  if (!option) throw new Error(`${elementName} is not offered`);
  const click = viewButtonClick(view, ActionId.TemplateSelect, BlockId.TemplatePick);
  const select = {
    ...click,
    actions: [
      {
        type: 'static_select',
        action_id: ActionId.TemplateSelect,
        block_id: BlockId.TemplatePick,
        selected_option: option,
        action_ts: '1',
      },
    ],
  };
  const picked = h.slack.callsTo('views.update').length;
  await h.post(payloadBody(select));
  await until('the parameters to show', () => h.slack.callsTo('views.update').length > picked);
  view = currentView(h);
  const response = await h.submit(view, { [BlockId.TemplatePick]: option });
  expect(response.json).toEqual({ response_action: 'clear' });
  await until('the template to be sent', () => h.jelou.requestsTo('hsm').length > 0);
  return view;
}

const awaitingHeadline = en.notification.awaiting(LABEL, 'Juan Pérez', mention(ALICE.id));

describe('a card whose 24-hour window is closed', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('goes after a template, by itself, once the customer answers (notification URL)', async () => {
    h = await startHarness({ JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret, JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    harness.jelou.setNotificationUrl(harness.jelouEventsUrl, webhookHeaders);
    const refused = await refusedCard(harness);
    expect(contextLines(refused)).toContain(en.notification.windowClosed);
    expect(buttons(refused)).toEqual([ActionId.Retry, ActionId.SendTemplate, ActionId.DownloadVcf]);

    const view = await sendTemplate(harness, refused);
    // Prefilled with the customer's and the sender's names, each within Jelou's 15 characters.
    expect(view.blocks.map((b) => b.block_id)).toContain(templateParamBlockId(1, 1));
    expect(harness.jelou.requestsTo('hsm').map((r) => r.body)).toEqual([
      {
        elementName: 'card_follow_up',
        destinations: [JUAN_RECIPIENT_ID],
        language: 'es',
        parameters: ['María', 'Alice'],
        type: 'text',
      },
    ]);
    await until(
      'the message to say the template went out',
      () =>
        headline(lastNotice(harness)) === awaitingHeadline &&
        contextLines(lastNotice(harness)).some((l) => l.startsWith('Template *card_follow_up* sent')),
    );
    expect(buttons(lastNotice(harness))).toEqual([ActionId.CancelWaitingSend]);
    const cardsBefore = harness.jelou.requestsTo('messages').length;

    // María answers: Jelou posts REPLY to the notification URL.
    expect(await harness.jelou.customerWrites(JUAN_RECIPIENT_ID)).toBe(200);
    await until(
      'the card to be sent',
      () =>
        headline(lastNotice(harness)) ===
        en.notification.sentAfterReply(LABEL, 'Juan Pérez', mention(ALICE.id)),
    );
    expect(harness.jelou.requestsTo('messages')).toHaveLength(cardsBefore + 1);
    expect(harness.jelou.requestsTo('messages').at(-1)?.body).toMatchObject({
      type: 'contacts',
      userId: JUAN_RECIPIENT_ID,
    });
    // María writes again: a reply to the card now (its furthest receipt, shown only while the card
    // stays sent), and no reason to send the card again.
    expect(await harness.jelou.customerWrites(JUAN_RECIPIENT_ID)).toBe(200);
    await until('the reply to the card to show', () =>
      contextLines(lastNotice(harness)).includes(en.notification.receipt(en.notification.receipts.replied)),
    );
    expect(harness.jelou.requestsTo('messages')).toHaveLength(cardsBefore + 1);
    expect(buttons(lastNotice(harness))).toEqual([ActionId.DownloadVcf]);
  });

  it('refuses a forged event with 401 and changes nothing', async () => {
    h = await startHarness({ JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret, JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    harness.jelou.setNotificationUrl(harness.jelouEventsUrl, webhookHeaders);
    await sendTemplate(harness, await refusedCard(harness));
    await until('the card to wait', () => headline(lastNotice(harness)) === awaitingHeadline);
    const [template] = [...harness.jelou.notifications.values()].filter((n) => n.kind === 'hsm');
    const reply = {
      event: 'REPLY',
      messageId: template?.messageId,
      destination: JUAN_RECIPIENT_ID,
      botId: 'bot-e2e',
    };
    const forgeries: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-the-secret-at-all-0000' },
      { authorization: `Bearer ${SECRETS.webhookSecret}x` },
      { authorization: `Basic ${SECRETS.webhookSecret}` },
      { 'x-api-key': SECRETS.webhookSecret.slice(0, -1) },
    ];
    for (const headers of forgeries)
      expect(await harness.jelou.postToNotificationUrl(reply, headers)).toBe(401);
    const updates = harness.slack.callsTo('chat.update').length;
    const cards = harness.jelou.requestsTo('messages').length;
    // The genuine secret is accepted, for an event about nothing the app sent: nothing changes either.
    expect(
      await harness.jelou.postToNotificationUrl({ event: 'READ', messageId: 'msg_nobody' }, webhookHeaders),
    ).toBe(200);
    expect(await harness.jelou.postToNotificationUrl('not an event', webhookHeaders)).toBe(200);
    expect(harness.jelou.requestsTo('messages')).toHaveLength(cards);
    expect(harness.slack.callsTo('chat.update')).toHaveLength(updates);
    expect(headline(lastNotice(harness))).toBe(awaitingHeadline);
  });

  it('hears the answer by polling the bot history when no notification URL is set, backing off on 429', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '1' });
    const harness = h;
    closeWindow(harness);
    await sendTemplate(harness, await refusedCard(harness));
    await until('the card to wait', () => headline(lastNotice(harness)) === awaitingHeadline);
    const cards = harness.jelou.requestsTo('messages').length;
    harness.jelou.script('history', json(429, { message: 'Too many requests' }, { 'retry-after': '1' }));
    await harness.jelou.customerWrites(JUAN_RECIPIENT_ID, { notify: false });
    await until(
      'the card to be sent',
      () =>
        headline(lastNotice(harness)) ===
        en.notification.sentAfterReply(LABEL, 'Juan Pérez', mention(ALICE.id)),
      20_000,
    );
    expect(harness.jelou.requestsTo('messages')).toHaveLength(cards + 1);
    // History is read for awaited customers only: with none left, no poll asks again.
    const polls = harness.jelou.requestsTo('history').length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(harness.jelou.requestsTo('history')).toHaveLength(polls);
  });

  it('fails with Retry when the answer never comes in time', async () => {
    // 0.0005 hours: under two seconds.
    h = await startHarness({ AWAIT_REPLY_HOURS: '0.0005', JELOU_POLL_SECONDS: '1' });
    const harness = h;
    closeWindow(harness);
    await sendTemplate(harness, await refusedCard(harness));
    await until(
      'the wait to end',
      () =>
        contextLines(lastNotice(harness)).includes(
          en.notification.reason(
            'The customer did not answer the template in time, so the card was not sent. Press Retry to send it anyway (WhatsApp may refuse it again), or send another template.',
          ),
        ),
      20_000,
    );
    expect(buttons(lastNotice(harness))).toEqual([
      ActionId.Retry,
      ActionId.SendTemplate,
      ActionId.DownloadVcf,
    ]);
    const cards = harness.jelou.requestsTo('messages').length;
    await harness.jelou.customerWrites(JUAN_RECIPIENT_ID, { notify: false });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(harness.jelou.requestsTo('messages')).toHaveLength(cards);
  });

  it('lets the requester cancel the wait; a later answer sends nothing', async () => {
    h = await startHarness({ JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret, JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    harness.jelou.setNotificationUrl(harness.jelouEventsUrl, webhookHeaders);
    await sendTemplate(harness, await refusedCard(harness));
    await until('the card to wait', () => buttons(lastNotice(harness)).includes(ActionId.CancelWaitingSend));
    const waiting = lastNotice(harness);
    if (!waiting) throw new Error('no notice');
    await harness.clickMessage(waiting, ActionId.CancelWaitingSend);
    await until('the message to offer Retry', () => buttons(lastNotice(harness)).includes(ActionId.Retry));
    expect(contextLines(lastNotice(harness))).toContain(
      en.notification.reason(
        "Cancelled while waiting for the customer's answer: the card was not sent. Press Retry to send it.",
      ),
    );
    const cards = harness.jelou.requestsTo('messages').length;
    expect(await harness.jelou.customerWrites(JUAN_RECIPIENT_ID)).toBe(200);
    expect(harness.jelou.requestsTo('messages')).toHaveLength(cards);
  });

  it('says in the preview when the customer last wrote, and that WhatsApp will refuse the card', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    const wrote = closeWindow(harness);
    const form = await harness.openForm();
    // Unknown until the bot's history was read (the preview never waits on Jelou).
    expect(previewNotes(await harness.preview(form, JUAN_FORM))).toContain(
      en.preview.windowUnknown('María López'),
    );
    // The picker reads the history; the next preview knows.
    const second = await harness.openForm();
    await harness.suggest(second, ActionId.RecipientSelect, BlockId.Recipient, 'María');
    const ago = `<!date^${Math.floor(wrote.getTime() / 1000)}^{ago}|${wrote.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
    const preview = await harness.preview(second, JUAN_FORM);
    expect(previewNotes(preview)).toContain(en.preview.windowClosed('María López', ago));
    // Not a hard block: Send is still there.
    expect(preview.submit?.text).toBe(en.modal.send);
  });

  it('says so inline when a parameter is longer than Jelou accepts, and sends nothing', async () => {
    h = await startHarness({ JELOU_TEMPLATES: 'hello_again', JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    const refused = await refusedCard(harness);
    const updates = harness.slack.callsTo('views.update').length;
    await harness.clickMessage(refused, ActionId.SendTemplate);
    await until('the template to show', () => harness.slack.callsTo('views.update').length > updates);
    const view = currentView(harness);
    // JELOU_TEMPLATES lists one: it is the only one offered, its parameter shown at once.
    const picker = view.blocks.find((b) => b.block_id === BlockId.TemplatePick) as
      | { element: { options: PlainTextOption[]; initial_option?: PlainTextOption } }
      | undefined;
    expect(picker?.element.options.map((o) => o.value)).toEqual(['1|en|hello_again']);
    const field = templateParamBlockId(0, 0);
    const response = await harness.submit(view, {
      [BlockId.TemplatePick]: picker?.element.initial_option ?? null,
      [field]: 'Maria Fernanda Lopez',
    });
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: { [field]: en.template.tooLong(15, 20) },
    });
    expect(harness.jelou.requestsTo('hsm')).toHaveLength(0);
  });
});

describe('receipts of a sent card', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('shows delivered, then read; a late or repeated receipt changes nothing', async () => {
    h = await startHarness({ JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret, JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    harness.jelou.setNotificationUrl(harness.jelouEventsUrl, webhookHeaders);
    const form = await harness.openForm();
    await harness.submit(await harness.preview(form, JUAN_FORM), {});
    await until('the card to be sent', () => buttons(lastNotice(harness)).includes(ActionId.DownloadVcf));
    const [messageId = ''] = [...harness.jelou.notifications.keys()];
    const receipt = (words: string) => en.notification.receipt(words);
    expect(await harness.jelou.advance(messageId, 'DELIVERED_USER')).toBe(200);
    await until('delivered to show', () =>
      contextLines(lastNotice(harness)).includes(receipt(en.notification.receipts.delivered_user)),
    );
    expect(await harness.jelou.advance(messageId, 'READ')).toBe(200);
    await until('read to show', () =>
      contextLines(lastNotice(harness)).includes(receipt(en.notification.receipts.read)),
    );
    const updates = harness.slack.callsTo('chat.update').length;
    expect(await harness.jelou.advance(messageId, 'DELIVERED_CHANNEL')).toBe(200);
    expect(await harness.jelou.advance(messageId, 'READ')).toBe(200);
    expect(harness.slack.callsTo('chat.update')).toHaveLength(updates);
    // History shows the furthest receipt.
    await harness.command('history');
    const history = await harness.slack.waitFor('response_url', (c) => Array.isArray(c.args.blocks));
    const lines = ((history.args.blocks ?? []) as Block[]).map((b) => b.text?.text ?? '');
    expect(lines.some((line) => line.endsWith(`· ${en.history.receipt.read}`))).toBe(true);
  });

  it('polls Jelou for receipts when no notification URL tells them', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '1' });
    const harness = h;
    const form = await harness.openForm();
    await harness.submit(await harness.preview(form, JUAN_FORM), {});
    await until('the card to be sent', () => buttons(lastNotice(harness)).includes(ActionId.DownloadVcf));
    const [messageId = ''] = [...harness.jelou.notifications.keys()];
    await harness.jelou.advance(messageId, 'DELIVERED_USER', { notify: false });
    await until('delivered to show', () =>
      contextLines(lastNotice(harness)).includes(
        en.notification.receipt(en.notification.receipts.delivered_user),
      ),
    );
    expect(harness.jelou.requestsTo('notifications').at(-1)?.query).toMatchObject({ messageId });
    // Read is final: Jelou is asked no more about this card.
    await harness.jelou.advance(messageId, 'READ', { notify: false });
    await until('read to show', () =>
      contextLines(lastNotice(harness)).includes(en.notification.receipt(en.notification.receipts.read)),
    );
    const asked = harness.jelou.requestsTo('notifications').length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(harness.jelou.requestsTo('notifications')).toHaveLength(asked);
  });

  it('ends the wait when Jelou reports the template FAILED after taking it, with the reason and Retry', async () => {
    h = await startHarness({ JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret, JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    harness.jelou.setNotificationUrl(harness.jelouEventsUrl, webhookHeaders);
    await sendTemplate(harness, await refusedCard(harness));
    await until('the message to say the template went out', () =>
      buttons(lastNotice(harness)).includes(ActionId.CancelWaitingSend),
    );
    const cardsBefore = harness.jelou.requestsTo('messages').length;
    expect(
      await harness.jelou.advance('hsm_1', 'FAILED', {
        error: { code: '131026', message: 'Message undeliverable' },
      }),
    ).toBe(200);
    await until('the failure to show', () => buttons(lastNotice(harness)).includes(ActionId.Retry));
    expect(headline(lastNotice(harness))).toBe(
      en.notification.failed(LABEL, 'Juan Pérez', mention(ALICE.id)),
    );
    expect(contextLines(lastNotice(harness))).toContain(
      en.notification.reason(
        `${sentenceFor(ErrorCode.TemplateFailed).en} Jelou said: “Message undeliverable”`,
      ),
    );
    expect(harness.jelou.requestsTo('messages')).toHaveLength(cardsBefore);
  });

  it('turns a card Jelou reports FAILED after accepting it into failed, with the reason and Retry', async () => {
    h = await startHarness({ JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret, JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    harness.jelou.setNotificationUrl(harness.jelouEventsUrl, webhookHeaders);
    const form = await harness.openForm();
    await harness.submit(await harness.preview(form, JUAN_FORM), {});
    await until('the card to be sent', () => buttons(lastNotice(harness)).includes(ActionId.DownloadVcf));
    expect(
      await harness.jelou.advance('msg_1', 'FAILED', {
        error: { code: '131026', message: 'Message undeliverable' },
      }),
    ).toBe(200);
    await until('the failure to show', () => buttons(lastNotice(harness)).includes(ActionId.Retry));
    expect(headline(lastNotice(harness))).toBe(
      en.notification.failed(LABEL, 'Juan Pérez', mention(ALICE.id)),
    );
    expect(contextLines(lastNotice(harness))).toContain(
      en.notification.reason(
        'Jelou accepted the card, then reported that WhatsApp could not deliver it. Press Retry to send it again. Jelou said: “Message undeliverable”',
      ),
    );
  });
});
