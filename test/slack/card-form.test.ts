/** The card form as data: layout, rows, initial values and metadata. */
import type { AnyBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { EMAIL_TYPES, MAX_LENGTH, PHONE_TYPES } from '../../src/card/index.js';
import { en } from '../../src/slack/i18n/en.js';
import { es } from '../../src/slack/i18n/es.js';
import { ActionId, BlockId, CallbackId, type RowKind, rowBlockId } from '../../src/slack/ids.js';
import {
  cardFormMetadataSchema,
  decodeMetadata,
  MAX_RECIPIENTS,
  MAX_ROWS,
  type RowCounts,
} from '../../src/slack/metadata.js';
import { cardFormView, INITIAL_ROWS } from '../../src/slack/views/card-form.js';
import { actionIds } from '../support/blocks.js';
import { JUAN } from './cards.js';
import {
  CHANNEL,
  initialValues,
  inputBlock,
  inputBlockIds,
  inputBlocks,
  modalLimitViolations,
  opt,
  staticOptions,
} from './helpers.js';

const newForm = (rows: RowCounts = INITIAL_ROWS) =>
  cardFormView({ locale: 'en', channelId: CHANNEL, rows, contact: {} });

const ADD_BLOCK: Record<RowKind, string> = {
  phone: BlockId.AddPhone,
  email: BlockId.AddEmail,
  address: BlockId.AddAddress,
};

function blockIndex(view: ModalView, blockId: string): number {
  return view.blocks.findIndex((block: AnyBlock) => block.block_id === blockId);
}

function addButtons(view: ModalView) {
  return view.blocks.flatMap((block) =>
    // The add-row buttons: every actions block but the profile's and the .vcf import's.
    block.type === 'actions' &&
    block.block_id !== BlockId.ProfileActions &&
    block.block_id !== BlockId.ImportOffer &&
    'elements' in block &&
    Array.isArray(block.elements)
      ? [
          {
            block_id: block.block_id,
            action_ids: block.elements.map((e: { action_id?: string }) => e.action_id),
          },
        ]
      : [],
  );
}

describe('cardFormView layout', () => {
  it('puts the recipient, the name on the card and the first phone first, so they show without scrolling', () => {
    const ids = newForm()
      .blocks.slice(0, 3)
      .map((block) => block.block_id);
    expect(ids).toEqual([BlockId.Recipient, BlockId.FormattedName, rowBlockId('phone', 0, 'number')]);
  });

  it('shows a hint as a context block above everything else', () => {
    const hint = 'I didn\'t recognise "abc"';
    const view = cardFormView({ locale: 'en', channelId: CHANNEL, rows: INITIAL_ROWS, contact: {}, hint });
    expect(view.blocks[0]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: hint }] });
    expect(view.blocks.slice(1, 4).map((block) => block.block_id)).toEqual([
      BlockId.Recipient,
      BlockId.FormattedName,
      rowBlockId('phone', 0, 'number'),
    ]);
  });

  it('has no context block without a hint', () => {
    expect(newForm().blocks.some((block) => block.type === 'context')).toBe(false);
  });

  it('is the card modal: its callback id, "Preview" to submit, "Cancel" to close', () => {
    const view = newForm();
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: CallbackId.CardModal,
      title: { type: 'plain_text', text: en.modal.title },
      submit: { type: 'plain_text', text: 'Preview' },
      close: { type: 'plain_text', text: 'Cancel' },
    });
  });

  it('shows exactly the rows asked for, each with its own stable block ids', () => {
    const rows = { phone: 3, email: 2, address: 2 };
    const ids = inputBlockIds(newForm(rows));
    const rowIds = ids.filter((id) => /^(phone|email|address)_\d+_/u.test(id));
    expect(rowIds).toEqual([
      ...[0, 1, 2].flatMap((i) => [
        rowBlockId('phone', i, 'number'),
        rowBlockId('phone', i, 'type'),
        rowBlockId('phone', i, 'noWhatsApp'),
      ]),
      ...[0, 1].flatMap((i) => [rowBlockId('email', i, 'address'), rowBlockId('email', i, 'type')]),
      ...[0, 1].flatMap((i) =>
        (['street', 'city', 'state', 'zip', 'country', 'countryCode', 'type'] as const).map((field) =>
          rowBlockId('address', i, field),
        ),
      ),
    ]);
  });

  it('labels repeated rows by number: "Phone", then "Phone 2"', () => {
    const view = newForm({ phone: 2, email: 1, address: 2 });
    expect(inputBlock(view, rowBlockId('phone', 0, 'number')).label.text).toBe('Phone');
    expect(inputBlock(view, rowBlockId('phone', 1, 'number')).label.text).toBe('Phone 2');
    const headers = view.blocks.flatMap((block) =>
      block.type === 'section' && 'text' in block && block.text ? [block.text.text] : [],
    );
    expect(headers).toEqual(['*Address*', '*Address 2*', en.fields.more]);
  });

  it('only the name is required; every other input is optional', () => {
    const required = inputBlocks(newForm(MAX_ROWS)).filter((block) => block.optional !== true);
    expect(required.map((block) => block.block_id).sort()).toEqual(
      [BlockId.FormattedName, BlockId.Recipient].sort(),
    );
  });

  it('every input element uses ActionId.Value except the recipient picker', () => {
    const view = newForm(MAX_ROWS);
    for (const block of inputBlocks(view)) {
      const expected = block.block_id === BlockId.Recipient ? ActionId.RecipientSelect : ActionId.Value;
      expect({ block: block.block_id, action: block.element.action_id }).toEqual({
        block: block.block_id,
        action: expected,
      });
    }
  });

  it('gives text inputs the domain limits as max_length', () => {
    const view = newForm();
    const maxLength = (blockId: string) => {
      const element = inputBlock(view, blockId).element;
      return element.type === 'plain_text_input' ? element.max_length : undefined;
    };
    expect({
      name: maxLength(BlockId.FormattedName),
      phone: maxLength(rowBlockId('phone', 0, 'number')),
      email: maxLength(rowBlockId('email', 0, 'address')),
      zip: maxLength(rowBlockId('address', 0, 'zip')),
      countryCode: maxLength(rowBlockId('address', 0, 'countryCode')),
      company: maxLength(BlockId.Company),
      website: maxLength(BlockId.Website),
    }).toEqual({
      name: MAX_LENGTH.name,
      phone: MAX_LENGTH.phone,
      email: MAX_LENGTH.email,
      zip: MAX_LENGTH.zip,
      countryCode: 2,
      company: MAX_LENGTH.org,
      website: MAX_LENGTH.url,
    });
  });

  it('lets the recipient menu list recent conversations before any typing, and take up to 20 people', () => {
    const element = inputBlock(newForm(), BlockId.Recipient).element;
    expect(element).toEqual({
      type: 'multi_external_select',
      action_id: ActionId.RecipientSelect,
      placeholder: { type: 'plain_text', text: 'Search by name or number', emoji: true },
      min_query_length: 0,
      max_selected_items: MAX_RECIPIENTS,
    });
  });
});

