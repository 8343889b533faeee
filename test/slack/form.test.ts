/** Reading the card form back (`view.state.values` → ContactInput) and card issues → block ids. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildContactsMessage,
  CardInvalidError,
  type CardIssue,
  type CardIssuePath,
  type ContactInput,
  type ContactsMessage,
} from '../../src/card/index.js';
import { blockIdForIssue, contactToInput, readCardForm, rowsFor } from '../../src/slack/form.js';
import { ActionId, BlockId, rowBlockId } from '../../src/slack/ids.js';
import { MAX_RECIPIENTS, MAX_ROWS, type RowCounts } from '../../src/slack/metadata.js';
import { cardFormView, INITIAL_ROWS } from '../../src/slack/views/card-form.js';
import { BIG_REALISTIC, JUAN, NOW, RECIPIENT, RECIPIENT_ID } from './cards.js';
import { type Answers, CHANNEL, inputBlockIds, opt, stateValuesFor } from './helpers.js';

const EMPTY_FORM = {
  recipients: [],
  recipientCount: 0,
  contact: {
    formattedName: undefined,
    firstName: undefined,
    lastName: undefined,
    phones: [],
    emails: [],
    addresses: [],
    company: undefined,
    department: undefined,
    title: undefined,
    urls: [],
    birthday: undefined,
  },
};

const formView = (contact: ContactInput, rows: RowCounts = INITIAL_ROWS) =>
  cardFormView({ locale: 'en', channelId: CHANNEL, rows, contact });

/** What the submission listener does with a read form: the card as Jelou would receive it. */
function build(contact: ContactInput): ContactsMessage {
  return buildContactsMessage(RECIPIENT, [contact], { now: NOW });
}

function issuesOf(run: () => unknown): readonly CardIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CardInvalidError) return error.issues;
    throw error;
  }
  return [];
}

const issue = (path: CardIssuePath): CardIssue => ({ path, code: 'required' });

