/**
 * The 24-hour window known before Send (issue 15, items 1 and 2): every preview says what the bot's
 * history tells of it, also for a number typed after the command (nobody typed in the picker, so
 * the app reads the history itself once the form is open); and when it is known closed, the preview
 * offers "Send a template first", which sends the template now and the card once the customer
 * answers. Through Bolt's real HTTP receiver, the real store and the Jelou stand-in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ModalView } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionId, BlockId, CallbackId, contactBlockId, WindowNoteBlockId } from '../../src/slack/ids.js';
import { until } from '../support/app-process.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { JUAN_FORM, JUAN_RECIPIENT_ID } from '../support/juan.js';
import { messageShortcut } from '../support/message-shortcut.js';
import { ALICE, type OpenedView } from '../support/slack-payloads.js';
import { payloadBody } from '../support/slack-requests.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'vcf');

const HOUR = 60 * 60_000;

/** María last wrote three days ago: WhatsApp's window is closed and Jelou refuses a card. */
function closeWindow(h: Harness): void {
  h.slack.setProfile(ALICE.id, { first_name: 'Alice', real_name: 'Alice Smith' });
  h.jelou.enforceWindow(true);
  h.jelou.setConversations([
    {
      userId: JUAN_RECIPIENT_ID,
      name: 'María López',
      messages: [{ by: 'user', at: new Date(Date.now() - 72 * HOUR) }],
    },
  ]);
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