describe('cardFormView add-row buttons', () => {
  it('offers Add phone, Add email and Add address below the maximum, each right after its rows', () => {
    const rows = { phone: 2, email: 1, address: 1 };
    const view = newForm(rows);
    expect(addButtons(view)).toEqual([
      { block_id: BlockId.AddPhone, action_ids: [ActionId.AddPhone] },
      { block_id: BlockId.AddEmail, action_ids: [ActionId.AddEmail] },
      { block_id: BlockId.AddAddress, action_ids: [ActionId.AddAddress] },
    ]);
    expect(blockIndex(view, BlockId.AddPhone)).toBe(
      blockIndex(view, rowBlockId('phone', 1, 'noWhatsApp')) + 1,
    );
    expect(blockIndex(view, BlockId.AddEmail)).toBe(blockIndex(view, rowBlockId('email', 0, 'type')) + 1);
    expect(blockIndex(view, BlockId.AddAddress)).toBe(blockIndex(view, rowBlockId('address', 0, 'type')) + 1);
  });

  it.each(['phone', 'email', 'address'] as const)(
    'drops only the %s button once its rows reach MAX_ROWS',
    (kind) => {
      const rows = { ...INITIAL_ROWS, [kind]: MAX_ROWS[kind] };
      const shown = addButtons(newForm(rows)).map((button) => button.block_id);
      const expected = (['phone', 'email', 'address'] as const)
        .filter((k) => k !== kind)
        .map((k) => ADD_BLOCK[k]);
      expect(shown).toEqual(expected);
    },
  );

  it('shows one below the maximum', () => {
    for (const kind of ['phone', 'email', 'address'] as const) {
      const rows = { ...INITIAL_ROWS, [kind]: MAX_ROWS[kind] - 1 };
      expect(addButtons(newForm(rows)).map((button) => button.block_id)).toContain(ADD_BLOCK[kind]);
    }
  });

  it('shows none when every kind is at MAX_ROWS', () => {
    expect(addButtons(newForm(MAX_ROWS))).toEqual([]);
  });
});

