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
import { ALICE, type OpenedView } from '../support/slack-payloads.js';
import { payloadBody } from '../support/slack-requests.js';
import type { SlackCall } from '../support/slack-standin.js';
import {
  type Block,
  closeWindow,
  contextLines,
  currentView,
  headline,
  lastNotice,
  MARIA_LABEL,
  selectTemplate,
  startHeardByWebhook,
  templateOption,
  webhookHeaders,
} from '../support/template-flow.js';

function buttons(call: SlackCall | undefined): string[] {
  const blocks = (call?.args.blocks ?? []) as Block[];
  return blocks
    .filter((b) => b.block_id === BlockId.NotificationActions)
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
}

/** The preview's context lines. */
function previewNotes(view: ModalView): string[] {
  return (view.blocks as Block[])
    .filter((b) => b.type === 'context')
    .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ''));
}

/** Sends Juan's card to María and waits for the refusal that offers a template. */
async function refusedCard(h: Harness): Promise<SlackCall> {
  const form = await h.openForm();
  await h.submit(await h.preview(form, JUAN_FORM), {});
  await until('the message to offer a template', () =>
    buttons(lastNotice(h.slack)).includes(ActionId.SendTemplate),
  );
  const notice = lastNotice(h.slack);
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
  let view = currentView(h.slack);
  expect(view.callback_id).toBe(CallbackId.TemplateModal);
  const option = templateOption(view, elementName);
  const select = selectTemplate(view, option);
  const picked = h.slack.callsTo('views.update').length;
  await h.post(payloadBody(select));
  await until('the parameters to show', () => h.slack.callsTo('views.update').length > picked);
  view = currentView(h.slack);
  const response = await h.submit(view, { [BlockId.TemplatePick]: option });
  expect(response.json).toEqual({ response_action: 'clear' });
  await until('the template to be sent', () => h.jelou.requestsTo('hsm').length > 0);
  return view;
}

const awaitingHeadline = en.notification.awaiting(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id));

