/**
 * Hostile input against the Slack surface. Any `view.state.values` Slack could send for the card
 * form (and junk it never would), filled with the strangest text people paste, goes through the
 * submission parser and the card builder; every message and view the app builds from what passed
 * is then checked for mrkdwn the app did not write itself and for Slack's limits.
 */
import type { InputBlock } from '@slack/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_TYPES,
  buildContactsMessage,
  CardInvalidError,
  type Contact,
  type ContactInput,
  type ContactsMessage,
  contactsMessageSchema,
  describeCardIssue,
  EMAIL_TYPES,
  MAX_LENGTH,
  PHONE_TYPES,
} from '../../src/card/index.js';
import { blockIdForIssue, contactToInput, readCardForm, rowsFor } from '../../src/slack/form.js';
import { catalogue, LOCALES } from '../../src/slack/i18n/index.js';
import { ActionId, BlockId } from '../../src/slack/ids.js';
import {
  decodeMetadata,
  encodeMetadata,
  MAX_RECIPIENTS,
  MAX_ROWS,
  type PreviewContent,
  previewContentSchema,
  type Recipient,
  type RowCounts,
} from '../../src/slack/metadata.js';
import { escapeMrkdwn } from '../../src/slack/mrkdwn.js';
import { cardFormView } from '../../src/slack/views/card-form.js';
import { OPTION_TEXT_MAX } from '../../src/slack/views/elements.js';
import { historyMessage, homeView } from '../../src/slack/views/history.js';
import { directNotificationMessage, notificationMessage } from '../../src/slack/views/notification.js';
import { previewView } from '../../src/slack/views/preview.js';
import type { SendRecord, SendStatus } from '../../src/store/types.js';
import {
  blockLimitViolations,
  messageLimitViolations,
  modalLimitViolations,
} from '../support/block-kit-limits.js';
import { CHANNEL, inputBlockIds, inputBlocks, stateValuesFor } from '../support/slack-payloads.js';
import { sendRecord } from './helpers.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const OPTIONS = { defaultCountry: 'EC', now: NOW } as const;

// ---------------------------------------------------------------------------------------------
// Text people paste

/** Markup Slack would act on if it reached mrkdwn unescaped, and the characters that make it. */
const INJECTIONS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<@W0ADMIN|admin>',
  '<#C0GENERAL>',
  '<!subteam^S0123|@team>',
  '<!date^1700000000^{date}|x>',
  '<https://evil.example|click>',
  '<mailto:a@evil.example|mail>',
  '&lt;!channel&gt;',
  '&amp;',
  '&#60;',
  '&',
  '<',
  '>',
  '*bold*',
  '_it_',
  '~s~',
  '`code`',
  '```',
  '> quote',
  ':tada:',
  '\\',
  '"',
  '|',
] as const;

/** Marks that change how text reads without showing: bidi marks and overrides, joiners, BOM. */
const INVISIBLES = [
  '\u200E',
  '\u200F',
  '\u061C',
  '\u202E',
  '\u2066',
  '\u2069',
  '\u200D',
  '\u200C',
  '\u200B',
  '\u2060',
  '\uFEFF',
  '\u00AD',
] as const;

const CONTROLS = [
  '\u0000',
  '\u0007',
  '\t',
  '\n',
  '\r',
  '\u000B',
  '\u001B',
  '\u007F',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u00A0',
  '\u3000',
] as const;

/** Emoji with skin tones and joiners, flags, decomposed accents, characters NFC or case changes. */
const UNUSUAL = [
  '👍🏽',
  '👩🏾‍💻',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇪🇨',
  'e\u0301',
  'Ñ',
  'ß',
  'İ',
  'ﬁ',
  '\u2126',
  '\u212A',
  '𝔸',
  '\u{1D15E}',
  'مرحبا',
  'שלום',
] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Anything at all: printable graphemes, any code point, lone surrogates, controls and markup. */
const hostileUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 1, arbitrary: fc.constantFrom(...INVISIBLES) },
  { weight: 1, arbitrary: fc.constantFrom(...CONTROLS) },
  { weight: 2, arbitrary: fc.constantFrom(...UNUSUAL) },
  { weight: 1, arbitrary: loneSurrogate },
);