describe('cardFormView initial values', () => {
  it('starts a new form with no text, no date and no recipient', () => {
    const initial = initialValues(newForm());
    const typed = Object.entries(initial).filter(([, value]) => typeof value === 'string');
    expect(typed).toEqual([]);
    expect(initial[BlockId.Recipient]).toBeUndefined();
  });

  it('shows a ContactInput as initial_value, initial_option and initial_date', () => {
    const recipient = { id: '593991234567', label: 'María López · +593 99 123 4567' };
    const view = cardFormView({
      locale: 'en',
      channelId: CHANNEL,
      rows: INITIAL_ROWS,
      contact: JUAN,
      recipients: [recipient],
    });
    expect(initialValues(view)).toEqual({
      [BlockId.Recipient]: [opt(recipient.label, recipient.id)],
      [BlockId.FormattedName]: 'Juan Pérez',
      [rowBlockId('phone', 0, 'number')]: '+52 55 1234 5678',
      [rowBlockId('phone', 0, 'type')]: opt('Mobile'),
      [BlockId.FirstName]: 'Juan',
      [BlockId.LastName]: 'Pérez',
      [rowBlockId('email', 0, 'address')]: 'juan.perez@example.com',
      [rowBlockId('email', 0, 'type')]: opt('Work'),
      [rowBlockId('address', 0, 'street')]: 'Calle Principal 123',
      [rowBlockId('address', 0, 'city')]: 'Ciudad de México',
      [rowBlockId('address', 0, 'state')]: 'CDMX',
      [rowBlockId('address', 0, 'zip')]: '01000',
      [rowBlockId('address', 0, 'country')]: 'México',
      [rowBlockId('address', 0, 'countryCode')]: 'MX',
      [rowBlockId('address', 0, 'type')]: opt('Office'),
      [BlockId.Company]: 'Jelou',
      [BlockId.Department]: 'Ventas',
      [BlockId.Title]: 'Gerente',
      [BlockId.Website]: 'https://jelou.ai',
      [BlockId.Birthday]: '1990-05-17',
    });
  });

  it('fills the second row from the second item, and leaves rows past the input empty', () => {
    const contact = {
      phones: [
        { number: '+593 99 123 4567', type: 'Work' },
        { number: '+52 55 1234 5678', type: 'Home' },
      ],
    };
    const view = cardFormView({
      locale: 'en',
      channelId: CHANNEL,
      rows: { phone: 3, email: 1, address: 1 },
      contact,
    });
    const initial = initialValues(view);
    expect(initial[rowBlockId('phone', 1, 'number')]).toBe('+52 55 1234 5678');
    expect(initial[rowBlockId('phone', 1, 'type')]).toEqual(opt('Home'));
    expect(initial[rowBlockId('phone', 2, 'number')]).toBeUndefined();
  });

  it('keeps a phone type the form does not offer as an extra option, selected', () => {
    const contact = { phones: [{ number: '+593 99 123 4567', type: 'Pager' }] };
    const block = inputBlock(
      cardFormView({ locale: 'en', channelId: CHANNEL, rows: INITIAL_ROWS, contact }),
      rowBlockId('phone', 0, 'type'),
    );
    expect(staticOptions(block)).toEqual([...PHONE_TYPES, 'Pager'].map((type) => opt(type)));
    expect(block.element).toMatchObject({ initial_option: opt('Pager') });
  });

  it('offers "No WhatsApp on this number" per phone, ticked when the contact says so', () => {
    const contact = {
      phones: [{ number: '+593 99 123 4567' }, { number: '+593 2 298 3200', noWhatsApp: true }],
    };
    const view = cardFormView({
      locale: 'es',
      channelId: CHANNEL,
      rows: { ...INITIAL_ROWS, phone: 2 },
      contact,
    });
    const first = inputBlock(view, rowBlockId('phone', 0, 'noWhatsApp'));
    const second = inputBlock(view, rowBlockId('phone', 1, 'noWhatsApp'));
    expect(first.optional).toBe(true);
    expect(first.element).toMatchObject({
      type: 'checkboxes',
      options: [{ value: ActionId.NoWhatsAppOption }],
    });
    expect(first.element).not.toHaveProperty('initial_options');
    expect(second.element).toMatchObject({
      initial_options: [{ value: ActionId.NoWhatsAppOption, text: { text: es.fields.noWhatsApp } }],
    });
  });

  it('offers each type once when the contact uses one of the offered types', () => {
    const contact = { emails: [{ address: 'a@example.com', type: 'Home' }] };
    const block = inputBlock(
      cardFormView({ locale: 'en', channelId: CHANNEL, rows: INITIAL_ROWS, contact }),
      rowBlockId('email', 0, 'type'),
    );
    expect(staticOptions(block)).toEqual(EMAIL_TYPES.map((type) => opt(type)));
    expect(block.element).toMatchObject({ initial_option: opt('Home') });
  });

  it('cuts a 300-character recipient label to Slack option size and keeps the id as the value', () => {
    const recipient = { id: '593991234567', label: 'L'.repeat(300) };
    const initial = initialValues(
      cardFormView({
        locale: 'en',
        channelId: CHANNEL,
        rows: INITIAL_ROWS,
        contact: {},
        recipients: [recipient],
      }),
    )[BlockId.Recipient];
    expect(initial).toEqual([opt(`${'L'.repeat(74)}…`, '593991234567')]);
  });

  it(`shows up to ${MAX_RECIPIENTS} people already chosen, in order, and never more than the picker takes`, () => {
    const people = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => ({
      id: `5939${1_000_000 + i}`,
      label: `Customer ${i}`,
    }));
    const view = cardFormView({
      locale: 'en',
      channelId: CHANNEL,
      rows: INITIAL_ROWS,
      contact: {},
      recipients: people,
    });
    const initial = initialValues(view)[BlockId.Recipient];
    expect(initial).toEqual(people.slice(0, MAX_RECIPIENTS).map((p) => opt(p.label, p.id)));
    expect(modalLimitViolations(view)).toEqual([]);
  });
});

