/**
 * The 24-hour window known before Send (issue 15, items 1 and 2): every preview says what the bot's
 * history tells of it, also for a number typed after the command (nobody typed in the picker, so
 * the app reads the history itself once the form is open); and when it is known closed, the preview
 * offers "Send a template first", which sends the template now and the card once the customer
 * answers; a batch's line the window refused offers the same. Through Bolt's real HTTP receiver,
 * the real store and the Jelou stand-in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ModalView, PlainTextOption } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../src/slack/i18n/en.js';
import {
  ActionId,
  BlockId,
  batchLineBlockId,
  batchTemplateBlockId,
  CallbackId,
  contactBlockId,
  WindowNoteBlockId,
} from '../../src/slack/ids.js';
import { mention } from '../../src/slack/views/notification.js';
import { until } from '../support/app-process.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { JUAN_FORM, JUAN_RECIPIENT_ID } from '../support/juan.js';
import { messageShortcut } from '../support/message-shortcut.js';
import { ALICE, type OpenedView, picked } from '../support/slack-payloads.js';
import { payloadBody } from '../support/slack-requests.js';
import type { SlackCall } from '../support/slack-standin.js';
import {
  type Block,
  closeWindow,
  currentView,
  HOUR,
  headline,
  lastNotice,
  MARIA_LABEL,
  selectTemplate,
  startHeardByWebhook,
  templateOption,
  webhookHeaders,
} from '../support/template-flow.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'vcf');

/** Block `blockId` of the channel message `call` posted or updated, if it has one. */
function blockOf(call: SlackCall | undefined, blockId: string): Block | undefined {
  return ((call?.args.blocks ?? []) as Block[]).find((b) => b.block_id === blockId);
}

/** The action ids of the buttons in block `blockId` of a message or a view's blocks. */
function actionIds(blocks: readonly unknown[] | undefined, blockId: string): string[] {
  return ((blocks ?? []) as Block[])
    .filter((b) => b.block_id === blockId)
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
}

/** Picks `elementName` in the template modal on screen; answers the view with its parameters. */
async function pickTemplate(
  h: Harness,
  elementName: string,
): Promise<{ view: OpenedView; option: PlainTextOption }> {
  const view = currentView(h.slack);
  expect(view.callback_id).toBe(CallbackId.TemplateModal);
  const option = templateOption(view, elementName);
  const updates = h.slack.callsTo('views.update').length;
  await h.post(payloadBody(selectTemplate(view, option)));
  await until('the parameters to show', () => h.slack.callsTo('views.update').length > updates);
  return { view: currentView(h.slack), option };
}

/** What the preview's window note says, read from its block id. */
function windowState(view: ModalView): string | undefined {
  const ids = new Set(view.blocks.map((block) => block.block_id));
  return Object.entries(WindowNoteBlockId).find(([, id]) => ids.has(id))?.[0];
}

/** The card form as opened, answered as Juan's card, the recipient left as the form put it. */
const { [BlockId.Recipient]: _picked, ...JUAN_CARD } = JUAN_FORM;

/** The view the app put in place of `view` with its next views.update after `before` calls. */
async function replaced(h: Harness, before: number, id: string): Promise<OpenedView> {
  const call = await h.slack.waitFor('views.update', () => h.slack.callsTo('views.update').length > before);
  return { ...(call.args.view as ModalView), id, hash: `hash-update-${before + 1}` };
}

/** The bot's history read the way the picker reads it, so the next preview knows María's window. */
async function readHistoryThroughPicker(h: Harness): Promise<void> {
  const form = await h.openForm();
  await h.suggest(form, ActionId.RecipientSelect, BlockId.Recipient, 'María');
}

/**
 * The preview of `form`, once the app has read the bot's history: it reads it in the background
 * after the form opened, so the first Preview may come a moment before the read ends.
 */
async function previewOnceRead(h: Harness, form: OpenedView): Promise<OpenedView> {
  await until('the bot history to be read', () => h.jelou.requestsTo('history').length > 0);
  let preview = await h.preview(form, JUAN_CARD);
  for (let tries = 0; tries < 40 && windowState(preview) === 'unknown'; tries++) {
    await delay(50);
    preview = await h.preview(form, JUAN_CARD);
  }
  return preview;
}