describe('readCardForm over the state Slack sends for the form', () => {
  it('reads back every value a filled form started with', () => {
    const recipient = { id: RECIPIENT_ID, label: 'María López · +593 99 123 4567' };
    const view = cardFormView({
      locale: 'en',
      channelId: CHANNEL,
      rows: INITIAL_ROWS,
      contact: JUAN,
      recipients: [recipient],
    });
    expect(readCardForm(stateValuesFor(view))).toEqual({
      recipients: [recipient],
      recipientCount: 1,
      contact: JUAN,
    });
  });

  it('reads what the person typed and picked', () => {
    const view = formView({}, { phone: 2, email: 1, address: 1 });
    const answers: Answers = {
      [BlockId.Recipient]: opt('Ana · +593 99 123 4567', RECIPIENT_ID),
      [BlockId.FormattedName]: 'Ana Ruiz',
      [rowBlockId('phone', 0, 'number')]: '099 123 4567',
      [rowBlockId('phone', 0, 'type')]: opt('Work'),
      [rowBlockId('phone', 1, 'number')]: '+52 55 1234 5678',
      [rowBlockId('phone', 1, 'type')]: opt('iPhone'),
      [rowBlockId('email', 0, 'address')]: 'ana@example.com',
      [rowBlockId('email', 0, 'type')]: opt('Home'),
      [rowBlockId('address', 0, 'city')]: 'Quito',
      [rowBlockId('address', 0, 'type')]: opt('Home'),
      [BlockId.Website]: 'https://ana.example',
      [BlockId.Birthday]: '1991-02-03',
    };
    const form = readCardForm(stateValuesFor(view, answers));
    expect(form.recipients).toEqual([{ id: RECIPIENT_ID, label: 'Ana · +593 99 123 4567' }]);
    expect(form.contact).toEqual({
      formattedName: 'Ana Ruiz',
      phones: [
        { number: '099 123 4567', type: 'Work' },
        { number: '+52 55 1234 5678', type: 'iPhone' },
      ],
      emails: [{ address: 'ana@example.com', type: 'Home' }],
      addresses: [{ city: 'Quito', type: 'Home' }],
      urls: [{ url: 'https://ana.example' }],
      birthday: '1991-02-03',
    });
  });

  it('reads one row per filled row the form shows', () => {
    const view = formView({}, MAX_ROWS);
    const answers: Record<string, string> = {};
    for (let i = 0; i < MAX_ROWS.phone; i += 1)
      answers[rowBlockId('phone', i, 'number')] = `+593 99 123 456${i}`;
    for (let i = 0; i < MAX_ROWS.email; i += 1)
      answers[rowBlockId('email', i, 'address')] = `a${i}@example.com`;
    for (let i = 0; i < MAX_ROWS.address; i += 1) answers[rowBlockId('address', i, 'city')] = `City ${i}`;
    const form = readCardForm(stateValuesFor(view, answers));
    expect({
      phones: form.contact.phones?.length,
      emails: form.contact.emails?.length,
      addresses: form.contact.addresses?.length,
    }).toEqual({ phones: MAX_ROWS.phone, emails: MAX_ROWS.email, addresses: MAX_ROWS.address });
  });

  it('reads an untouched text input (null) as empty and no website as no URL', () => {
    const view = formView(JUAN);
    const answers: Answers = {
      [BlockId.FormattedName]: null,
      [BlockId.Website]: null,
      [BlockId.Birthday]: null,
    };
    const { contact } = readCardForm(stateValuesFor(view, answers));
    expect(contact.formattedName).toBeUndefined();
    expect(contact.urls).toEqual([]);
    expect(contact.birthday).toBeUndefined();
  });

  it('names the recipient by its formatted number when Slack leaves out the option text', () => {
    const values = {
      [BlockId.Recipient]: {
        [ActionId.RecipientSelect]: {
          type: 'multi_external_select',
          selected_options: [{ value: RECIPIENT_ID }],
        },
      },
    };
    // Named by its number, formatted as people write it.
    expect(readCardForm(values).recipients).toEqual([{ id: RECIPIENT_ID, label: '+593 99 123 4567' }]);
  });

  it('reads a form opened before the picker took several people (one selected_option) as one recipient', () => {
    const values = {
      [BlockId.Recipient]: {
        [ActionId.RecipientSelect]: { type: 'external_select', selected_option: opt('Ana', RECIPIENT_ID) },
      },
    };
    expect(readCardForm(values).recipients).toEqual([{ id: RECIPIENT_ID, label: 'Ana' }]);
  });

  it('reads the recipient only from the recipient picker action', () => {
    const values = {
      [BlockId.Recipient]: {
        [ActionId.Value]: { type: 'multi_external_select', selected_options: [opt('x', RECIPIENT_ID)] },
      },
    };
    expect(readCardForm(values).recipients).toEqual([]);
  });

  it('reads several people in the order chosen, once each by WhatsApp id, the typed-number marker dropped', () => {
    const view = formView({});
    const form = readCardForm(
      stateValuesFor(view, {
        [BlockId.Recipient]: [
          opt('María López · +593 99 123 4567', '593991234567'),
          opt('+52 55 1234 5678 (typed number)', '525512345678'),
          opt('María again', '593991234567'),
          opt('+52 55 1234 5678 (número escrito)', '525512345678'),
          opt('Juan · +1 202 555 0143', '12025550143'),
        ],
      }),
    );
    expect(form.recipients).toEqual([
      { id: '593991234567', label: 'María López · +593 99 123 4567' },
      { id: '525512345678', label: '+52 55 1234 5678' },
      { id: '12025550143', label: 'Juan · +1 202 555 0143' },
    ]);
    expect(form.recipientCount).toBe(3);
  });

  it(`keeps the first ${MAX_RECIPIENTS} of a forged list and counts them all, without formatting the rest`, () => {
    const options = Array.from({ length: 5000 }, (_, i) => opt(`Customer ${i}`, `5939${1_000_000 + i}`));
    const form = readCardForm(stateValuesFor(formView({}), { [BlockId.Recipient]: options }));
    expect(form.recipients).toHaveLength(MAX_RECIPIENTS);
    expect(form.recipients[0]).toEqual({ id: '59391000000', label: 'Customer 0' });
    expect(form.recipientCount).toBe(5000);
  });

  it('ignores elements of other types and extra fields Slack may add', () => {
    const values = {
      [BlockId.FormattedName]: {
        [ActionId.Value]: { type: 'plain_text_input', value: 'Ana', extra: { a: 1 } },
      },
      other_block: { other_action: { type: 'button' } },
    };
    expect(readCardForm(values).contact.formattedName).toBe('Ana');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'values'],
    ['an array', [1, 2, 3]],
    ['a block that is not an object', { [BlockId.FormattedName]: 'Ana' }],
    ['an element that is not an object', { [BlockId.FormattedName]: { [ActionId.Value]: 7 } }],
    [
      'a value of the wrong type',
      { [BlockId.FormattedName]: { [ActionId.Value]: { type: 'x', value: 42 } } },
    ],
    [
      'a selected option of the wrong shape',
      {
        [BlockId.Recipient]: {
          [ActionId.RecipientSelect]: { type: 'external_select', selected_option: 'x' },
        },
      },
    ],
    [
      'selected options of the wrong shape',
      {
        [BlockId.Recipient]: {
          [ActionId.RecipientSelect]: { type: 'multi_external_select', selected_options: [{ text: 'x' }] },
        },
      },
    ],
    ['nested junk', { a: { b: { c: [null, { d: Number.NaN }] } }, [BlockId.Birthday]: [[[]]] }],
  ])('reads %s as an empty form', (_, raw) => {
    expect(readCardForm(raw)).toEqual(EMPTY_FORM);
  });

  it('never throws, whatever arrives, and what it reads only ever fails validation as a card issue', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
        (raw) => {
          const form = readCardForm(raw);
          issuesOf(() => build(form.contact));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws for state-shaped junk either', () => {
    const element = fc.record(
      {
        type: fc.oneof(fc.constant('plain_text_input'), fc.string()),
        value: fc.anything(),
        selected_date: fc.anything(),
        selected_option: fc.anything(),
        selected_options: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const block = fc.dictionary(fc.constantFrom(ActionId.Value, ActionId.RecipientSelect, 'x'), element);
    const ids = [...inputBlockIds(formView({}, MAX_ROWS)), 'junk'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...ids), block), (raw) => {
        const form = readCardForm(raw);
        issuesOf(() => build(form.contact));
      }),
      { numRuns: 300 },
    );
  });
});

