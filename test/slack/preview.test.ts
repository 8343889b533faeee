/** The preview modal as data: layout, the card's lines, escaping and Slack's limits. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildContactsMessage, type Contact, type ContactInput } from '../../src/card/index.js';
import { ActionId, BlockId, CallbackId } from '../../src/slack/ids.js';
import { encodeMetadata, type PreviewMetadata } from '../../src/slack/metadata.js';
import { formatUserId } from '../../src/slack/recipients.js';
import { contactLines, previewView } from '../../src/slack/views/preview.js';
import { shownTexts } from '../support/blocks.js';
import { JUAN, NOW, RECIPIENT } from './cards.js';
import { CHANNEL, modalLimitViolations } from './helpers.js';

const WHO = 'María López · +593 99 123 4567';

function contactOf(input: ContactInput): Contact {
  const [contact] = buildContactsMessage(RECIPIENT, [input], { now: NOW }).contacts;
  if (!contact) throw new Error('no contact');
  return contact;
}

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });

describe('previewView', () => {
  it('shows who receives the card, the card, Edit and Add another contact; Send is the submit button', () => {
    const juan = contactOf(JUAN);
    const view = previewView({
      locale: 'en',
      recipientLabels: [WHO],
      contacts: [juan],
      privateMetadata: '{"m":1}',
    });
    expect(view).toEqual({
      type: 'modal',
      callback_id: CallbackId.PreviewModal,
      title: plain('Send contact card'),
      submit: plain('Send'),
      close: plain('Cancel'),
      private_metadata: '{"m":1}',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*To:* ${WHO} on WhatsApp` } },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'This is the card your customer will receive. Press *Send* to send it, or *Edit* to change it.',
            },
          ],
        },
        { type: 'divider' },
        { type: 'section', text: { type: 'mrkdwn', text: contactLines(juan, 'en').join('\n') } },
        { type: 'divider' },
        {
          type: 'actions',
          block_id: BlockId.PreviewActions,
          elements: [
            { type: 'button', action_id: ActionId.BackToEdit, text: plain('Edit') },
            { type: 'button', action_id: ActionId.AddContact, text: plain('Add another contact') },
          ],
        },
      ],
    });
  });

  it('gives each card its own divider, section and Edit / Remove buttons', () => {
    const contacts = [contactOf(JUAN), contactOf({ formattedName: 'Ana' })];
    const view = previewView({ locale: 'en', recipientLabels: [WHO], contacts, privateMetadata: '' });
    expect(view.blocks.map((block) => block.type)).toEqual([
      'section',
      'context',
      'divider',
      'section',
      'actions',
      'divider',
      'section',
      'actions',
      'divider',
      'actions',
    ]);
  });
});

describe('contactLines', () => {
  it('lists the card in the order WhatsApp shows it', () => {
    expect(contactLines(contactOf(JUAN), 'en')).toEqual([
      '*Juan Pérez*',
      'Gerente',
      'Ventas',
      'Jelou',
      ':telephone_receiver: +52 55 1234 5678  _Mobile_',
      ':email: juan.perez@example.com  _Work_',
      ':round_pushpin: Calle Principal 123, Ciudad de México, CDMX, 01000, México (MX)  _Office_',
      ':link: https://jelou.ai',
      ':birthday: 1990-05-17',
    ]);
  });

  it("groups the card's phone the way the recipient's number is grouped", () => {
    const contact = contactOf({
      formattedName: 'Ana',
      phones: [{ number: '+593991234567', type: 'Mobile' }],
    });
    const [, phoneLine] = contactLines(contact, 'en');
    expect(phoneLine).toBe(`:telephone_receiver: ${formatUserId('593991234567')}  _Mobile_`);
    expect(formatUserId('593991234567')).toBe('+593 99 123 4567');
  });

  it('shows a name alone as one line', () => {
    expect(contactLines(contactOf({ formattedName: 'Ana' }), 'en')).toEqual(['*Ana*']);
  });

  it('leaves out what is missing: no empty org parts, no type, an address with only a country code', () => {
    const contact = contactOf({
      formattedName: 'Ana',
      company: 'Jelou',
      phones: [{ number: '+593 99 123 4567' }],
      addresses: [{ countryCode: 'EC' }],
    });
    expect(contactLines(contact, 'en')).toEqual([
      '*Ana*',
      'Jelou',
      ':telephone_receiver: +593 99 123 4567',
      ':round_pushpin: EC',
    ]);
  });

  it('escapes every value that came from the person', () => {
    const contact = contactOf({
      formattedName: '<!channel>',
      company: 'A&B',
      title: '<@U123>',
      emails: [{ address: 'ana@example.com', type: '<!here>' }],
      addresses: [{ street: '<https://evil|x>', type: 'Home' }],
    });
    expect(contactLines(contact, 'en')).toEqual([
      '*&lt;!channel&gt;*',
      '&lt;@U123&gt;',
      'A&amp;B',
      ':email: ana@example.com  _&lt;!here&gt;_',
      ':round_pushpin: &lt;https://evil|x&gt;  _Home_',
    ]);
  });
});

describe('preview escaping, for any text', () => {
  const hostile = fc
    .array(
      fc.oneof(
        fc.constantFrom('<!channel>', '<!here>', '<@U123>', '<https://evil|x>', '<', '>', '&', '&lt;'),
        fc.string({ maxLength: 8 }),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((parts) => parts.join(''));
  const maybe = fc.option(hostile, { nil: undefined });

  // Contacts are built as the type allows rather than through the parser, so that every hostile
  // string reaches the view: the view must not rely on the parser to be safe.
  const contact = fc
    .record({
      name: hostile,
      first: maybe,
      company: maybe,
      department: maybe,
      title: maybe,
      phoneType: maybe,
      email: hostile,
      emailType: maybe,
      street: maybe,
      city: hostile,
      addressType: maybe,
      url: hostile,
      urlType: maybe,
      birthday: maybe,
    })
    .map((f): Contact => {
      const out: Contact = {
        name: { formatted_name: f.name, first_name: f.first ?? f.name },
        phones: [
          { phone: '+593991234567', wa_id: '593991234567', ...(f.phoneType ? { type: f.phoneType } : {}) },
        ],
        emails: [{ email: f.email, ...(f.emailType ? { type: f.emailType } : {}) }],
        addresses: [
          {
            city: f.city,
            ...(f.street ? { street: f.street } : {}),
            ...(f.addressType ? { type: f.addressType } : {}),
          },
        ],
        urls: [{ url: f.url, ...(f.urlType ? { type: f.urlType } : {}) }],
      };
      const org = {
        ...(f.company ? { company: f.company } : {}),
        ...(f.department ? { department: f.department } : {}),
        ...(f.title ? { title: f.title } : {}),
      };
      if (Object.keys(org).length > 0) out.org = org;
      if (f.birthday) out.birthday = f.birthday;
      return out;
    });

  it('shows no raw <, > or link/mention markup from contacts or the recipient label', () => {
    fc.assert(
      fc.property(fc.array(contact, { minLength: 1, maxLength: 3 }), hostile, (contacts, recipientLabel) => {
        const metadata: PreviewMetadata = {
          channelId: CHANNEL,
          recipients: [{ id: '593991234567', label: recipientLabel }],
          contacts,
        };
        const view = previewView({
          locale: 'en',
          recipientLabels: [recipientLabel],
          contacts,
          privateMetadata: encodeMetadata(metadata) ?? '',
        });
        // private_metadata is never shown, and must carry the card exactly as validated.
        const json = JSON.stringify({ ...view, private_metadata: '' });
        expect(json).not.toContain('<!');
        expect(json).not.toContain('<http');
        expect(json).not.toContain('<@');
        expect(json).not.toMatch(/[<>]/u);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * BUG (src/slack/views/preview.ts with src/slack/listeners/views/card-submitted.ts): the only size
 * check before the preview is `encodeMetadata` (JSON ≤ 3000), but the card's section text is
 * escaped mrkdwn, and escaping turns each `&` into 5 characters and each `<`/`>` into 4. A valid
 * card whose metadata fits can therefore render a section longer than Slack's 3000-character
 * limit for section text, and Slack refuses the whole `response_action: "update"`: the person
 * gets Slack's generic error instead of the preview or the "too long" message.
 */