describe('cardFormView metadata', () => {
  it.each([INITIAL_ROWS, MAX_ROWS, { phone: 0, email: 0, address: 0 }, { phone: 4, email: 2, address: 3 }])(
    'round-trips the channel and the rows %o through decodeMetadata',
    (rows) => {
      const view = cardFormView({ locale: 'en', channelId: CHANNEL, rows, contact: JUAN });
      expect(decodeMetadata(cardFormMetadataSchema, view.private_metadata)).toEqual({
        channelId: CHANNEL,
        rows,
      });
    },
  );

  it('a form at MAX_ROWS with every field filled stays within every Slack limit', () => {
    const view = cardFormView({ locale: 'en', channelId: CHANNEL, rows: MAX_ROWS, contact: JUAN });
    expect(modalLimitViolations(view)).toEqual([]);
  });
});

describe('the form opened from the shortcut', () => {
  it('asks where to post the result, right after the recipient, and carries no channel', () => {
    const view = cardFormView({ locale: 'en', rows: INITIAL_ROWS, contact: {} });
    expect(blockIndex(view, BlockId.ResultChannel)).toBe(blockIndex(view, BlockId.Recipient) + 1);
    expect(inputBlock(view, BlockId.ResultChannel)).toMatchObject({
      optional: true,
      label: { text: en.fields.resultChannel },
      element: { type: 'conversations_select', action_id: ActionId.Value },
    });
    expect(decodeMetadata(cardFormMetadataSchema, view.private_metadata)).toEqual({ rows: INITIAL_ROWS });
    expect(modalLimitViolations(view)).toEqual([]);
  });

  it('is not there when the form knows its channel (the command)', () => {
    expect(blockIndex(newForm(), BlockId.ResultChannel)).toBe(-1);
  });

  it('offers "Use my Slack profile" on every form', () => {
    for (const view of [newForm(), cardFormView({ locale: 'es', rows: INITIAL_ROWS, contact: {} })]) {
      const index = blockIndex(view, BlockId.ProfileActions);
      expect(index).toBeGreaterThan(blockIndex(view, BlockId.Recipient));
      expect(actionIds(view.blocks[index])).toEqual([ActionId.UseProfile]);
    }
  });
});