describe('a card whose 24-hour window is closed', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('goes after a template, by itself, once the customer answers (notification URL)', async () => {
    h = await startHeardByWebhook();
    const harness = h;
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
        headline(lastNotice(harness.slack)) === awaitingHeadline &&
        contextLines(lastNotice(harness.slack)).some((l) => l.startsWith('Template *card_follow_up* sent')),
    );
    expect(buttons(lastNotice(harness.slack))).toEqual([ActionId.CancelWaitingSend]);
    const cardsBefore = harness.jelou.requestsTo('messages').length;

    // María answers: Jelou posts REPLY to the notification URL.
    expect(await harness.jelou.customerWrites(JUAN_RECIPIENT_ID)).toBe(200);
    await until(
      'the card to be sent',
      () =>
        headline(lastNotice(harness.slack)) ===
        en.notification.sentAfterReply(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id)),
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
      contextLines(lastNotice(harness.slack)).includes(
        en.notification.receipt(en.notification.receipts.replied),
      ),
    );
    expect(harness.jelou.requestsTo('messages')).toHaveLength(cardsBefore + 1);
    expect(buttons(lastNotice(harness.slack))).toEqual([ActionId.DownloadVcf]);
  });

  it('refuses a forged event with 401 and changes nothing', async () => {
    h = await startHeardByWebhook();
    const harness = h;
    await sendTemplate(harness, await refusedCard(harness));
    await until('the card to wait', () => headline(lastNotice(harness.slack)) === awaitingHeadline);
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
    expect(headline(lastNotice(harness.slack))).toBe(awaitingHeadline);
  });

  it('hears the answer by polling the bot history when no notification URL is set, backing off on 429', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '1' });
    const harness = h;
    closeWindow(harness);
    await sendTemplate(harness, await refusedCard(harness));
    await until('the card to wait', () => headline(lastNotice(harness.slack)) === awaitingHeadline);
    const cards = harness.jelou.requestsTo('messages').length;
    harness.jelou.script('history', json(429, { message: 'Too many requests' }, { 'retry-after': '1' }));
    await harness.jelou.customerWrites(JUAN_RECIPIENT_ID, { notify: false });
    await until(
      'the card to be sent',
      () =>
        headline(lastNotice(harness.slack)) ===
        en.notification.sentAfterReply(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id)),
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
        contextLines(lastNotice(harness.slack)).includes(
          en.notification.reason(
            'The customer did not answer the template in time, so the card was not sent. Press Retry to send it anyway (WhatsApp may refuse it again), or send another template.',
          ),
        ),
      20_000,
    );
    expect(buttons(lastNotice(harness.slack))).toEqual([
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
    h = await startHeardByWebhook();
    const harness = h;
    await sendTemplate(harness, await refusedCard(harness));
    await until('the card to wait', () =>
      buttons(lastNotice(harness.slack)).includes(ActionId.CancelWaitingSend),
    );
    const waiting = lastNotice(harness.slack);
    if (!waiting) throw new Error('no notice');
    await harness.clickMessage(waiting, ActionId.CancelWaitingSend);
    await until('the message to offer Retry', () =>
      buttons(lastNotice(harness.slack)).includes(ActionId.Retry),
    );
    expect(contextLines(lastNotice(harness.slack))).toContain(
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
    const view = currentView(harness.slack);
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
    await until('the card to be sent', () =>
      buttons(lastNotice(harness.slack)).includes(ActionId.DownloadVcf),
    );
    const [messageId = ''] = [...harness.jelou.notifications.keys()];
    const receipt = (words: string) => en.notification.receipt(words);
    expect(await harness.jelou.advance(messageId, 'DELIVERED_USER')).toBe(200);
    await until('delivered to show', () =>
      contextLines(lastNotice(harness.slack)).includes(receipt(en.notification.receipts.delivered_user)),
    );
    expect(await harness.jelou.advance(messageId, 'READ')).toBe(200);
    await until('read to show', () =>
      contextLines(lastNotice(harness.slack)).includes(receipt(en.notification.receipts.read)),
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
    await until('the card to be sent', () =>
      buttons(lastNotice(harness.slack)).includes(ActionId.DownloadVcf),
    );
    const [messageId = ''] = [...harness.jelou.notifications.keys()];
    await harness.jelou.advance(messageId, 'DELIVERED_USER', { notify: false });
    await until('delivered to show', () =>
      contextLines(lastNotice(harness.slack)).includes(
        en.notification.receipt(en.notification.receipts.delivered_user),
      ),
    );
    expect(harness.jelou.requestsTo('notifications').at(-1)?.query).toMatchObject({ messageId });
    // Read is final: Jelou is asked no more about this card.
    await harness.jelou.advance(messageId, 'READ', { notify: false });
    await until('read to show', () =>
      contextLines(lastNotice(harness.slack)).includes(
        en.notification.receipt(en.notification.receipts.read),
      ),
    );
    const asked = harness.jelou.requestsTo('notifications').length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(harness.jelou.requestsTo('notifications')).toHaveLength(asked);
  });

  it('ends the wait when Jelou reports the template FAILED after taking it, with the reason and Retry', async () => {
    h = await startHeardByWebhook();
    const harness = h;
    await sendTemplate(harness, await refusedCard(harness));
    await until('the message to say the template went out', () =>
      buttons(lastNotice(harness.slack)).includes(ActionId.CancelWaitingSend),
    );
    const cardsBefore = harness.jelou.requestsTo('messages').length;
    expect(
      await harness.jelou.advance('hsm_1', 'FAILED', {
        error: { code: '131026', message: 'Message undeliverable' },
      }),
    ).toBe(200);
    await until('the failure to show', () => buttons(lastNotice(harness.slack)).includes(ActionId.Retry));
    expect(headline(lastNotice(harness.slack))).toBe(
      en.notification.failed(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id)),
    );
    expect(contextLines(lastNotice(harness.slack))).toContain(
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
    await until('the card to be sent', () =>
      buttons(lastNotice(harness.slack)).includes(ActionId.DownloadVcf),
    );
    expect(
      await harness.jelou.advance('msg_1', 'FAILED', {
        error: { code: '131026', message: 'Message undeliverable' },
      }),
    ).toBe(200);
    await until('the failure to show', () => buttons(lastNotice(harness.slack)).includes(ActionId.Retry));
    expect(headline(lastNotice(harness.slack))).toBe(
      en.notification.failed(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id)),
    );
    expect(contextLines(lastNotice(harness.slack))).toContain(
      en.notification.reason(
        'Jelou accepted the card, then reported that WhatsApp could not deliver it. Press Retry to send it again. Jelou said: “Message undeliverable”',
      ),
    );
  });
});
