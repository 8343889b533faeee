/**
 * Property tests: (a) whatever valid input a person could type, the message built from it passes
 * the wire schema; (b) whatever garbage arrives, the only thing thrown is a CardInvalidError.
 */
import fc from 'fast-check';
import type { CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import {
  buildContactsMessage,
  CARD_ISSUE_CODES,
  CardInvalidError,
  contactsMessageSchema,
  describeCardIssue,
  ISO_COUNTRY_CODES,
  MAX_LENGTH,
  parseContact,
  parseContacts,
  parseRecipient,
} from '../../src/card/index.js';
import { NOW } from './helpers.js';

const RUNS = 1000;

/** Numbers known to be valid, each with how it is written at home. */
const KNOWN_NUMBERS: readonly { e164: string; country: CountryCode; national?: string }[] = [
  { e164: '+593991234567', country: 'EC', national: '099 123 4567' },
  { e164: '+59322983200', country: 'EC', national: '02 298 3200' },
  { e164: '+525512345678', country: 'MX', national: '55 1234 5678' },
  { e164: '+12133734253', country: 'US', national: '(213) 373-4253' },
  { e164: '+442079460958', country: 'GB', national: '020 7946 0958' },
  { e164: '+34612345678', country: 'ES', national: '612 34 56 78' },
  { e164: '+5511912345678', country: 'BR', national: '(11) 91234-5678' },
  { e164: '+573101234567', country: 'CO', national: '310 1234567' },
  { e164: '+51912345678', country: 'PE', national: '912 345 678' },
  { e164: '+4915123456789', country: 'DE', national: '01512 3456789' },
  { e164: '+819012345678', country: 'JP', national: '090-1234-5678' },
  { e164: '+61412345678', country: 'AU', national: '0412 345 678' },
  { e164: '+2348031234567', country: 'NG', national: '0803 123 4567' },
  { e164: '+5491112345678', country: 'AR' },
  { e164: '+919876543210', country: 'IN' },
  { e164: '+8613800138000', country: 'CN' },
  { e164: '+80012345678', country: 'US' },
];
const DEFAULT_COUNTRIES = [...new Set(KNOWN_NUMBERS.map((n) => n.country))];

const SEPARATORS = ['', '', ' ', '-', '.', '  '];

/** The digits of `text` with random separators between them, as people space numbers. */
const spaced = (digits: string) =>
  fc
    .array(fc.constantFrom(...SEPARATORS), { minLength: digits.length, maxLength: digits.length })
    .map((gaps) => [...digits].map((digit, i) => (i === 0 ? digit : `${gaps[i]}${digit}`)).join(''));

/** A known number typed in some international way, or nationally when the default country allows. */
const typedNumber = (defaultCountry: CountryCode) =>
  fc.constantFrom(...KNOWN_NUMBERS).chain((known) => {
    const digits = known.e164.slice(1);
    const ways = [
      spaced(digits).map((s) => `+${s}`),
      spaced(digits).map((s) => `00${s}`),
      fc.constant(known.e164),
    ];
    if (known.national !== undefined && known.country === defaultCountry) {
      ways.push(fc.constant(known.national), spaced(known.national.replace(/\D/gu, '')));
    }
    return fc.oneof(...ways).map((number) => ({ number, e164: known.e164 }));
  });

/** Padding a person might leave around a value. */
const padding = fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00A0', '\u200B');

/** Printable text of any script, non-blank, without control characters, short enough for `max`. */
const text = (max: number) =>
  fc
    .tuple(padding, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }), padding)
    .filter(
      ([, core]) =>
        /[^\s\u200B\u2060\uFEFF]/u.test(core) && !/[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u.test(core),
    )
    .filter(([, core]) => core.length <= max)
    .map(([before, core, after]) => `${before}${core}${after}`);

/** An empty value in one of the forms Slack, a CLI or a job might send. */
const blank = fc.constantFrom('', '   ', null, undefined);

/** Either a value or an empty field. */
const maybe = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: blank });

const label = maybe(text(MAX_LENGTH.label));

const email = fc
  .emailAddress()
  .filter((address) => address.length <= MAX_LENGTH.email)
  .chain((address) =>
    fc.constantFrom(
      address,
      address.toUpperCase().replace(/^.*@/u, (local) => local.toLowerCase()),
    ),
  );

const countryCode = fc
  .constantFrom(...ISO_COUNTRY_CODES)
  .chain((code) => fc.constantFrom(code, code.toLowerCase(), ` ${code} `));

const birthday = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: NOW, noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

const url = fc
  .webUrl({ withQueryParameters: true, withFragments: true })
  .filter((u) => u.length <= MAX_LENGTH.url);