/** What survives the card's text checks (no controls, overrides or broken UTF-16), still hostile. */
const printableUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 1, arbitrary: fc.constantFrom('\u200E', '\u200F', '\u200D', '\u200C', ' ', '\u00A0', '\u3000') },
  { weight: 2, arbitrary: fc.constantFrom(...UNUSUAL) },
);

/** `unit` strings repeated up to exactly `length` UTF-16 units (the last repeat may be cut). */
const filled = (unit: fc.Arbitrary<string>, length: number) =>
  fc
    .string({ unit, minLength: 1, maxLength: 3 })
    .map((seed) => seed.repeat(Math.ceil(length / seed.length)).slice(0, length));

/** Short hostile text, or a field filled to 3,000 characters (Slack's largest text input). */
const hostile = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: hostileUnit, maxLength: 10 }) },
  { weight: 1, arbitrary: filled(hostileUnit, 3000) },
);

/** Hostile text of at most `max` UTF-16 units, cut without care for surrogate pairs. */
const hostileUpTo = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: hostileUnit, minLength: 1, maxLength: 10 }) },
    { weight: 1, arbitrary: filled(hostileUnit, max) },
  );

/** Text a card accepts that is still full of markup and odd Unicode, up to `max` (a field's limit). */
const printableUpTo = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: printableUnit, minLength: 1, maxLength: 8 }) },
    // BMP-only seeds, so cutting at `max` never leaves half a surrogate pair.
    { weight: 1, arbitrary: filled(fc.constantFrom('&', '<', '>', '<!channel>', 'Ñ', '*'), max) },
  );

// Valid values of the fields the card checks, many of them full of mrkdwn's special characters.
const PHONES = [
  '+593 99 123 4567',
  '099 123 4567',
  '00593991234567',
  '+52 55 1234 5678',
  '+1 213 373 4253',
  '+44 20 7946 0958',
  '+593 (99) 123-4567',
  '\uFF0B593 99 123 4567',
  '٠٩٩١٢٣٤٥٦٧',
] as const;
const EMAILS = [
  'ana@example.com',
  'ANA@EXAMPLE.COM',
  "o'brien&co@example.ie",
  '*bold*@example.com',
  '_it_.~s~@example.com',
  '`code`|{x}@example.com',
  'a+<b>@example.com',
  'x@ex\u212Aample.com',
] as const;
const URLS = [
  'https://example.com',
  'https://example.com/<!channel>',
  'https://example.com/?q=<@U123>&r=<https://evil.example|x>',
  'https://evil.example/|click',
  'http://example.com/&amp;&lt;',
  'https://xn--80ak6aa92e.com/👍🏽',
  'javascript:alert(1)',
  'https://bank.example@evil.example',
] as const;
const DATES = ['1990-05-17', '2000-02-29', '1900-01-01', '1990-02-30', '2999-01-01', '1899-12-31'] as const;
const COUNTRY_CODES = ['EC', 'mx', 'Us', 'XX', 'ıt', 'E C'] as const;
const RECIPIENT_IDS = ['593991234567', '525512345678', '12133734253', '0991234567', '1'] as const;

// ---------------------------------------------------------------------------------------------
// view.state.values

const formView = (rows: RowCounts) => cardFormView({ locale: 'en', channelId: CHANNEL, rows, contact: {} });

/** Every input the form can have (MAX_ROWS), with its element type and action id. */
const FORM_INPUTS = inputBlocks(formView(MAX_ROWS)).map((block: InputBlock) => ({
  blockId: block.block_id ?? '',
  type: block.element.type,
  actionId: ('action_id' in block.element ? block.element.action_id : undefined) ?? '',
}));

type FormInput = (typeof FORM_INPUTS)[number];

