/**
 * Slack's Block Kit limits, for every view the app builds, at the extremes: the form at MAX_ROWS
 * with every field at its longest, the preview of the largest card that fits, every notification.
 */
import type { ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildContactsMessage, type Contact } from '../../src/card/index.js';
import { en } from '../../src/slack/i18n/en.js';
import { CallbackId } from '../../src/slack/ids.js';
import {
  decodeMetadata,
  encodeMetadata,
  MAX_ROWS,
  PRIVATE_METADATA_MAX,
  type PreviewContent,
  previewMetadataSchema,
} from '../../src/slack/metadata.js';
import { cardFormView, INITIAL_ROWS } from '../../src/slack/views/card-form.js';
import { messageView } from '../../src/slack/views/message.js';
import { notificationMessage } from '../../src/slack/views/notification.js';
import { previewView } from '../../src/slack/views/preview.js';
import type { SendStatus } from '../../src/store/types.js';
import { BIG_REALISTIC, MAXIMAL_FORM_CARD, NOW, RECIPIENT } from './cards.js';
import { blockLimitViolations, CHANNEL, modalLimitViolations, sendRecord } from './helpers.js';

const LONG_LABEL = 'Ñ'.repeat(300);

function firstContact(message: { contacts: readonly Contact[] }): Contact {
  const [first] = message.contacts;
  if (!first) throw new Error('message without contacts');
  return first;
}

function previewMetadata(contacts: Contact[], label = 'María López · +593 99 123 4567'): PreviewContent {
  return { channelId: CHANNEL, recipients: [{ id: '593991234567', label }], contacts };
}

const formViews: Record<string, ModalView> = {
  'a new form': cardFormView({ locale: 'en', channelId: CHANNEL, rows: INITIAL_ROWS, contact: {} }),
  'a form with no rows': cardFormView({
    locale: 'en',
    channelId: CHANNEL,
    rows: { phone: 0, email: 0, address: 0 },
    contact: {},
  }),
  'the form at MAX_ROWS, every field at its limit, a hint and a 300-character recipient label': cardFormView({
    locale: 'en',
    channelId: CHANNEL,
    rows: MAX_ROWS,
    contact: {
      ...MAXIMAL_FORM_CARD,
      phones: MAXIMAL_FORM_CARD.phones?.map((phone) => ({ ...phone, type: 'T'.repeat(300) })),
      emails: MAXIMAL_FORM_CARD.emails?.map((email) => ({ ...email, type: 'Correo '.repeat(30) })),
    },
    recipients: [{ id: '593991234567', label: LONG_LABEL }],
    hint: en.command.hint('x'.repeat(100)),
  }),
};

describe('Slack limits of the card form', () => {
  it.each(Object.entries(formViews))('%s breaks none', (_, view) => {
    expect(modalLimitViolations(view)).toEqual([]);
  });

  it('stays within 100 blocks at MAX_ROWS with a hint', () => {
    const view =
      formViews['the form at MAX_ROWS, every field at its limit, a hint and a 300-character recipient label'];
    expect(view?.blocks.length).toBeLessThanOrEqual(100);
  });

  it('keeps the title, submit and close labels within 24 characters', () => {
    for (const text of [en.modal.title, en.modal.preview, en.modal.send, en.modal.cancel]) {
      expect(text.length).toBeLessThanOrEqual(24);
    }
    expect(en.form.closed.length).toBeLessThanOrEqual(24);
  });

  it('callback ids are within 255 characters', () => {
    for (const id of Object.values(CallbackId)) expect(id.length).toBeLessThanOrEqual(255);
  });
});

describe('encodeMetadata', () => {
  it('returns the JSON text up to 3000 characters', () => {
    const fits = 'x'.repeat(PRIVATE_METADATA_MAX - 2);
    expect(encodeMetadata(fits)).toBe(JSON.stringify(fits));
    expect(encodeMetadata(fits)?.length).toBe(PRIVATE_METADATA_MAX);
  });

  it('returns undefined one character above 3000', () => {
    expect(encodeMetadata('x'.repeat(PRIVATE_METADATA_MAX - 1))).toBeUndefined();
  });

  it('counts what Slack counts: escaped quotes and backslashes too', () => {
    // Each `"` becomes `\"` in JSON: 1500 of them are 3002 characters with the quotes.
    expect(encodeMetadata('"'.repeat(1500))).toBeUndefined();
    expect(encodeMetadata('"'.repeat(1499))?.length).toBe(3000);
  });
});

