/**
 * "My card" (`/jelou-card me`, the "Use my Slack profile" button) and the global shortcut "Send
 * contact card", end to end: signed requests into Bolt's real HTTP receiver, `users.info` and the
 * rest of Slack answered by the Slack stand-in, the card sent to the Jelou stand-in.
 */
import type { InputBlock, ModalView } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../src/slack/i18n/index.js';
import {
  ActionId,
  BlockId,
  CallbackId,
  generationBlockId,
  rowBlockId,
  Shortcut,
} from '../../src/slack/ids.js';
import { shownTexts } from '../support/blocks.js';
import { type Harness, startHarness } from '../support/harness.js';
import { JUAN_BODY, JUAN_FORM } from '../support/juan.js';
import { ALICE, CHANNEL, globalShortcut, type OpenedView, picked } from '../support/slack-payloads.js';
import { payloadBody } from '../support/slack-requests.js';
import type { SlackCall } from '../support/slack-standin.js';

const { en, es } = CATALOGUES;

let h: Harness;
afterEach(async () => h?.stop());

/** Alice's Slack profile, as users.info reports it. */
const ALICE_PROFILE = {
  real_name: 'Alicia Núñez',
  first_name: 'Alicia',
  last_name: 'Núñez',
  title: 'Customer Success Lead',
  phone: '+593 99 765 4321',
  email: 'alicia@example.com',
};

const textOf = (call: SlackCall) => String(call.args.text ?? '');

function initial(view: ModalView, blockId: string): string | undefined {
  const block = view.blocks.find((b): b is InputBlock => b.type === 'input' && b.block_id === blockId);
  const element = block?.element;
  if (element?.type === 'plain_text_input') return element.initial_value;
  if (element?.type === 'multi_external_select')
    return element.initial_options?.map((o) => o.value).join(',');
  return undefined;
}

function blockIds(view: ModalView): string[] {
  return view.blocks.map((block) => block.block_id ?? '');
}

/** Opens the form from the shortcut menu and returns the view the app opened. */
async function openFromShortcut(): Promise<OpenedView> {
  const before = h.slack.callsTo('views.open').length;
  const response = await h.post(payloadBody(globalShortcut(Shortcut.SendCard)));
  expect(response.status).toBe(200);
  const call = await h.slack.waitFor('views.open', () => h.slack.callsTo('views.open').length > before);
  return { ...(call.args.view as ModalView), id: `VSHORT${before}`, hash: `hash-short-${before}` };
}

describe('my card', () => {
  it('`/jelou-card me +number` opens the form with my profile and the customer chosen', async () => {
    h = await startHarness();
    h.slack.setProfile(ALICE.id, ALICE_PROFILE);
    const form = await h.openForm('me +593 99 123 4567');
    expect(initial(form, BlockId.Recipient)).toBe('593991234567');
    expect(initial(form, BlockId.FormattedName)).toBe('Alicia Núñez');
    expect(initial(form, BlockId.FirstName)).toBe('Alicia');
    expect(initial(form, BlockId.LastName)).toBe('Núñez');
    expect(initial(form, BlockId.Title)).toBe('Customer Success Lead');
    expect(initial(form, rowBlockId('phone', 0, 'number'))).toBe('+593 99 765 4321');
    expect(initial(form, rowBlockId('email', 0, 'address'))).toBe('alicia@example.com');
    expect(h.slack.callsTo('users.info').map((call) => call.args.user)).toContain(ALICE.id);

    // Reviewed, then sent like any card: the profile's values reach Jelou.
    const preview = await h.preview(form, {});
    await h.submit(preview, {});
    await h.slack.waitFor('chat.update', (call) => /Sent/.test(textOf(call)));
    const [request] = h.jelou.requestsTo('messages');
    expect(request?.body).toMatchObject({
      type: 'contacts',
      userId: '593991234567',
      contacts: [
        {
          name: { formatted_name: 'Alicia Núñez', first_name: 'Alicia', last_name: 'Núñez' },
          phones: [{ phone: '+593997654321', type: 'Work', wa_id: '593997654321' }],
          emails: [{ email: 'alicia@example.com', type: 'Work' }],
          org: { title: 'Customer Success Lead' },
        },
      ],
    });
  });

  it('`/jelou-card yo` works in Spanish, and an unreadable profile still opens the form, saying so', async () => {
    h = await startHarness();
    h.slack.setLocale(ALICE.id, 'es-LA');
    h.slack.on('users.info', (call) =>
      call.args.include_locale ? undefined : { ok: false, error: 'missing_scope' },
    );
    const form = await h.openForm('yo');
    expect(form.title.text).toBe(es.modal.title);
    expect(initial(form, BlockId.FormattedName)).toBeUndefined();
    expect(shownTexts(form.blocks)).toContainEqual(expect.stringContaining(es.command.profileFailed));
  });

  it('"Use my Slack profile" fills name, title, phone and email and keeps everything else typed', async () => {
    h = await startHarness();
    h.slack.setProfile(ALICE.id, ALICE_PROFILE);
    const form = await h.openForm();
    expect(blockIds(form)).toContain(BlockId.ProfileActions);
    const response = await h.click(form, ActionId.UseProfile, BlockId.ProfileActions, {
      ...JUAN_FORM,
      [BlockId.Company]: 'Jelou',
    });
    expect(response.status).toBe(200);
    const update = await h.slack.waitFor('views.update');
    expect(update.args).toMatchObject({ view_id: form.id, hash: form.hash });
    const updated = update.args.view as ModalView;
    // New ids for the fields the profile fills, or Slack would keep what they held.
    expect(initial(updated, generationBlockId(BlockId.FormattedName, 1))).toBe('Alicia Núñez');
    expect(initial(updated, generationBlockId(rowBlockId('phone', 0, 'number'), 1))).toBe('+593 99 765 4321');
    // Kept from what was typed: the recipient, the address and the company.
    expect(initial(updated, BlockId.Recipient)).toBe(JUAN_BODY.userId);
    expect(initial(updated, rowBlockId('address', 0, 'street'))).toBe('Calle Principal 123');
    expect(initial(updated, BlockId.Company)).toBe('Jelou');
  });
});