describe('blockIdForIssue', () => {
  const rows = { phone: 2, email: 2, address: 3 };

  it.each<[CardIssuePath, string]>([
    [['recipient'], BlockId.Recipient],
    [['contacts', 0, 'formattedName'], BlockId.FormattedName],
    [['contacts', 0, 'firstName'], BlockId.FirstName],
    [['contacts', 0, 'lastName'], BlockId.LastName],
    [['contacts', 0, 'phones', 0, 'number'], rowBlockId('phone', 0, 'number')],
    [['contacts', 0, 'phones', 1, 'number'], rowBlockId('phone', 1, 'number')],
    [['contacts', 0, 'phones', 1, 'type'], rowBlockId('phone', 1, 'type')],
    [['contacts', 0, 'emails', 1, 'address'], rowBlockId('email', 1, 'address')],
    [['contacts', 0, 'addresses', 2, 'countryCode'], rowBlockId('address', 2, 'countryCode')],
    [['contacts', 0, 'addresses', 0, 'zip'], rowBlockId('address', 0, 'zip')],
    [['contacts', 0, 'company'], BlockId.Company],
    [['contacts', 0, 'department'], BlockId.Department],
    [['contacts', 0, 'title'], BlockId.Title],
    [['contacts', 0, 'urls', 0, 'url'], BlockId.Website],
    [['contacts', 0, 'birthday'], BlockId.Birthday],
  ])('maps %j to %s', (path, blockId) => {
    expect(blockIdForIssue(issue(path), rows)).toBe(blockId);
  });

  it.each<[string, CardIssuePath]>([
    ['a phone row the form does not show', ['contacts', 0, 'phones', 2, 'number']],
    ['an email row past MAX_ROWS', ['contacts', 0, 'emails', 7, 'address']],
    ['an unknown field', ['contacts', 0, 'nickname']],
    ['a name part the form has no input for', ['contacts', 0, 'middleName']],
    ['an unknown field of a row', ['contacts', 0, 'phones', 0, 'extension']],
    ['a whole list', ['contacts', 0, 'phones']],
    ['the whole contact', ['contacts', 0]],
    ['the whole message', ['contacts']],
    ['the root', []],
    ['a numeric field', ['contacts', 0, 3]],
  ])('falls back to the name on the card for %s', (_, path) => {
    expect(blockIdForIssue(issue(path), rows)).toBe(BlockId.FormattedName);
  });

  it('maps a row to the form only when the form shows it', () => {
    const path = ['contacts', 0, 'phones', 1, 'number'];
    expect(blockIdForIssue(issue(path), { ...rows, phone: 1 })).toBe(BlockId.FormattedName);
    expect(blockIdForIssue(issue(path), { ...rows, phone: 2 })).toBe(rowBlockId('phone', 1, 'number'));
  });

  it('maps the real issues of a bad submission to the fields that caused them', () => {
    const view = formView({}, { phone: 2, email: 1, address: 1 });
    const answers: Answers = {
      [BlockId.FormattedName]: 'Ana',
      [rowBlockId('phone', 0, 'number')]: '+593 99 123 4567',
      [rowBlockId('phone', 1, 'number')]: 'call me',
      [rowBlockId('email', 0, 'address')]: 'ana@',
      [rowBlockId('address', 0, 'city')]: 'Quito',
      [rowBlockId('address', 0, 'countryCode')]: 'XX',
      [BlockId.Website]: 'ftp://files.example',
    };
    const { contact } = readCardForm(stateValuesFor(view, answers));
    const rowCounts = { phone: 2, email: 1, address: 1 };
    const keys = issuesOf(() => build(contact)).map((i) => blockIdForIssue(i, rowCounts));
    expect(keys.sort()).toEqual(
      [
        rowBlockId('phone', 1, 'number'),
        rowBlockId('email', 0, 'address'),
        rowBlockId('address', 0, 'countryCode'),
        BlockId.Website,
      ].sort(),
    );
  });

  it('every key it returns for a real issue is an input block of the form that produced it', () => {
    const text = fc.oneof(
      fc.constantFrom(
        '',
        '   ',
        'Ana',
        '+593 99 123 4567',
        '099 123 4567',
        '+1 555',
        'call me',
        'ana@example.com',
        'ana@',
        'EC',
        'XX',
        'https://example.com',
        'javascript:alert(1)',
        '1990-05-17',
        '1990-02-30',
        '2999-01-01',
        'bad\u0000text',
        'x'.repeat(300),
      ),
      fc.string({ maxLength: 12 }),
    );
    // Per input: left as it started ('keep'), cleared (null) or typed.
    const answers = (rows: RowCounts) => {
      const ids = inputBlockIds(formView({}, rows));
      return fc
        .tuple(...ids.map(() => fc.oneof(fc.constant('keep' as const), fc.option(text))))
        .map((picked): Answers => {
          const out: Record<string, string | null> = {};
          picked.forEach((answer, i) => {
            const id = ids[i];
            if (id !== undefined && answer !== 'keep') out[id] = answer;
          });
          return out;
        });
    };
    const rowCounts = fc.record({
      phone: fc.integer({ min: 0, max: MAX_ROWS.phone }),
      email: fc.integer({ min: 0, max: MAX_ROWS.email }),
      address: fc.integer({ min: 0, max: MAX_ROWS.address }),
    });
    fc.assert(
      fc.property(
        rowCounts.chain((rows) => fc.tuple(fc.constant(rows), answers(rows))),
        ([rows, typed]) => {
          const view = formView({}, rows);
          const form = readCardForm(stateValuesFor(view, typed));
          const name = typed[BlockId.FormattedName];
          const [first] = form.recipients;
          const recipient = first ? `+${first.id}` : typeof name === 'string' ? name : '';
          const ids = inputBlockIds(view);
          for (const found of issuesOf(() => buildContactsMessage(recipient, [form.contact], { now: NOW }))) {
            expect(ids).toContain(blockIdForIssue(found, rows));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('contactToInput', () => {
  it.each([
    ['a card with every field', JUAN],
    ['a big card', BIG_REALISTIC],
    ['a name alone', { formattedName: 'Ana' }],
    ['first and last name without a display name', { firstName: 'Ana', lastName: 'Ruiz' }],
  ])('%s: rebuilding from contactToInput gives the same body', (_, input) => {
    const message = build(input);
    const rebuilt = message.contacts.map((contact) => build(contactToInput(contact)));
    expect(rebuilt).toEqual([message]);
  });

  it('gives the form what it shows: E.164 phones, types, address parts, the first URL', () => {
    const [contact] = build(JUAN).contacts;
    // As JUAN, but with the phone in the E.164 form it was normalised to.
    expect(contact && contactToInput(contact)).toEqual({
      ...JUAN,
      phones: [{ number: '+525512345678', type: 'Mobile' }],
    });
  });

  it.each([
    ['a card with every field', JUAN],
    ['a big card', BIG_REALISTIC],
    [
      'phones without WhatsApp (marked, a fax) and with an extension',
      {
        formattedName: 'Ana',
        phones: [
          { number: '+593 99 123 4567', type: 'Mobile', noWhatsApp: true },
          { number: '+593 2 298 3200', type: 'Fax' },
          { number: '+1 415 555 0123 ext. 12', type: 'Work' },
        ],
      },
    ],
  ])('%s: Edit from the preview, then Preview untouched, gives the same body', (_, input) => {
    const message = build(input);
    const [contact] = message.contacts;
    if (!contact) throw new Error('no contact');
    const edited = contactToInput(contact);
    const view = formView(edited, rowsFor(edited));
    expect(build(readCardForm(stateValuesFor(view)).contact)).toEqual(message);
  });
});

describe('rowsFor', () => {
  it('shows one row of each kind for an empty card, as a new form does', () => {
    expect(rowsFor({})).toEqual(INITIAL_ROWS);
    expect(rowsFor({ phones: [], emails: [], addresses: [] })).toEqual({ phone: 1, email: 1, address: 1 });
  });

  it('shows as many rows as the card has', () => {
    const phone = { number: '+593 99 123 4567' };
    expect(rowsFor({ phones: [phone, phone, phone], emails: [{}, {}] })).toEqual({
      phone: 3,
      email: 2,
      address: 1,
    });
  });

  it('never shows more than MAX_ROWS', () => {
    const many = <T>(row: T) => Array.from({ length: 20 }, () => row);
    expect(rowsFor({ phones: many({}), emails: many({}), addresses: many({}) })).toEqual(MAX_ROWS);
  });
});

/**
 * Type selects start with a choice made ("Mobile", "Work", "Office") and Slack reports an
 * untouched select's initial_option as its selected_option, so a row left empty still carries a
 * type. It must read as no row, not as a half-filled row the domain refuses.
 */
describe('rows left empty', () => {
  const issuePaths = (contact: ContactInput) => issuesOf(() => build(contact)).map((found) => found.path);

  it('a new form with only the name and a phone filled in is a valid card', () => {
    const view = formView({});
    const answers: Answers = {
      [BlockId.Recipient]: opt('Ana · +593 99 123 4567', RECIPIENT_ID),
      [BlockId.FormattedName]: 'Ana Ruiz',
      [rowBlockId('phone', 0, 'number')]: '+593 99 123 4567',
    };
    expect(issuePaths(readCardForm(stateValuesFor(view, answers)).contact)).toEqual([]);
  });

  it('Edit from the preview of a card without email or address, then Preview untouched, still validates', () => {
    const message = build({ formattedName: 'Ana Ruiz', phones: [{ number: '+593 99 123 4567' }] });
    const [contact] = message.contacts;
    if (!contact) throw new Error('no contact');
    const edited = contactToInput(contact);
    const view = formView(edited, rowsFor(edited));
    expect(issuePaths(readCardForm(stateValuesFor(view)).contact)).toEqual([]);
  });

  it('leaves a row whose only value is its type out of the card, even a type the person picked', () => {
    const view = formView({}, { phone: 2, email: 1, address: 1 });
    const answers: Answers = {
      [BlockId.FormattedName]: 'Ana Ruiz',
      [rowBlockId('phone', 0, 'type')]: opt('Work'),
      [rowBlockId('phone', 1, 'number')]: '   ',
      [rowBlockId('email', 0, 'type')]: opt('Home'),
    };
    const message = build(readCardForm(stateValuesFor(view, answers)).contact);
    expect(message.contacts).toEqual([{ name: { formatted_name: 'Ana Ruiz', first_name: 'Ana Ruiz' } }]);
  });

  it('keeps a row with any value besides its type', () => {
    const view = formView({});
    const { contact } = readCardForm(
      stateValuesFor(view, { [rowBlockId('address', 0, 'countryCode')]: 'EC' }),
    );
    expect(contact.addresses).toEqual([{ countryCode: 'EC', type: 'Office' }]);
  });

  /**
   * Empty rows must keep their place: the domain reports issues by row index, and
   * `blockIdForIssue` turns that index back into the form's row. Were empty rows dropped, an error
   * in phone 2 with phone 1 left empty would show on phone 1, the empty field.
   */
  it('shows an error in a row on that row, when a row above it was left empty', () => {
    const rows = { phone: 2, email: 2, address: 2 };
    const view = formView({}, rows);
    const answers: Answers = {
      [BlockId.FormattedName]: 'Ana Ruiz',
      [rowBlockId('phone', 1, 'number')]: 'call me',
      [rowBlockId('email', 1, 'address')]: 'ana@',
      [rowBlockId('address', 1, 'countryCode')]: 'XX',
    };
    const { contact } = readCardForm(stateValuesFor(view, answers));
    const keys = issuesOf(() => build(contact)).map((found) => blockIdForIssue(found, rows));
    expect(keys.sort()).toEqual(
      [
        rowBlockId('phone', 1, 'number'),
        rowBlockId('email', 1, 'address'),
        rowBlockId('address', 1, 'countryCode'),
      ].sort(),
    );
  });
});