describe('cardFormView, the blank form built once', () => {
  const blank = (locale: 'en' | 'es', channelId?: string) =>
    cardFormView({ locale, channelId, rows: INITIAL_ROWS, contact: {}, recipients: [] });
  // A contact with a key but no value shows the same form, but is not served from the kept ones.
  const builtAfresh = (locale: 'en' | 'es', channelId?: string) =>
    cardFormView({ locale, channelId, rows: INITIAL_ROWS, contact: { formattedName: undefined } });

  it('is the form a fresh build gives, in each language, with and without a channel', () => {
    for (const locale of ['en', 'es'] as const) {
      for (const channelId of ['C1', undefined]) {
        blank(locale, channelId);
        expect(blank(locale, channelId)).toEqual(builtAfresh(locale, channelId));
      }
    }
    expect(blank('es', 'C1').blocks).not.toEqual(blank('en', 'C1').blocks);
    expect(blank('en').blocks.length).toBe(blank('en', 'C1').blocks.length + 1);
  });

  it('carries each request its own metadata', () => {
    blank('en', 'C1');
    expect(blank('en', 'C2').private_metadata).not.toBe(blank('en', 'C1').private_metadata);
    expect(blank('en', 'C2').private_metadata).toBe(builtAfresh('en', 'C2').private_metadata);
  });

  it('is not changed by a form that shows something typed', () => {
    const before = blank('en', 'C1');
    const withHint = cardFormView({
      ...{ locale: 'en', channelId: 'C1', rows: INITIAL_ROWS, contact: {} },
      hint: 'x',
    });
    const withRows = cardFormView({
      locale: 'en',
      channelId: 'C1',
      rows: { ...INITIAL_ROWS, phone: 2 },
      contact: {},
    });
    expect(withHint.blocks.length).toBe(before.blocks.length + 1);
    expect(withRows.blocks.length).toBeGreaterThan(before.blocks.length);
    expect(blank('en', 'C1')).toEqual(before);
  });

  it('refuses a change to its blocks instead of passing it on to the next form', () => {
    const view = blank('en', 'C1');
    const first = view.blocks[0] as { block_id?: string };
    expect(() => {
      first.block_id = 'changed';
    }).toThrow(TypeError);
    expect(blank('en', 'C1').blocks[0]).toEqual(builtAfresh('en', 'C1').blocks[0]);
  });
});