/** What a person plausibly leaves in an input: valid text for its field, or nothing (`null`). */
function plausibleFor(input: FormInput): fc.Arbitrary<string | null> {
  const { blockId } = input;
  const maybe = (...values: string[]) => fc.option(fc.constantFrom(...values), { nil: null, freq: 2 });
  if (blockId === BlockId.Recipient)
    return fc.option(fc.constantFrom(...RECIPIENT_IDS.slice(0, 3)), { nil: null, freq: 8 });
  if (blockId === BlockId.FormattedName) return fc.constantFrom('Juan Pérez', 'Ana', 'María José Ñúñez');
  if (/^phone_\d+_number$/u.test(blockId)) return maybe(...PHONES);
  if (/^email_\d+_address$/u.test(blockId)) return maybe(...EMAILS.filter((email) => !email.includes('<')));
  // A type menu always reports its choice: it starts with one and cannot be cleared.
  if (/^phone_\d+_type$/u.test(blockId)) return fc.constantFrom(...PHONE_TYPES);
  if (/^email_\d+_type$/u.test(blockId)) return fc.constantFrom(...EMAIL_TYPES);
  if (/^address_\d+_type$/u.test(blockId)) return fc.constantFrom(...ADDRESS_TYPES);
  if (/_countryCode$/u.test(blockId)) return maybe('EC', 'mx');
  if (/_zip$/u.test(blockId)) return maybe('170150', '01000');
  if (blockId === BlockId.Website) return maybe('https://jelou.ai', URLS[1], URLS[2]);
  if (blockId === BlockId.Birthday) return maybe('1990-05-17', '2000-02-29');
  return maybe('Jelou', 'Quito', 'Calle Principal 123', 'Pérez');
}

/** Odd text for an input: anything at all, hostile text a card may accept, or a wrong value for the field. */
function oddFor(input: FormInput): fc.Arbitrary<string> {
  const { blockId } = input;
  const wrong =
    blockId === BlockId.Recipient
      ? RECIPIENT_IDS
      : /_number$/u.test(blockId)
        ? [...PHONES, '+593 99 123 4567 ext. 2', '12ab', '+999 123']
        : /^email_\d+_address$/u.test(blockId)
          ? [...EMAILS, 'ana@', '@x.com', 'a@b', `${'a'.repeat(65)}@x.com`]
          : /_countryCode$/u.test(blockId)
            ? COUNTRY_CODES
            : blockId === BlockId.Website
              ? URLS
              : blockId === BlockId.Birthday
                ? DATES
                : INJECTIONS;
  return fc.oneof(
    { weight: 2, arbitrary: hostile },
    { weight: 3, arbitrary: printableUpTo(120) },
    { weight: 2, arbitrary: fc.constantFrom(...wrong) },
  );
}

/** An element's state as Slack reports it: text, a picked option (`label` its text) or a date. */
function elementOf(
  input: FormInput,
  value: string | null,
  label: string = value ?? '',
): Record<string, unknown> {
  switch (input.type) {
    case 'plain_text_input':
      return { type: input.type, value };
    case 'datepicker':
      return { type: input.type, selected_date: value };
    default:
      return {
        type: input.type,
        selected_option: value === null ? null : { text: { type: 'plain_text', text: label }, value },
      };
  }
}

/** A structure of any depth, as nothing Slack sends ever is. */
const deeplyNested = fc
  .integer({ min: 20, max: 400 })
  .map((depth) =>
    Array.from({ length: depth }).reduce<unknown>((inner, _, i) => (i % 2 ? [inner] : { a: inner }), null),
  );

