/**
 * Property tests of vCard files: (a) a card sent and written with `toVcf` reads back as the same
 * card; (b) whatever text arrives, `parseVcf` throws nothing but a VcardError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countryCodeFromName } from '../../src/card/countries.js';
import {
  buildContactsMessage,
  type Contact,
  type ContactInput,
  ISO_COUNTRY_CODES,
  MAX_LENGTH,
} from '../../src/card/index.js';
import { parseVcf, toVcf, VcardError } from '../../src/card/vcard.js';
import { NOW } from './helpers.js';

const RUNS = 500;

/** Numbers known to be valid. */
const NUMBERS = ['+593991234567', '+59322983200', '+525512345678', '+12133734253', '+34612345678'];

/** Characters vCard must escape or that break naive parsers, next to text of every script. */
const tricky = fc.constantFrom(
  ';',
  ',',
  '\\',
  ':',
  '"',
  '=',
  '\\;',
  '\\n',
  'ñ',
  '🐉',
  '漢字',
  'é',
  ' ',
  '=C3',
);

/** Non-blank printable text that cleans to itself or to something the card accepts. */
const text = (max: number) =>
  fc
    .array(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), tricky), {
      minLength: 1,
      maxLength: 6,
    })
    .map((parts) => parts.join(''))
    .filter(
      (value) =>
        /[^\s\u200B\u2060\uFEFF]/u.test(value) &&
        !/[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u.test(value) &&
        value.normalize('NFC').trim().length <= max,
    );

const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });

/** The app's own labels (written as TYPE) or any other text (written as X-ABLabel). */
const label = (own: readonly string[]) => maybe(fc.oneof(fc.constantFrom(...own), text(MAX_LENGTH.label)));

const contactInput: fc.Arbitrary<ContactInput> = fc.record(
  {
    formattedName: text(MAX_LENGTH.name),
    firstName: text(40),
    lastName: text(40),
    middleName: text(20),
    prefix: text(10),
    suffix: text(10),
    phones: fc.array(
      fc.record({
        number: fc.constantFrom(...NUMBERS),
        type: label(['Mobile', 'Work', 'Home', 'Main', 'iPhone']),
      }),
      { maxLength: 3 },
    ),
    emails: fc.array(
      fc.record({
        address: fc.emailAddress().filter((address) => address.length <= MAX_LENGTH.email),
        type: label(['Work', 'Home']),
      }),
      { maxLength: 2 },
    ),
    addresses: fc.array(
      fc.record(
        {
          street: text(MAX_LENGTH.street),
          city: text(MAX_LENGTH.city),
          state: text(MAX_LENGTH.state),
          zip: text(MAX_LENGTH.zip),
          country: fc.oneof(text(MAX_LENGTH.country), fc.constantFrom('Ecuador', 'México', 'España')),
          countryCode: fc.constantFrom(...ISO_COUNTRY_CODES),
          type: label(['Office', 'Home']),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    company: text(MAX_LENGTH.org),
    department: text(MAX_LENGTH.org),
    title: text(MAX_LENGTH.org),
    urls: fc.array(
      fc.record({
        url: fc.webUrl({ withQueryParameters: true, withFragments: true }).filter((u) => u.length <= 300),
        type: label(['Work', 'Home']),
      }),
      { maxLength: 2 },
    ),
    birthday: fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: NOW, noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10)),
  },
  { requiredKeys: ['firstName'] },
);

const build = (contacts: readonly ContactInput[]) =>
  buildContactsMessage('+593991234567', contacts, { defaultCountry: 'EC', now: NOW }).contacts;

/**
 * What reading a written card gives back: the card itself, except that an address naming a
 * country the reader recognises, without a code, gains that country's code.
 */
function expectedBack(contact: Contact): Contact {
  if (contact.addresses === undefined) return contact;
  const addresses = contact.addresses.map((address) => {
    const code =
      address.country_code ??
      (address.country === undefined ? undefined : countryCodeFromName(address.country));
    return code === undefined ? address : { ...address, country_code: code };
  });
  return { ...contact, addresses };
}

describe('toVcf then parseVcf (property)', () => {
  it('gives back the contacts that were sent', () => {
    fc.assert(
      fc.property(fc.array(contactInput, { minLength: 1, maxLength: 3 }), (inputs) => {
        const sent = build(inputs);
        const { contacts, skipped } = parseVcf(toVcf(sent));
        expect(skipped).toEqual([]);
        expect(build(contacts)).toEqual(sent.map(expectedBack));
      }),
      { numRuns: RUNS },
    );
  });

  it('writes no physical line over 75 octets', () => {
    fc.assert(
      fc.property(fc.array(contactInput, { minLength: 1, maxLength: 2 }), (inputs) => {
        for (const line of toVcf(build(inputs)).split('\r\n')) {
          expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Runs `parseVcf`; anything thrown must be a VcardError. */
function throwsOnlyVcardErrors(text: string): void {
  try {
    const { contacts } = parseVcf(text);
    expect(contacts.length).toBeGreaterThan(0);
  } catch (error) {
    expect(error).toBeInstanceOf(VcardError);
  }
}

const VCARD_LINES = [
  'BEGIN:VCARD',
  'END:VCARD',
  'VERSION:2.1',
  'VERSION:3.0',
  'VERSION:4.0',
  'FN:Ana',
  'N:Pérez;Ana;;;',
  'TEL;TYPE=CELL:+593991234567',
  'TEL;CELL;PREF:099',
  'item1.TEL:+1',
  'item1.X-ABLabel:_$!<Mobile>!$_',
  'ADR;TYPE=WORK:;;a;b;c;d;e',
  'ORG:a;b;c',
  'BDAY:--0517',
  'BDAY:19900517',
  'N;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=B1=',
  'FN;ENCODING=QUOTED-PRINTABLE:=',
  'TEL;VALUE=uri:tel:+57',
  'URL:http\\://x',
  'PHOTO;ENCODING=b:AAAA',
  ' folded',
  '\tfolded',
  '',
  'BEGIN:VCALENDAR',
  'X-ABADR:zz',
  'TEL;TYPE="cell,voice:+1',
  'ADR;LABEL="a:b";TYPE=home:;;x',
  ';;;',
  ':',
  '=',
];

/** Line soup from real vCard lines and random text, with random line ends. */
const vcardish = fc
  .array(fc.oneof(fc.constantFrom(...VCARD_LINES), fc.string({ unit: 'binary', maxLength: 30 })), {
    maxLength: 30,
  })
  .chain((lines) => fc.constantFrom('\r\n', '\n', '\r').map((end) => lines.join(end)));

describe('parseVcf on anything (property)', () => {
  it('throws nothing but VcardError for random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        throwsOnlyVcardErrors,
      ),
      { numRuns: 1000 },
    );
  });

  it('throws nothing but VcardError for text shaped like vCards', () => {
    fc.assert(fc.property(vcardish, throwsOnlyVcardErrors), { numRuns: 3000 });
  });

  it('throws nothing but VcardError for written cards with bytes changed', () => {
    const mutated = fc
      .tuple(
        fc.array(contactInput, { minLength: 1, maxLength: 2 }),
        fc.array(fc.tuple(fc.nat(), fc.string())),
      )
      .map(([inputs, edits]) => {
        let written = toVcf(build(inputs));
        for (const [at, insert] of edits) {
          const position = at % (written.length + 1);
          written = written.slice(0, position) + insert + written.slice(position + 1);
        }
        return written;
      });
    fc.assert(fc.property(mutated, throwsOnlyVcardErrors), { numRuns: 300 });
  });
});