const contactInput = (defaultCountry: CountryCode) =>
  fc
    .record(
      {
        formattedName: maybe(text(MAX_LENGTH.name)),
        firstName: maybe(text(40)),
        lastName: maybe(text(40)),
        middleName: maybe(text(20)),
        prefix: maybe(text(10)),
        suffix: maybe(text(10)),
        phones: fc.array(fc.record({ typed: typedNumber(defaultCountry), type: label }), { maxLength: 4 }),
        emails: fc.array(fc.record({ address: email, type: label }), { maxLength: 3 }),
        addresses: fc.array(
          fc.record({
            street: text(MAX_LENGTH.street),
            city: maybe(text(MAX_LENGTH.city)),
            state: maybe(text(MAX_LENGTH.state)),
            zip: maybe(text(MAX_LENGTH.zip)),
            country: maybe(text(MAX_LENGTH.country)),
            countryCode: maybe(countryCode),
            type: label,
          }),
          { maxLength: 2 },
        ),
        company: maybe(text(MAX_LENGTH.org)),
        department: maybe(text(MAX_LENGTH.org)),
        title: maybe(text(MAX_LENGTH.org)),
        urls: fc.array(fc.record({ url, type: label }), { maxLength: 2 }),
        birthday: maybe(birthday),
      },
      { requiredKeys: ['phones', 'emails', 'addresses', 'urls'] },
    )
    // Every card needs some name; one is always given here, the others come and go.
    .chain((card) => text(40).map((firstName) => ({ ...card, firstName })))
    .map((card) => {
      const { phones, ...rest } = card;
      // Not a ContactInput: blanks include `null`, as Slack and JSON send them.
      const input = { ...rest, phones: phones.map((p) => ({ number: p.typed.number, type: p.type })) };
      return { input, e164s: phones.map((p) => p.typed.e164) };
    });

describe('valid input (property)', () => {
  it('always builds a message that passes the wire schema, with the numbers typed', () => {
    const scenario = fc.constantFrom(...DEFAULT_COUNTRIES).chain((defaultCountry) =>
      fc.record({
        defaultCountry: fc.constant(defaultCountry),
        recipient: typedNumber(defaultCountry),
        contacts: fc.array(contactInput(defaultCountry), { minLength: 1, maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ defaultCountry, recipient, contacts }) => {
        const body = buildContactsMessage(
          recipient.number,
          contacts.map((c) => c.input),
          { defaultCountry, now: NOW },
        );
        expect(contactsMessageSchema.safeParse(body).success).toBe(true);
        expect(body.userId).toBe(recipient.e164.slice(1));
        expect(body.contacts.map((c) => (c.phones ?? []).map((p) => p.phone))).toEqual(
          contacts.map((c) => c.e164s),
        );
      }),
      { numRuns: RUNS },
    );
  });
});

/** Runs `parse`; anything thrown must be a CardInvalidError whose issues all have sentences. */
function throwsOnlyCardErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(CardInvalidError);
    if (!(error instanceof CardInvalidError)) return;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(CARD_ISSUE_CODES).toContain(issue.code);
      expect(describeCardIssue(issue, 'en')).not.toBe('');
      expect(describeCardIssue(issue, 'es')).not.toBe('');
    }
  }
}

// Strings of every kind: any UTF-16 code unit (lone surrogates included), any script, ASCII noise.
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('0', '9', '+', ' ', '(', ')', '-', '.', '\u0000', '\uD800'),
    maxLength: 30,
  }),
);
const anyValue = fc.oneof(anyString, fc.anything());
const row = (keys: readonly string[]) =>
  fc.oneof(fc.dictionary(fc.constantFrom(...keys, 'extra'), anyValue), fc.anything());
const rows = (keys: readonly string[]) => fc.oneof(fc.array(row(keys), { maxLength: 4 }), anyValue);

/** Objects shaped roughly like a card, with every value possibly of the wrong type or content. */
const nearlyACard = fc.record(
  {
    formattedName: anyValue,
    firstName: anyValue,
    lastName: anyValue,
    phones: rows(['number', 'type']),
    emails: rows(['address', 'type']),
    addresses: rows(['street', 'city', 'state', 'zip', 'country', 'countryCode', 'type']),
    company: anyValue,
    urls: rows(['url', 'type']),
    birthday: anyValue,
    nickname: anyValue,
  },
  { requiredKeys: [] },
);

describe('garbage input (property)', () => {
  it('parseContact throws nothing but CardInvalidError for anything', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), nearlyACard), (input) =>
        throwsOnlyCardErrors(() => parseContact(input)),
      ),
      { numRuns: RUNS },
    );
  });

  it('parseContacts throws nothing but CardInvalidError for anything', () => {
    const inputs = fc.oneof(fc.anything(), fc.array(fc.oneof(nearlyACard, fc.anything()), { maxLength: 3 }));
    fc.assert(
      fc.property(inputs, (value) =>
        throwsOnlyCardErrors(() => parseContacts(value, { defaultCountry: 'EC' })),
      ),
      { numRuns: RUNS },
    );
  });

  it('parseRecipient throws nothing but CardInvalidError for anything', () => {
    fc.assert(
      fc.property(
        anyValue,
        fc.constantFrom<CountryCode | undefined>(undefined, 'EC', 'US'),
        (text, defaultCountry) => throwsOnlyCardErrors(() => parseRecipient(text, { defaultCountry })),
      ),
      { numRuns: RUNS },
    );
  });

  it('buildContactsMessage throws nothing but CardInvalidError for any strings and contacts', () => {
    fc.assert(
      fc.property(
        anyString,
        fc.oneof(fc.anything(), fc.array(nearlyACard, { maxLength: 2 })),
        (recipient, contacts) => throwsOnlyCardErrors(() => buildContactsMessage(recipient, contacts)),
      ),
      { numRuns: RUNS },
    );
  });
});
