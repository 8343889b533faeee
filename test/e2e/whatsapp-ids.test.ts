/**
 * WhatsApp customers as WhatsApp and Jelou identify them, end to end (docs/whatsapp-ids.md): from
 * the picker, through the preview and Send, to the body Jelou receives, the stored send, the
 * history and back through Retry, for a customer of each country the app serves and one whose
 * number is hidden behind a business-scoped id. Signed requests into Bolt's real HTTP receiver,
 * the loopback Slack and Jelou stand-ins, a real SQLite file.
 */
import type { PlainTextOption } from '@slack/types';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionId, BlockId, CallbackId } from '../../src/slack/ids.js';
import { initialValues } from '../slack/helpers.js';
import { type Harness, startHarness } from '../support/harness.js';
import { json, otherChannelCustomers, whatsAppCustomers } from '../support/jelou-standin.js';
import { JUAN_BODY, JUAN_FORM } from '../support/juan.js';
import { picked } from '../support/slack-payloads.js';
import { RESPONSE_URL, type SlackCall } from '../support/slack-standin.js';

let h: Harness;
afterEach(async () => h?.stop());

const textOf = (call: SlackCall) => String(call.args.text ?? '');
type Options = { options?: PlainTextOption[] };

function storedSends(): { recipient_id: string; recipient_label: string; status: string }[] {
  const db = new Database(h.config.databaseUrl.replace(/^file:/, ''), { readonly: true });
  try {
    return db
      .prepare<[], { recipient_id: string; recipient_label: string; status: string }>(
        'SELECT recipient_id, recipient_label, status FROM sends ORDER BY rowid',
      )
      .all();
  } finally {
    db.close();
  }
}

async function pickerOptions(query: string): Promise<PlainTextOption[]> {
  const form = await h.openForm();
  const response = await h.suggest(form, ActionId.RecipientSelect, BlockId.Recipient, query);
  return (response.json as Options).options ?? [];
}

describe('a customer of each country, and one with a hidden number, from the picker to Retry', () => {
  it.each([
    ['Ecuador', 'María', '593991234567', 'María López · +593 99 123 4567'],
    ['Mexico, as WhatsApp reports it (521)', 'Juan', '5215512345678', 'Juan Pérez · +52 55 1234 5678'],
    ['Argentina (549)', 'Sofía', '5491123456789', 'Sofía Fernández · +54 9 11 2345 6789'],
    ['Brazil without the ninth digit', 'João', '551181234567', 'João Silva · +55 11 98123 4567'],
    ['Colombia', 'Camila', '573101234567', 'Camila Rojas · +57 310 1234567'],
    ['Peru', 'Pedro', '51912345678', 'Pedro Quispe · +51 912 345 678'],
    ['Spain', 'Lucía', '34612345678', 'Lucía García · +34 612 34 56 78'],
    ['the US', 'Emily', '14155550123', 'Emily Clark · +1 415 555 0123'],
    [
      'a business-scoped id (number hidden)',
      'Alex',
      'US.13491208655302741918',
      'Alex · number hidden, United States',
    ],
  ])('%s', async (_, query, id, label) => {
    h = await startHarness();
    h.jelou.setConversations(whatsAppCustomers(Date.now()));

    // The picker offers the customer under Jelou's id, with a label a person recognises.
    const options = await pickerOptions(query);
    expect(options.map((o) => ({ text: o.text.text, value: o.value }))).toContainEqual({
      text: label,
      value: id,
    });

    // The form takes it and the preview names them.
    const form = await h.openForm();
    const preview = await h.preview(form, { ...JUAN_FORM, [BlockId.Recipient]: [picked(label, id)] });
    expect(preview.callback_id).toBe(CallbackId.PreviewModal);
    expect(JSON.parse(preview.private_metadata ?? '{}')).toMatchObject({ recipients: [{ id, label }] });

    // Jelou refuses the first attempt (a bad request, no cause named); the customer wrote minutes
    // ago, so the window is not blamed.
    h.jelou.script(
      'messages',
      json(400, { code: 'message_could_not_be_send', message: 'Temporary refusal' }),
    );
    await h.submit(preview, {});
    const failed = await h.slack.waitFor('chat.update', (call) => /Could not send/.test(textOf(call)));
    const first = h.jelou.requestsTo('messages')[0];
    expect(first?.body).toEqual({ ...JUAN_BODY, userId: id });
    expect(storedSends()).toEqual([{ recipient_id: id, recipient_label: label, status: 'failed' }]);

    // Retry sends the very same body to the very same id.
    await h.clickMessage(failed, ActionId.Retry);
    await h.slack.waitFor('chat.update', (call) => /Sent/.test(textOf(call)));
    const requests = h.jelou.requestsTo('messages');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toEqual(first?.body);
    expect(storedSends()).toEqual([{ recipient_id: id, recipient_label: label, status: 'sent' }]);

    // The history names the customer as the picker did.
    await h.command('history');
    const listed = await h.slack.waitFor(RESPONSE_URL);
    const lines = ((listed.args.blocks ?? []) as { text?: { text?: string } }[]).map(
      (b) => b.text?.text ?? '',
    );
    expect(lines.some((line) => line.includes(label))).toBe(true);
  });
});