/** An element state of the wrong shape: wrong types, missing or extra keys, arrays, nulls, nesting. */
const junkElement: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
  fc.record(
    {
      type: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      value: fc.anything({ maxDepth: 3 }),
      selected_date: fc.anything({ maxDepth: 2 }),
      selected_option: fc.oneof(
        fc.anything({ maxDepth: 3 }),
        fc.record({ value: fc.anything({ maxDepth: 1 }), text: fc.anything({ maxDepth: 2 }) }),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.anything({ maxDepth: 4, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
  deeplyNested,
);

type State = Record<string, unknown>;

/** One change to an otherwise plausible submission. */
type Mutation = (state: State) => void;

const extraKeys = fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }), { maxKeys: 3 });

/** The changes that make a plausible submission hostile, on the input `input`. */
function mutationsOf(input: FormInput): fc.Arbitrary<Mutation> {
  const { blockId, actionId } = input;
  const otherAction = actionId === ActionId.Value ? ActionId.RecipientSelect : ActionId.Value;
  return fc.oneof(
    // Odd text, and for a picked option an odd label too.
    {
      weight: 24,
      arbitrary: fc.tuple(oddFor(input), fc.oneof(oddFor(input), hostile)).map(
        ([value, label]): Mutation =>
          (state) => {
            state[blockId] = { [actionId]: elementOf(input, value, label) };
          },
      ),
    },
    // Keys Slack may add one day to a state of the right shape, and another element in the block.
    {
      weight: 4,
      arbitrary: fc.tuple(extraKeys, oddFor(input)).map(
        ([more, value]): Mutation =>
          (state) => {
            state[blockId] = {
              other_action: { type: 'checkboxes' },
              [actionId]: { ...more, ...elementOf(input, value) },
            };
          },
      ),
    },
    // Left out, cleared, or reported under the other action id.
    { weight: 2, arbitrary: fc.constant<Mutation>((state) => void delete state[blockId]) },
    {
      weight: 2,
      arbitrary: fc.constant<Mutation>((state) => {
        state[blockId] = { [actionId]: elementOf(input, null) };
      }),
    },
    {
      weight: 2,
      arbitrary: oddFor(input).map(
        (value): Mutation =>
          (state) => {
            state[blockId] = { [otherAction]: elementOf(input, value) };
          },
      ),
    },
    // A state of the wrong shape (the whole form then reads as empty), or a block that is not one.
    {
      weight: 1,
      arbitrary: junkElement.map(
        (junk): Mutation =>
          (state) => {
            state[blockId] = { [actionId]: junk };
          },
      ),
    },
    {
      weight: 1,
      arbitrary: junkElement.map(
        (junk): Mutation =>
          (state) => {
            state[blockId] = junk;
          },
      ),
    },
  );
}

/** Blocks the form never had: another element type, or junk. */
const unknownBlock = fc
  .tuple(
    fc.string({ maxLength: 12 }),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant({ x: { type: 'button' } }) },
      { weight: 1, arbitrary: junkElement },
    ),
  )
  .map(
    ([blockId, block]): Mutation =>
      (state) => {
        if (!FORM_INPUTS.some((input) => input.blockId === blockId)) state[blockId] = block;
      },
  );

/** A plausible submission of the form at its largest: every input reported, as Slack does. */
const plausibleState: fc.Arbitrary<State> = fc.tuple(...FORM_INPUTS.map(plausibleFor)).map((values) => {
  const state: State = {};
  FORM_INPUTS.forEach((input, i) => {
    const value = values[i] ?? null;
    const label = input.blockId === BlockId.Recipient ? 'María López · +593 99 123 4567' : undefined;
    state[input.blockId] = { [input.actionId]: elementOf(input, value, label) };
  });
  return state;
});

/** A JSON body with `__proto__` as an own key, as JSON.parse makes it from what arrives on the wire. */
const PROTO_SMUGGLING: unknown = JSON.parse(
  `{"__proto__": {"${BlockId.FormattedName}": {"${ActionId.Value}": {"type": "plain_text_input", "value": "<!channel>"}}},
    "${BlockId.FormattedName}": {"__proto__": {"type": "plain_text_input", "value": "<!here>"}}}`,
);

/**
 * `view.state.values` Slack could send for the form at its largest, made hostile by a few changes
 * (odd text, extra keys, missing inputs, wrong shapes, unknown blocks); now and then something
 * that is no state at all.
 */
const stateValues: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc
      .tuple(
        plausibleState,
        fc.array(fc.oneof(...FORM_INPUTS.map(mutationsOf)), { maxLength: 5 }),
        fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: unknownBlock }),
      )
      .map(([state, changes, unknown]) => {
        for (const change of changes) change(state);
        unknown?.(state);
        return state;
      }),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true }) },
  { weight: 1, arbitrary: fc.constant(PROTO_SMUGGLING) },
);