describe('the window, known before Send', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('is read for a number typed after the command, without the picker, and shown closed', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '3600' });
    closeWindow(h);
    const form = await h.openForm(JUAN_RECIPIENT_ID);
    const preview = await previewOnceRead(h, form);
    expect(windowState(preview)).toBe('closed');
    // The picker was never asked for options: the app read the history on its own.
    expect(h.jelou.requestsTo('history').length).toBeGreaterThan(0);
  });

  it('is said again on the preview rebuilt after a contact is removed', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    await readHistoryThroughPicker(harness);
    const first = await harness.preview(await harness.openForm(), JUAN_FORM);
    const before = harness.slack.callsTo('views.update').length;
    await harness.click(first, ActionId.AddContact, BlockId.PreviewActions);
    const form = await replaced(harness, before, first.id);
    expect(form.callback_id).toBe(CallbackId.CardModal);
    const both = await harness.preview(form, {
      [BlockId.FormattedName]: 'Ana Torres',
      phone_0_number: '+593 99 765 4321',
    });
    expect(windowState(both)).toBe('closed');
    const removing = harness.slack.callsTo('views.update').length;
    await harness.click(both, ActionId.RemoveContact, contactBlockId(1));
    const after = await replaced(harness, removing, both.id);
    expect(after.callback_id).toBe(CallbackId.PreviewModal);
    expect(windowState(after)).toBe('closed');
  });

  it("is said on the preview of a .vcf file's contacts", async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    await readHistoryThroughPicker(harness);
    const form = await harness.openForm();
    const before = harness.slack.callsTo('views.update').length;
    await harness.click(form, ActionId.OpenImport, BlockId.ImportOffer);
    const importing = await replaced(harness, before, form.id);
    const file = harness.slack.serveFile(readFileSync(join(FIXTURES, 'iphone.vcf')), {
      token: SECRETS.botToken,
      name: 'maria.vcf',
    });
    const preview = await harness.preview(importing, {
      [BlockId.Recipient]: JUAN_FORM[BlockId.Recipient] ?? null,
      [BlockId.VcfFile]: { files: [file] },
    });
    expect(preview.callback_id).toBe(CallbackId.PreviewModal);
    expect(windowState(preview)).toBe('closed');
  });

  it('is read for the numbers the message shortcut found, and said on its preview', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    await harness.post(
      payloadBody(messageShortcut({ ts: '1700000500.000200', text: 'Llamar a +593 99 123 4567' })),
    );
    const opened = await harness.slack.waitFor('views.open');
    const answer = opened.answer as { view: { id: string; hash: string } };
    const form = { ...(opened.args.view as ModalView), id: answer.view.id, hash: answer.view.hash };
    expect(windowState(await previewOnceRead(harness, form))).toBe('closed');
  });

  it("is said on the preview the message shortcut makes of a message's .vcf file", async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    closeWindow(harness);
    await readHistoryThroughPicker(harness);
    const file = harness.slack.serveFile(readFileSync(join(FIXTURES, 'iphone.vcf')), {
      token: SECRETS.botToken,
      name: 'maria.vcf',
    });
    await harness.post(
      payloadBody(messageShortcut({ ts: '1700000500.000200', text: 'Para +593 99 123 4567', files: [file] })),
    );
    const updated = await harness.slack.waitFor('views.update');
    const preview = updated.args.view as ModalView;
    expect(preview.callback_id).toBe(CallbackId.PreviewModal);
    expect(windowState(preview)).toBe('closed');
  });
});