describe('Slack limits of the preview', () => {
  it('a big realistic card (every row the form offers, long real-world values) fits and round-trips', () => {
    const message = buildContactsMessage(RECIPIENT, [BIG_REALISTIC], { now: NOW });
    const metadata = previewMetadata(message.contacts, LONG_LABEL.slice(0, 75));
    const encoded = encodeMetadata(metadata);
    expect(encoded).toBeDefined();
    expect(encoded?.length).toBeLessThanOrEqual(PRIVATE_METADATA_MAX);
    expect(decodeMetadata(previewMetadataSchema, encoded)).toEqual(metadata);

    const view = previewView({
      locale: 'en',
      recipientLabels: metadata.recipients.map((recipient) => recipient.label),
      contacts: message.contacts,
      privateMetadata: encoded ?? '',
    });
    expect(modalLimitViolations(view)).toEqual([]);
  });

  it('the largest card the form can make does not fit, and encodeMetadata says so instead of cutting', () => {
    const message = buildContactsMessage(RECIPIENT, [MAXIMAL_FORM_CARD], { now: NOW });
    const metadata = previewMetadata(message.contacts);
    expect(JSON.stringify(metadata).length).toBeGreaterThan(PRIVATE_METADATA_MAX);
    expect(encodeMetadata(metadata)).toBeUndefined();
  });

  it('the preview of ten cards (the most its metadata allows) stays under 100 blocks', () => {
    const contact = firstContact(buildContactsMessage(RECIPIENT, [BIG_REALISTIC], { now: NOW }));
    const contacts = Array.from({ length: 10 }, () => contact);
    const view = previewView({
      locale: 'en',
      recipientLabels: [LONG_LABEL],
      contacts,
      privateMetadata: '{}',
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(modalLimitViolations(view)).toEqual([]);
  });

  it('the message view breaks none', () => {
    expect(modalLimitViolations(messageView(en.form.expired, 'en'))).toEqual([]);
  });
});

describe('Slack limits of the notification', () => {
  const statuses: readonly SendStatus[] = ['pending', 'sending', 'sent', 'failed', 'unknown'];

  it.each(statuses)(
    'a %s notification with the longest labels breaks none (message: 50 blocks)',
    (status) => {
      const message = notificationMessage(
        sendRecord({
          status,
          attempts: 9,
          recipientLabel: '&'.repeat(200),
          cardName: '<'.repeat(127),
          messageId: 'm'.repeat(64),
          reason: { en: 'r'.repeat(300), es: 'r'.repeat(300) },
        }),
      );
      expect(blockLimitViolations(message.blocks, 50)).toEqual([]);
      expect(message.text.length).toBeLessThanOrEqual(40_000);
    },
  );
});

describe('the limit checker itself', () => {
  it('reports each kind of violation it looks for, so the tests above can fail', () => {
    const input = (blockId: string, maxLength: number) => ({
      type: 'input' as const,
      block_id: blockId,
      label: { type: 'plain_text' as const, text: 'Label' },
      element: { type: 'plain_text_input' as const, action_id: 'value', max_length: maxLength },
    });
    const view: ModalView = {
      type: 'modal',
      callback_id: 'c'.repeat(256),
      title: { type: 'plain_text', text: 't'.repeat(25) },
      submit: { type: 'plain_text', text: 'Send' },
      private_metadata: 'm'.repeat(3001),
      blocks: [
        input('dup', 3001),
        input('dup', 0),
        {
          type: 'input',
          label: { type: 'plain_text', text: 'Type' },
          element: {
            type: 'static_select',
            options: [{ text: { type: 'plain_text', text: 'o'.repeat(76) }, value: 'v'.repeat(151) }],
            initial_option: { text: { type: 'plain_text', text: 'other' }, value: 'other' },
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
        ...Array.from({ length: 97 }, () => ({ type: 'divider' as const })),
      ],
    };
    const problems = modalLimitViolations(view).join('\n');
    for (const expected of [
      '101 blocks > 100',
      'duplicate block ids dup',
      'max_length 3001 not in 1..3000',
      'max_length 0 not in 1..3000',
      'input without block_id',
      'static_select without action_id',
      'initial_option is not one of the options',
      'option text length 76 not in 1..75',
      'option value missing or > 150',
      'section text 3001 > 3000',
      '$.title',
      '$.private_metadata > 3000 (3001)',
      '$.callback_id > 255',
    ]) {
      expect(problems).toContain(expected);
    }
  });
});