describe('the global shortcut', () => {
  it('opens the same form with a channel picker, and posts the result in the channel chosen', async () => {
    h = await startHarness();
    const form = await openFromShortcut();
    expect(form.callback_id).toBe(CallbackId.CardModal);
    expect(blockIds(form)).toContain(BlockId.ResultChannel);
    const preview = await h.preview(form, { ...JUAN_FORM, [BlockId.ResultChannel]: 'C0SALES' });
    await h.submit(preview, {});
    const sent = await h.slack.waitFor('chat.update', (call) => /Sent/.test(textOf(call)));
    expect(sent.args.channel).toBe('C0SALES');
    expect(h.slack.callsTo('chat.postMessage').map((call) => call.args.channel)).toEqual(['C0SALES']);
    expect(h.jelou.requestsTo('messages')[0]?.body).toEqual(JUAN_BODY);
  });

  it('keeps the channel chosen when the form grows a row or turns into the .vcf import', async () => {
    h = await startHarness();
    const form = await openFromShortcut();
    const chosen = { ...JUAN_FORM, [BlockId.ResultChannel]: 'C0SALES' };
    const views = h.slack.callsTo('views.update').length;
    await h.click(form, ActionId.AddPhone, BlockId.AddPhone, chosen);
    await h.click(form, ActionId.OpenImport, BlockId.ImportOffer, chosen);
    await h.slack.waitFor('views.update', () => h.slack.callsTo('views.update').length === views + 2);
    for (const call of h.slack.callsTo('views.update').slice(views)) {
      const view = call.args.view as ModalView;
      const picker = view.blocks.find((block) => block.block_id === BlockId.ResultChannel);
      expect(picker).toMatchObject({ element: { initial_conversation: 'C0SALES' } });
    }
  });

  it('sends the result to the sender as a direct message when no channel is chosen', async () => {
    h = await startHarness();
    // Like Slack: a message posted to a user id lands in the app's DM with them, a D… channel.
    h.slack.on('chat.postMessage', (call) =>
      call.args.channel === ALICE.id
        ? { ok: true, channel: 'D0ALICEDM', ts: '1700000000.000100' }
        : undefined,
    );
    const form = await openFromShortcut();
    const preview = await h.preview(form, JUAN_FORM);
    await h.submit(preview, {});
    const sent = await h.slack.waitFor('chat.update', (call) => /Sent/.test(textOf(call)));
    expect(h.slack.callsTo('chat.postMessage').map((call) => call.args.channel)).toEqual([ALICE.id]);
    expect(sent.args).toMatchObject({ channel: 'D0ALICEDM', ts: '1700000000.000100' });
    // A DM by choice reads as the normal result, not as "I couldn't post in the channel".
    expect(textOf(sent)).not.toContain(en.notification.fallbackDm(`<#${ALICE.id}>`));
    expect(textOf(sent)).toMatch(/^:white_check_mark: Sent \*Juan Pérez\*/);
  });

  it('with ALLOWED_CHANNEL_IDS, refuses a channel (or DM) outside the list on the form, sending nothing', async () => {
    h = await startHarness({ ALLOWED_CHANNEL_IDS: CHANNEL });
    const form = await openFromShortcut();
    const refused = (await h.submit(form, JUAN_FORM)).json as { errors?: Record<string, string> };
    expect(refused.errors).toEqual({ [BlockId.ResultChannel]: en.form.channelNotAllowed });
    const elsewhere = (await h.submit(form, { ...JUAN_FORM, [BlockId.ResultChannel]: 'C0SALES' })).json as {
      errors?: Record<string, string>;
    };
    expect(elsewhere.errors).toEqual({ [BlockId.ResultChannel]: en.form.channelNotAllowed });
    const preview = await h.preview(form, { ...JUAN_FORM, [BlockId.ResultChannel]: CHANNEL });
    expect(preview.callback_id).toBe(CallbackId.PreviewModal);
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);
  });

  it('tells someone outside ALLOWED_USER_IDS so in a modal, and opens no form', async () => {
    h = await startHarness({ ALLOWED_USER_IDS: 'U0SOMEONEELSE' });
    const view = await openFromShortcut();
    expect(view.callback_id).toBeUndefined();
    expect(view.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: en.command.notAllowed } }]);
  });

  it('keeps the chosen recipient picker and preselects nothing else', async () => {
    h = await startHarness();
    const form = await openFromShortcut();
    expect(initial(form, BlockId.Recipient)).toBeUndefined();
    const preview = await h.preview(form, {
      ...JUAN_FORM,
      [BlockId.Recipient]: picked('+593 99 222 3333', '593992223333'),
    });
    expect(shownTexts(preview.blocks)).toContain(en.preview.to('+593 99 222 3333'));
  });
});