describe('"Send a template first" on the preview', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('sends the template now and the card once, when the customer answers (notification URL)', async () => {
    h = await startHeardByWebhook();
    const harness = h;
    await readHistoryThroughPicker(harness);
    const preview = await harness.preview(await harness.openForm(), JUAN_FORM);
    expect(windowState(preview)).toBe('closed');
    expect(actionIds(preview.blocks, BlockId.PreviewActions)).toContain(ActionId.TemplateFromPreview);

    // The modal is pushed over the preview, then filled with the bot's templates.
    const updates = harness.slack.callsTo('views.update').length;
    await harness.click(preview, ActionId.TemplateFromPreview, BlockId.PreviewActions);
    await until('the templates to show', () => harness.slack.callsTo('views.update').length > updates);
    expect(harness.slack.callsTo('views.push')).toHaveLength(1);
    expect(harness.slack.callsTo('views.open')).toHaveLength(2);
    const { view, option } = await pickTemplate(harness, 'card_follow_up');
    const answers = { [BlockId.TemplatePick]: option };
    expect((await harness.submit(view, answers)).json).toEqual({ response_action: 'clear' });

    await until('the template to be sent', () => harness.jelou.requestsTo('hsm').length > 0);
    expect(harness.jelou.requestsTo('hsm').map((r) => r.body)).toEqual([
      {
        elementName: 'card_follow_up',
        destinations: [JUAN_RECIPIENT_ID],
        language: 'es',
        parameters: ['María', 'Alice'],
        type: 'text',
      },
    ]);
    const waiting = en.notification.awaiting(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id));
    await until(
      'the message to say the card waits for the answer',
      () =>
        headline(lastNotice(harness.slack)) === waiting &&
        actionIds(lastNotice(harness.slack)?.args.blocks as unknown[], BlockId.NotificationActions).includes(
          ActionId.CancelWaitingSend,
        ),
    );
    // The card itself never went to Jelou ahead of the answer.
    expect(harness.jelou.requestsTo('messages')).toHaveLength(0);

    // The same submission again, and Send on the same preview: recorded once, nothing sent again.
    expect((await harness.submit(view, answers)).json).toEqual({ response_action: 'clear' });
    expect((await harness.submit(preview, {})).json).toEqual({ response_action: 'clear' });
    expect(harness.jelou.requestsTo('hsm')).toHaveLength(1);
    expect(harness.jelou.requestsTo('messages')).toHaveLength(0);

    // María answers: Jelou posts REPLY to the notification URL, and the card goes, once.
    expect(await harness.jelou.customerWrites(JUAN_RECIPIENT_ID)).toBe(200);
    const sent = en.notification.sentAfterReply(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id));
    await until('the card to be sent', () => headline(lastNotice(harness.slack)) === sent);
    expect(harness.jelou.requestsTo('messages').map((r) => r.body)).toEqual([
      expect.objectContaining({ type: 'contacts', userId: JUAN_RECIPIENT_ID }),
    ]);
    // One message in the channel, followed through every step.
    expect(harness.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('hears the answer by polling the bot history when no notification URL is set', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '1' });
    const harness = h;
    closeWindow(harness);
    await readHistoryThroughPicker(harness);
    const preview = await harness.preview(await harness.openForm(), JUAN_FORM);
    const updates = harness.slack.callsTo('views.update').length;
    await harness.click(preview, ActionId.TemplateFromPreview, BlockId.PreviewActions);
    await until('the templates to show', () => harness.slack.callsTo('views.update').length > updates);
    const { view, option } = await pickTemplate(harness, 'card_follow_up');
    expect((await harness.submit(view, { [BlockId.TemplatePick]: option })).json).toEqual({
      response_action: 'clear',
    });
    const waiting = en.notification.awaiting(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id));
    await until('the card to wait', () => headline(lastNotice(harness.slack)) === waiting);
    await harness.jelou.customerWrites(JUAN_RECIPIENT_ID, { notify: false });
    const sent = en.notification.sentAfterReply(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id));
    await until('the card to be sent', () => headline(lastNotice(harness.slack)) === sent, 20_000);
    expect(harness.jelou.requestsTo('hsm')).toHaveLength(1);
    expect(harness.jelou.requestsTo('messages')).toHaveLength(1);
  });

  it('is not offered while the window is open or not known', async () => {
    h = await startHarness({ JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    harness.jelou.setConversations([
      { userId: JUAN_RECIPIENT_ID, name: 'María López', messages: [{ by: 'user', at: new Date() }] },
    ]);
    const unknown = await harness.preview(await harness.openForm(), JUAN_FORM);
    expect(windowState(unknown)).toBe('unknown');
    expect(actionIds(unknown.blocks, BlockId.PreviewActions)).not.toContain(ActionId.TemplateFromPreview);
    await readHistoryThroughPicker(harness);
    const open = await harness.preview(await harness.openForm(), JUAN_FORM);
    expect(windowState(open)).toBe('open');
    expect(actionIds(open.blocks, BlockId.PreviewActions)).not.toContain(ActionId.TemplateFromPreview);
  });
});