/** The form's row counts as private_metadata says; the state may hold more rows than the view shows. */
const rowCounts: fc.Arbitrary<RowCounts> = fc.record({
  phone: fc.integer({ min: 0, max: MAX_ROWS.phone }),
  email: fc.integer({ min: 0, max: MAX_ROWS.email }),
  address: fc.integer({ min: 0, max: MAX_ROWS.address }),
});

/** The card as the submission listener builds it; `CardInvalidError` is the only refusal allowed. */
function submit(raw: unknown): {
  form: ReturnType<typeof readCardForm>;
  built: ContactsMessage | CardInvalidError;
} {
  const form = readCardForm(raw);
  const [first] = form.recipients;
  const recipient = first ? `+${first.id}` : '';
  try {
    return { form, built: buildContactsMessage(recipient, [form.contact], OPTIONS) };
  } catch (error) {
    if (error instanceof CardInvalidError) return { form, built: error };
    throw error;
  }
}

describe('the submission parser and the card builder, for any state Slack could send', () => {
  it('refuse only with CardInvalidError; what they build is on the wire schema and round-trips as JSON', () => {
    fc.assert(
      fc.property(stateValues, (raw) => {
        const { built } = submit(raw);
        if (built instanceof CardInvalidError) {
          expect(built.issues.length).toBeGreaterThan(0);
          return;
        }
        expect(contactsMessageSchema.safeParse(built).success).toBe(true);
        expect(JSON.parse(JSON.stringify(built))).toEqual(built);
      }),
      { numRuns: 2500 },
    );
  });

  it('put every inline error on an input block of the form that was submitted, in words', () => {
    fc.assert(
      fc.property(rowCounts, stateValues, (rows, raw) => {
        const { built } = submit(raw);
        if (!(built instanceof CardInvalidError)) return;
        const inputs = new Set(inputBlockIds(formView(rows)));
        for (const issue of built.issues) {
          const blockId = blockIdForIssue(issue, rows);
          expect(inputs, `${JSON.stringify(issue.path)} → ${blockId}`).toContain(blockId);
          expect(describeCardIssue(issue, 'en')).toMatch(/^\S.{5,}[.)]$/u);
          expect(describeCardIssue(issue, 'es')).toMatch(/^\S.{5,}[.)]$/u);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('carry what the preview showed to Send unchanged: the metadata decodes to the same card, which Send accepts', () => {
    fc.assert(
      fc.property(stateValues, (raw) => {
        const { form, built } = submit(raw);
        // Slack cuts an option's text at 75 characters, so a longer label never arrives from Slack.
        const [first] = form.recipients;
        if (built instanceof CardInvalidError || !first) return;
        if (first.label.length > OPTION_TEXT_MAX) return;
        const preview: PreviewContent = {
          channelId: CHANNEL,
          recipients: [{ id: built.userId, label: first.label }],
          contacts: built.contacts,
        };
        const encoded = encodeMetadata(preview);
        if (encoded === undefined) return;
        const decoded = decodeMetadata(previewContentSchema, encoded);
        expect(decoded).toEqual(preview);
        const resent = { type: 'contacts', userId: decoded?.recipients[0]?.id, contacts: decoded?.contacts };
        expect(contactsMessageSchema.safeParse(resent).success).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// What the app shows

/** Every mrkdwn text in a message or view: each `{ type: 'mrkdwn', text }` object. */
function mrkdwnTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) mrkdwnTexts(item, out);
  } else if (typeof node === 'object' && node !== null) {
    if ('type' in node && node.type === 'mrkdwn' && 'text' in node && typeof node.text === 'string') {
      out.push(node.text);
    }
    for (const value of Object.values(node)) mrkdwnTexts(value, out);
  }
  return out;
}

/**
 * The only markup the app writes itself: a mention of the requester, a `<!date^…|…>` timestamp
 * with the ISO time as its fallback, a link to the channel the card was asked for in.
 */
const APP_MARKUP =
  /<@[UW][A-Z0-9]+>|<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z>|<#[CDG][A-Z0-9]+>/gu;

/**
 * What is wrong with one mrkdwn text: markup the app did not build for this input (`allowed`), a
 * raw `<` or `>` anywhere else, or an `&` that does not start one of the three entities.
 */
function unescaped(text: string, allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const rest = text.replace(APP_MARKUP, (token) => {
    if (!allowed.has(token)) problems.push(`markup the app did not build here: ${token}`);
    return '';
  });
  if (/[<>]/u.test(rest)) problems.push(`raw < or > in ${JSON.stringify(text.slice(0, 300))}`);
  if (/&(?!amp;|lt;|gt;)/u.test(rest)) problems.push(`raw & in ${JSON.stringify(text.slice(0, 300))}`);
  return problems;
}

/** Every problem of every mrkdwn text in `node` (and in `extra`, e.g. a message's top-level text). */
function unescapedIn(
  node: unknown,
  allowed: ReadonlySet<string> = new Set(),
  extra: string[] = [],
): string[] {
  return [...mrkdwnTexts(node), ...extra].flatMap((text) => unescaped(text, allowed));
}

/** A row's type: one the form offers, or any (a label a person could not leave blank). */
const rowType = fc.oneof(
  fc.constantFrom(...PHONE_TYPES, ...ADDRESS_TYPES),
  printableUpTo(MAX_LENGTH.label - 1).map((label) => `T${label}`),
);

/** Characters mrkdwn escaping makes longest (`&` → `&amp;`), to push the views to Slack's limits. */
const escapedFiveTimes = fc.constantFrom('&', '<', '>', '&<>', '<!channel>');

/** An address as typed: hostile text, any part left out. */
const address = fc.record(
  {
    street: printableUpTo(MAX_LENGTH.street),
    city: printableUpTo(MAX_LENGTH.city),
    state: printableUpTo(MAX_LENGTH.state),
    zip: printableUpTo(MAX_LENGTH.zip),
    country: printableUpTo(MAX_LENGTH.country),
    countryCode: fc.constantFrom('EC', 'MX', 'US'),
    type: rowType,
  },
  { requiredKeys: ['city', 'type'] },
);

/** Every part of an address at its longest, all of `seed`: the longest line a preview can show. */
function fullAddress(seed: string, type: string) {
  const part = (max: number) => seed.repeat(Math.ceil(max / seed.length)).slice(0, max);
  return {
    street: part(MAX_LENGTH.street),
    city: part(MAX_LENGTH.city),
    state: part(MAX_LENGTH.state),
    zip: part(MAX_LENGTH.zip),
    country: part(MAX_LENGTH.country),
    countryCode: 'EC',
    type,
  };
}

/** A web address up to the 2,048 characters a card allows, its query full of what escaping lengthens. */
const longUrl = fc
  .tuple(escapedFiveTimes, fc.integer({ min: 100, max: MAX_LENGTH.url }))
  .map(([seed, length]) => `https://example.com/?q=${seed.repeat(length)}`.slice(0, length));

/**
 * The card as typed into the form: hostile text a card accepts, valid phones, emails and URLs. Every
 * row has a type, as on the form, whose type menus start with a choice made and cannot be cleared.
 */
const typedCard: fc.Arbitrary<ContactInput> = fc.record(
  {
    formattedName: printableUpTo(MAX_LENGTH.name),
    firstName: printableUpTo(MAX_LENGTH.name),
    lastName: printableUpTo(MAX_LENGTH.name),
    phones: fc.array(
      fc.record({ number: fc.constantFrom(...PHONES), type: rowType }, { requiredKeys: ['number', 'type'] }),
      { maxLength: MAX_ROWS.phone },
    ),
    emails: fc.array(
      fc.record(
        { address: fc.constantFrom(...EMAILS.filter((email) => !email.includes('\u212A'))), type: rowType },
        { requiredKeys: ['address', 'type'] },
      ),
      { maxLength: MAX_ROWS.email },
    ),
    addresses: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: address },
        {
          weight: 1,
          arbitrary: fc.tuple(escapedFiveTimes, rowType).map(([seed, type]) => fullAddress(seed, type)),
        },
      ),
      { maxLength: MAX_ROWS.address },
    ),
    company: printableUpTo(MAX_LENGTH.org),
    department: printableUpTo(MAX_LENGTH.org),
    title: printableUpTo(MAX_LENGTH.org),
    urls: fc.oneof(fc.constantFrom(...URLS.slice(0, 6)), longUrl).map((url) => [{ url }]),
    birthday: fc.constantFrom(...DATES.slice(0, 3)),
  },
  { requiredKeys: ['formattedName'] },
);

/** A contact that builds from a typed card; cards the builder refuses are skipped. */
const contact: fc.Arbitrary<Contact> = typedCard
  .map((input) => {
    try {
      return buildContactsMessage('+593991234567', [input], OPTIONS).contacts[0];
    } catch (error) {
      if (error instanceof CardInvalidError) return undefined;
      throw error;
    }
  })
  .filter((built): built is Contact => built !== undefined);

/** What the picker can name a recipient: up to the 200 characters the preview's metadata allows. */
const recipientLabel = fc.oneof(
  fc.constant('María López · +593 99 123 4567'),
  hostileUpTo(OPTION_TEXT_MAX),
  hostileUpTo(200),
);

const userId = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[UW][A-Z0-9]{2,12}$/u) },
  { weight: 1, arbitrary: fc.constantFrom('U123><!channel', '<!here>', 'u0alice', 'U0 ALICE', '') },
  { weight: 1, arbitrary: hostileUpTo(40) },
);

const STATUSES: readonly SendStatus[] = ['pending', 'sending', 'sent', 'failed', 'unknown', 'awaiting_reply'];

/** Either language the UI speaks. */
const locale = fc.constantFrom(...LOCALES);

/** A send as the store could hold it: names from cards that built, or anything at all. */
const send: fc.Arbitrary<SendRecord> = fc
  .record({
    id: fc.uuid(),
    status: fc.constantFrom(...STATUSES),
    dryRun: fc.boolean(),
    attempts: fc.integer({ min: 1, max: 9 }),
    requestedBy: userId,
    locale,
    channelId: fc.stringMatching(/^[CDG][A-Z0-9]{2,12}$/u),
    recipientLabel,
    cardName: fc.oneof(
      contact.map((c) => c.name.formatted_name),
      contact.map((c) => `${c.name.formatted_name} +2`),
      hostileUpTo(MAX_LENGTH.name + 3),
    ),
    // Jelou's message ids and reasons have no documented length: anything, up to 3,000 characters.
    messageId: fc.option(hostile, { nil: undefined }),
    reason: fc.option(fc.record({ en: hostile, es: hostile }), { nil: undefined }),
    createdAt: fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2035-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString()),
  })
  .map((fields) => sendRecord({ ...fields, updatedAt: fields.createdAt }));

/** The `<!date^…>` token the history shows for a send, the one date markup allowed there. */
function dateToken(record: SendRecord): string {
  const seconds = Math.floor(Date.parse(record.createdAt) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${record.createdAt}>`;
}

/** The mention of the requester, the only one a notification may carry. */
function mentionOf(record: SendRecord): string[] {
  return /^[UW][A-Z0-9]+$/u.test(record.requestedBy) ? [`<@${record.requestedBy}>`] : [];
}

describe('every text the app shows, for anything that passed', () => {
  it('the preview of any card, to one person or twenty, escapes everything and fits Slack', () => {
    fc.assert(
      fc.property(
        fc.array(contact, { minLength: 1, maxLength: 3 }),
        fc.array(recipientLabel, { minLength: 1, maxLength: MAX_RECIPIENTS }),
        locale,
        (contacts, labels, language) => {
          const metadata: PreviewContent = {
            channelId: CHANNEL,
            recipients: labels.map((label, i) => ({ id: `5939${1_000_000 + i}`, label })),
            contacts,
          };
          // What does not fit the metadata travels as a draft, and the metadata names the draft.
          const privateMetadata =
            encodeMetadata(metadata) ?? JSON.stringify({ draftId: '6f1c3a52-8d4e-4b7a-9c1f-2e5d7a9b0c13' });
          const view = previewView({ locale: language, recipientLabels: labels, contacts, privateMetadata });
          expect(unescapedIn(view.blocks)).toEqual([]);
          expect(modalLimitViolations(view)).toEqual([]);
        },
      ),
      { numRuns: 700 },
    );
  });

  it('Edit from the preview gives a form within Slack limits that reads back to the same card', () => {
    fc.assert(
      fc.property(contact, recipientLabel, hostileUpTo(150), locale, (card, label, typed, language) => {
        const input = contactToInput(card);
        const recipient: Recipient = { id: '593991234567', label };
        // The command's hint quotes what was typed, escaped, as the command listener builds it.
        const hint = catalogue(language).command.hint(escapeMrkdwn(typed.slice(0, 100)));
        const view = cardFormView({
          locale: language,
          channelId: CHANNEL,
          rows: rowsFor(input),
          contact: input,
          recipients: [recipient],
          hint,
        });
        expect(unescapedIn(view.blocks)).toEqual([]);
        expect(modalLimitViolations(view)).toEqual([]);
        const again = buildContactsMessage(
          '+593991234567',
          [readCardForm(stateValuesFor(view)).contact],
          OPTIONS,
        );
        expect(again.contacts).toEqual([card]);
      }),
      { numRuns: 500 },
    );
  });

  it('every notification, in every state and both languages, mentions only the requester and fits a message', () => {
    fc.assert(
      fc.property(send, (record) => {
        const inChannel = notificationMessage(record);
        expect(unescapedIn(inChannel.blocks, new Set(mentionOf(record)), [inChannel.text])).toEqual([]);
        expect(messageLimitViolations(inChannel)).toEqual([]);

        const direct = directNotificationMessage(record);
        const allowed = new Set([...mentionOf(record), `<#${record.channelId}>`]);
        expect(unescapedIn(direct.blocks, allowed, [direct.text])).toEqual([]);
        expect(messageLimitViolations(direct)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("a batch's summary, for any up to twenty sends in any states, mentions only the requester and fits a message", () => {
    const batch = fc
      .tuple(fc.array(send, { minLength: 1, maxLength: MAX_RECIPIENTS }), userId, locale)
      .map(([sends, requestedBy, language]) =>
        // A batch's sends share their requester, channel, card name and language.
        sends.map((record) => ({
          ...record,
          batchId: 'batch-1',
          requestedBy,
          locale: language,
          channelId: sends[0]?.channelId ?? record.channelId,
          cardName: sends[0]?.cardName ?? record.cardName,
        })),
      );
    fc.assert(
      fc.property(batch, (sends) => {
        const [first] = sends;
        if (!first) return;
        const inChannel = notificationMessage(first, sends);
        expect(inChannel.blocks.length).toBeGreaterThan(sends.length);
        expect(unescapedIn(inChannel.blocks, new Set(mentionOf(first)), [inChannel.text])).toEqual([]);
        expect(messageLimitViolations(inChannel)).toEqual([]);

        const direct = directNotificationMessage(first, sends);
        const allowed = new Set([...mentionOf(first), `<#${first.channelId}>`]);
        expect(unescapedIn(direct.blocks, allowed, [direct.text])).toEqual([]);
        expect(messageLimitViolations(direct)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('the history and the App Home show only their own timestamps and fit Slack', () => {
    const counts = fc.record({
      pending: fc.nat(),
      sending: fc.nat(),
      sent: fc.nat(),
      failed: fc.nat(),
      unknown: fc.nat(),
      awaiting_reply: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(send, { maxLength: 10 }), counts, locale, (sends, statusCounts, language) => {
        const dates = new Set(sends.map(dateToken));
        const history = historyMessage(sends, language);
        expect(unescapedIn(history.blocks, dates, [history.text])).toEqual([]);
        expect(messageLimitViolations(history)).toEqual([]);

        const home = homeView(sends, statusCounts, language);
        expect(unescapedIn(home.blocks, dates)).toEqual([]);
        expect(blockLimitViolations(home.blocks, 100)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