describe("the picker lists the bot's WhatsApp users only", () => {
  it('leaves out Facebook, Instagram and web-widget visitors whose ids look like numbers', async () => {
    h = await startHarness();
    const now = Date.now();
    h.jelou.setConversations([...whatsAppCustomers(now), ...otherChannelCustomers(now)]);

    expect(await pickerOptions('Visitor')).toEqual([]);
    expect((await pickerOptions('701234')).map((o) => o.value)).toEqual([]);
    const everyone = (await pickerOptions('')).map((o) => o.value).sort();
    expect(everyone).toEqual(
      whatsAppCustomers(now)
        .map((customer) => customer.userId)
        .sort(),
    );
  });
});

describe('a typed number reaches the customer Jelou knows', () => {
  it.each([
    ['Mexico, old form +52 1', '+52 1 55 1234 5678', '5215512345678'],
    ['Mexico, as dialled today', '+52 55 1234 5678', '5215512345678'],
    ['Argentina without the 9', '+54 11 2345 6789', '5491123456789'],
    ['Brazil with the ninth digit', '+55 11 98123 4567', '551181234567'],
  ])('%s: %s is sent to %s, and the option says so', async (_, typed, id) => {
    h = await startHarness();
    h.jelou.setConversations(whatsAppCustomers(Date.now()));

    const [first] = await pickerOptions(typed);
    expect(first?.value).toBe(id);
    expect(first?.text.text).toContain(`WhatsApp id ${id}`);
  });

  it('/jelou-card with a number opens the form with the customer Jelou knows, saying which id', async () => {
    h = await startHarness();
    h.jelou.setConversations(whatsAppCustomers(Date.now()));

    const form = await h.openForm('+52 1 55 1234 5678');

    expect(initialValues(form)[BlockId.Recipient]).toEqual([
      {
        text: {
          type: 'plain_text',
          text: '+52 55 1234 5678 = Juan Pérez (WhatsApp id 5215512345678)',
          emoji: true,
        },
        value: '5215512345678',
      },
    ]);
  });

  it("finds a customer through Jelou's user look-up when the history does not name them", async () => {
    h = await startHarness();
    h.jelou.setUserState('5218187654321', { id: '5218187654321', names: 'Diego Ramírez', state: 'bot' });

    const [first] = await pickerOptions('+52 81 8765 4321');

    expect(first).toMatchObject({ value: '5218187654321' });
    expect(first?.text.text).toBe('+52 81 8765 4321 = Diego Ramírez (WhatsApp id 5218187654321)');
    expect(h.jelou.requestsTo('state').map((request) => request.params.userId)).toEqual(['5218187654321']);
  });

  it('uses the E.164 digits when nobody knows the number, and says it is the typed number', async () => {
    h = await startHarness();
    const [first] = await pickerOptions('+52 1 55 9999 0000');
    expect(first).toMatchObject({ value: '525599990000', text: { text: '+52 55 9999 0000 (typed number)' } });
  });
});
