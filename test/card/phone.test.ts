import { describe, expect, it } from 'vitest';
import { CardInvalidError, parseContact, parseRecipient } from '../../src/card/index.js';
import { CodedError, ErrorCode } from '../../src/errors.js';
import { issuesOf, thrownBy, UNKNOWN_COUNTRY } from './helpers.js';

const phoneOf = (number: string, options = {}) =>
  parseContact({ formattedName: 'Ana', phones: [{ number }] }, options).phones;
const phoneIssues = (number: string, options = {}) =>
  issuesOf(() => parseContact({ formattedName: 'Ana', phones: [{ number }] }, options));

describe('phone numbers in international form', () => {
  it.each([
    ['+52 55 1234 5678', '+525512345678'],
    ['+52 (55) 1234-5678', '+525512345678'],
    ['+52.55.1234.5678', '+525512345678'],
    ['  +593-99-123-4567  ', '+593991234567'],
    ['+593 (99) 123 4567', '+593991234567'],
    ['+1 (213) 373-4253', '+12133734253'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+٥٩٣٩٩١٢٣٤٥٦٧', '+593991234567'],
  ])("%s becomes %s with wa_id in WhatsApp's form for its country", (typed, e164) => {
    // Mexico: WhatsApp's id for a mobile has a 1 after 52 (src/card/whatsapp.ts cites the rule).
    const waId = e164.startsWith('+52') ? `521${e164.slice(3)}` : e164.slice(1);
    expect(phoneOf(typed)).toEqual([{ phone: e164, wa_id: waId }]);
  });

  it('reads a leading 00 as +, with or without a default country', () => {
    expect(phoneOf('0052 55 1234 5678')).toEqual([{ phone: '+525512345678', wa_id: '5215512345678' }]);
    expect(phoneOf('00 593 99 123 4567', { defaultCountry: 'US' })).toEqual([
      { phone: '+593991234567', wa_id: '593991234567' },
    ]);
  });

  it("understands the default country's own international prefix (011 from the US)", () => {
    expect(phoneOf('011 52 55 1234 5678', { defaultCountry: 'US' })).toEqual([
      { phone: '+525512345678', wa_id: '5215512345678' },
    ]);
  });

  it('keeps the type as typed and invents none', () => {
    const card = parseContact({
      formattedName: 'Ana',
      phones: [{ number: '+52 55 1234 5678', type: ' Mobile ' }],
    });
    expect(card.phones).toEqual([{ phone: '+525512345678', type: 'Mobile', wa_id: '5215512345678' }]);
    expect(phoneOf('+52 55 1234 5678')?.[0]).not.toHaveProperty('type');
  });
});

describe('phone numbers in national form', () => {
  it.each([
    ['EC', '099 123 4567', '+593991234567'],
    ['EC', '0991234567', '+593991234567'],
    ['MX', '55 1234 5678', '+525512345678'],
    ['US', '(213) 373-4253', '+12133734253'],
    ['US', '213.373.4253', '+12133734253'],
  ] as const)('in %s, %s becomes %s', (defaultCountry, typed, e164) => {
    const waId = e164.startsWith('+52') ? `521${e164.slice(3)}` : e164.slice(1);
    expect(phoneOf(typed, { defaultCountry })).toEqual([{ phone: e164, wa_id: waId }]);
  });

  it('without a default country, asks for the country code', () => {
    expect(phoneIssues('099 123 4567')).toEqual([
      { path: ['phones', 0, 'number'], code: 'phone_needs_country' },
    ]);
  });
});

describe('phone numbers that are refused', () => {
  it('too short, naming the country', () => {
    expect(phoneIssues('+593 99 123')).toEqual([
      {
        path: ['phones', 0, 'number'],
        code: 'phone_too_short',
        params: { callingCode: '593', country: 'EC' },
      },
    ]);
    expect(phoneIssues('099 12', { defaultCountry: 'EC' })).toEqual([
      {
        path: ['phones', 0, 'number'],
        code: 'phone_too_short',
        params: { callingCode: '593', country: 'EC' },
      },
    ]);
  });

  it('too long', () => {
    expect(phoneIssues('+593 99 123 4567 8901')).toEqual([
      {
        path: ['phones', 0, 'number'],
        code: 'phone_too_long',
        params: { callingCode: '593', country: 'EC' },
      },
    ]);
  });

  it('too short where no single country fits names only the calling code', () => {
    expect(phoneIssues('+1 555 0100')).toEqual([
      { path: ['phones', 0, 'number'], code: 'phone_too_short', params: { callingCode: '1' } },
    ]);
  });

  it('of a length that exists but not a number in use', () => {
    expect(phoneIssues('+593 2 123 4567')).toEqual([
      { path: ['phones', 0, 'number'], code: 'phone_invalid', params: { callingCode: '593', country: 'EC' } },
    ]);
  });

  it('with a country calling code that does not exist', () => {
    expect(phoneIssues('+999 1234 5678')).toEqual([
      { path: ['phones', 0, 'number'], code: 'phone_invalid_country' },
    ]);
    expect(phoneIssues('+999 1234 5678', { defaultCountry: 'EC' })).toEqual([
      { path: ['phones', 0, 'number'], code: 'phone_invalid_country' },
    ]);
  });

  it.each(['+1 800 FLOWERS', 'abc', 'tel:+593991234567', '+593 99 123 4567 ext twelve', '59+3991234567'])(
    'with letters or symbols: %s',
    (typed) => {
      expect(phoneIssues(typed)).toEqual([{ path: ['phones', 0, 'number'], code: 'phone_characters' }]);
    },
  );

  it('with no digits at all', () => {
    expect(phoneIssues('+ ( )')).toEqual([{ path: ['phones', 0, 'number'], code: 'phone_invalid' }]);
  });

  it('longer than any phone field should be', () => {
    expect(phoneIssues('1'.repeat(65))).toEqual([
      { path: ['phones', 0, 'number'], code: 'too_long', params: { max: 64 } },
    ]);
  });
});

describe('parseRecipient', () => {
  it('gives E.164 digits without +', () => {
    expect(parseRecipient('+593 99 123 4567')).toBe('593991234567');
    expect(parseRecipient('099 123 4567', { defaultCountry: 'EC' })).toBe('593991234567');
    expect(parseRecipient(`+${'525512345678'}`)).toBe('525512345678');
  });

  it.each([
    ['+52 1 55 1234 5678', '525512345678'],
    ['+52 55 1234 5678', '525512345678'],
    ['＋54 9 11 2345 6789', '5491123456789'],
    ['+55 11 98123 4567', '5511981234567'],
  ])('reads %s, never "too long", as %s', (typed, digits) => {
    expect(parseRecipient(typed)).toBe(digits);
  });

  it('reports issues at the root path', () => {
    expect(issuesOf(() => parseRecipient('   '))).toEqual([{ path: [], code: 'required' }]);
    expect(issuesOf(() => parseRecipient('0991234567'))).toEqual([{ path: [], code: 'phone_needs_country' }]);
    expect(issuesOf(() => parseRecipient('+593 99'))).toEqual([
      { path: [], code: 'phone_too_short', params: { callingCode: '593', country: 'EC' } },
    ]);
    expect(issuesOf(() => parseRecipient(593991234567))).toEqual([
      { path: [], code: 'invalid_type', params: { expected: 'text' } },
    ]);
    expect(issuesOf(() => parseRecipient('+593\u0000991234567'))).toEqual([
      { path: [], code: 'control_characters' },
    ]);
  });
});

describe('options', () => {
  it('an unknown default country is a configuration error, not a card error', () => {
    const error = thrownBy(() => parseRecipient('099 123 4567', { defaultCountry: UNKNOWN_COUNTRY }));
    expect(error).toBeInstanceOf(CodedError);
    expect(error).not.toBeInstanceOf(CardInvalidError);
    expect(error).toMatchObject({ code: ErrorCode.ConfigInvalid });
  });
});

/**
 * What people really type and export, country by country: the card's phone text (E.164, with the
 * extension kept), and its wa_id in the form WhatsApp uses there, or none where WhatsApp should
 * show "Invite" (fax, landline, "no WhatsApp"). Rules and sources: docs/whatsapp-ids.md.
 */
describe('phones on the card, by country', () => {
  type Row = { number: string; type?: string; noWhatsApp?: boolean };
  it.each<[string, Row, { phone: string; wa_id?: string }]>([
    ['Ecuador mobile', { number: '+593 99 123 4567' }, { phone: '+593991234567', wa_id: '593991234567' }],
    ['Ecuador landline by type', { number: '+593 2 298 3200', type: 'Landline' }, { phone: '+59322983200' }],
    [
      'Mexico, as dialled today',
      { number: '+52 55 1234 5678' },
      { phone: '+525512345678', wa_id: '5215512345678' },
    ],
    [
      'Mexico, old mobile form +52 1',
      { number: '+52 1 55 1234 5678' },
      { phone: '+525512345678', wa_id: '5215512345678' },
    ],
    [
      'Argentina mobile with 9',
      { number: '+54 9 11 2345 6789' },
      { phone: '+5491123456789', wa_id: '5491123456789' },
    ],
    ['Argentina landline', { number: '+54 11 2345 6789' }, { phone: '+541123456789', wa_id: '541123456789' }],
    ['Brazil mobile', { number: '+55 11 98123 4567' }, { phone: '+5511981234567', wa_id: '5511981234567' }],
    ['Colombia mobile', { number: '+57 310 123 4567' }, { phone: '+573101234567', wa_id: '573101234567' }],
    ['Peru mobile', { number: '+51 912 345 678' }, { phone: '+51912345678', wa_id: '51912345678' }],
    ['Spain mobile', { number: '+34 612 34 56 78' }, { phone: '+34612345678', wa_id: '34612345678' }],
    ['Spain fax', { number: '+34 912 34 56 78', type: 'Fax' }, { phone: '+34912345678' }],
    [
      'US with ext.',
      { number: '+1 415 555 0123 ext. 12' },
      { phone: '+14155550123 ext. 12', wa_id: '14155550123' },
    ],
    [
      'US, vCard 4.0 ;ext=',
      { number: '+1-415-555-0123;ext=12' },
      { phone: '+14155550123 ext. 12', wa_id: '14155550123' },
    ],
    [
      'US, x and Work fax',
      { number: '+1 415 555 0123 x7', type: 'Work fax' },
      { phone: '+14155550123 ext. 7' },
    ],
    ['full-width plus', { number: '＋593 99 123 4567' }, { phone: '+593991234567', wa_id: '593991234567' }],
    ['marked no WhatsApp', { number: '+593 99 123 4567', noWhatsApp: true }, { phone: '+593991234567' }],
  ])('%s', (_, row, expected) => {
    const [phone] = parseContact({ formattedName: 'Ana', phones: [row] }).phones ?? [];
    expect(phone).toEqual(row.type === undefined ? expected : { ...expected, type: row.type });
  });
});