describe('a batch line the 24-hour window refused', () => {
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('offers "Send a template first" for that person only; their card goes once they answer', async () => {
    h = await startHarness({ JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret, JELOU_POLL_SECONDS: '3600' });
    const harness = h;
    const ANA = { id: '593997654321', label: 'Ana Torres · +593 99 765 4321' };
    harness.slack.setProfile(ALICE.id, { first_name: 'Alice', real_name: 'Alice Smith' });
    harness.jelou.enforceWindow(true);
    harness.jelou.setConversations([
      {
        userId: JUAN_RECIPIENT_ID,
        name: 'María López',
        messages: [{ by: 'user', at: new Date(Date.now() - 72 * HOUR) }],
      },
      { userId: ANA.id, name: 'Ana Torres', messages: [{ by: 'user', at: new Date(Date.now() - HOUR) }] },
    ]);
    harness.jelou.setNotificationUrl(harness.jelouEventsUrl, webhookHeaders);
    const preview = await harness.preview(await harness.openForm(), {
      ...JUAN_FORM,
      [BlockId.Recipient]: [picked(MARIA_LABEL, JUAN_RECIPIENT_ID), picked(ANA.label, ANA.id)],
    });
    expect((await harness.submit(preview, {})).json).toEqual({ response_action: 'clear' });

    // María's line (the first) was refused by the window: Retry beside it, the template under it.
    await until('the template to be offered under María', () =>
      Boolean(blockOf(lastNotice(harness.slack), batchTemplateBlockId(0))),
    );
    const refused = lastNotice(harness.slack);
    if (!refused) throw new Error('no notice');
    expect(actionIds(refused.args.blocks as unknown[], batchTemplateBlockId(0))).toEqual([
      ActionId.SendTemplate,
    ]);
    expect(blockOf(refused, batchLineBlockId(0))?.accessory?.action_id).toBe(ActionId.Retry);
    expect(blockOf(refused, batchTemplateBlockId(1))).toBeUndefined();

    const updates = harness.slack.callsTo('views.update').length;
    await harness.clickMessage(refused, ActionId.SendTemplate);
    await until('the templates to show', () => harness.slack.callsTo('views.update').length > updates);
    const { view, option } = await pickTemplate(harness, 'card_follow_up');
    expect((await harness.submit(view, { [BlockId.TemplatePick]: option })).json).toEqual({
      response_action: 'clear',
    });
    await until('the template to be sent', () => harness.jelou.requestsTo('hsm').length > 0);
    expect(harness.jelou.requestsTo('hsm').map((r) => r.body)).toMatchObject([
      { elementName: 'card_follow_up', destinations: [JUAN_RECIPIENT_ID], parameters: ['María', 'Alice'] },
    ]);
    // Her line now waits, with Cancel, and no template button any more.
    await until(
      "María's line to wait for her answer",
      () =>
        blockOf(lastNotice(harness.slack), batchLineBlockId(0))?.accessory?.action_id ===
        ActionId.CancelWaitingSend,
    );
    expect(blockOf(lastNotice(harness.slack), batchTemplateBlockId(0))).toBeUndefined();
    const toMaria = () =>
      harness.jelou
        .requestsTo('messages')
        .filter((r) => (r.body as { userId?: string }).userId === JUAN_RECIPIENT_ID);
    expect(toMaria()).toHaveLength(1);

    expect(await harness.jelou.customerWrites(JUAN_RECIPIENT_ID)).toBe(200);
    await until('both cards to be sent', () =>
      String(lastNotice(harness.slack)?.args.text ?? '').endsWith(en.notification.batchCounts(2, 0, 0, 0)),
    );
    // The refused attempt, then the card once she answered; Ana's went once, at Send.
    expect(toMaria()).toHaveLength(2);
    expect(harness.jelou.requestsTo('messages')).toHaveLength(3);
    expect(blockOf(lastNotice(harness.slack), batchLineBlockId(0))?.accessory).toBeUndefined();
  });
});