describe('a card whose metadata fits', () => {
  it('renders a preview within Slack section limits, even when full of characters mrkdwn escapes', () => {
    const input: ContactInput = {
      formattedName: `${'<'.repeat(60)}Ana${'>'.repeat(60)}`,
      company: `Q${'&'.repeat(250)}A`,
      department: `R${'&'.repeat(250)}D`,
      title: `C${'&'.repeat(250)}O`,
    };
    const contacts = [contactOf(input)];
    const privateMetadata = encodeMetadata({
      channelId: CHANNEL,
      recipients: [{ id: '593991234567', label: WHO }],
      contacts,
    });
    expect(privateMetadata).toBeDefined();
    const view = previewView({
      locale: 'en',
      recipientLabels: [WHO],
      contacts,
      privateMetadata: privateMetadata ?? '',
    });
    expect(modalLimitViolations(view)).toEqual([]);
  });
});

describe('previewView for several recipients', () => {
  const people = ['María López · +593 99 123 4567', 'Pedro <b> · +52 55 1234 5678', '+1 202-555-0143'];

  it.each([
    ['en', '*To 3 people on WhatsApp* (each gets the card on its own):'],
    ['es', '*Para 3 personas en WhatsApp* (cada una recibe la tarjeta por separado):'],
  ] as const)('%s: a count, then every person, escaped, one per line', (locale, header) => {
    const view = previewView({
      locale,
      recipientLabels: people,
      contacts: [contactOf(JUAN)],
      privateMetadata: '',
    });
    expect(view.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          header,
          '• María López · +593 99 123 4567',
          '• Pedro &lt;b&gt; · +52 55 1234 5678',
          '• +1 202-555-0143',
        ].join('\n'),
      },
    });
  });

  it('twenty people with the longest labels (escaped five times longer) stay within every modal limit', () => {
    const labels = Array.from({ length: 20 }, (_, i) => `${'&'.repeat(195)}${i}`);
    const view = previewView({
      locale: 'en',
      recipientLabels: labels,
      contacts: [contactOf(JUAN)],
      privateMetadata: '',
    });
    expect(modalLimitViolations(view)).toEqual([]);
    // Each person is there, their label cut to 100 characters before escaping.
    const lines = shownTexts(view.blocks).flatMap((text) => text.split('\n'));
    expect(lines.filter((line) => /^• (&amp;)+…$/u.test(line))).toHaveLength(20);
  });
});
