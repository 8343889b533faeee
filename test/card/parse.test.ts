import { describe, expect, it } from 'vitest';
import {
  buildContactsMessage,
  CardInvalidError,
  type ContactInput,
  contactInputSchema,
  MAX_CONTACTS_PER_MESSAGE,
  MAX_ITEMS_PER_LIST,
  parseContact,
  parseContacts,
} from '../../src/card/index.js';
import { CodedError, ErrorCode } from '../../src/errors.js';
import { issuesOf, NOW, thrownBy } from './helpers.js';

const MX_MOBILE = '+52 55 1234 5678';
const named = (extra: ContactInput): ContactInput => ({ formattedName: 'Ana', ...extra });

describe('a complete card', () => {
  it('maps every input field to its wire field', () => {
    const card = parseContact({
      formattedName: 'Dra. Ana María López Ruiz',
      prefix: 'Dra.',
      firstName: 'Ana',
      middleName: 'María',
      lastName: 'López Ruiz',
      suffix: 'PhD',
      phones: [
        { number: MX_MOBILE, type: 'Mobile' },
        { number: '+593 2 298 3200', type: 'Office' },
      ],
      emails: [{ address: 'ana@ejemplo.com', type: 'Work' }],
      addresses: [
        {
          street: 'Av. Amazonas N34-451',
          city: 'Quito',
          state: 'Pichincha',
          zip: '170135',
          country: 'Ecuador',
          countryCode: 'ec',
          type: 'Office',
        },
      ],
      company: 'Jelou',
      department: 'Ventas',
      title: 'Gerente',
      urls: [{ url: 'https://jelou.ai', type: 'Work' }],
      birthday: '1990-05-31',
    });
    expect(card).toEqual({
      name: {
        formatted_name: 'Dra. Ana María López Ruiz',
        prefix: 'Dra.',
        first_name: 'Ana',
        middle_name: 'María',
        last_name: 'López Ruiz',
        suffix: 'PhD',
      },
      phones: [
        { phone: '+525512345678', type: 'Mobile', wa_id: '5215512345678' },
        { phone: '+59322983200', type: 'Office', wa_id: '59322983200' },
      ],
      emails: [{ email: 'ana@ejemplo.com', type: 'Work' }],
      addresses: [
        {
          street: 'Av. Amazonas N34-451',
          city: 'Quito',
          state: 'Pichincha',
          zip: '170135',
          country: 'Ecuador',
          country_code: 'EC',
          type: 'Office',
        },
      ],
      org: { company: 'Jelou', department: 'Ventas', title: 'Gerente' },
      urls: [{ url: 'https://jelou.ai', type: 'Work' }],
      birthday: '1990-05-31',
    });
  });
});

describe('empty optional fields', () => {
  it('are left out: no empty strings, lists or objects', () => {
    const card = parseContact({
      formattedName: 'Ana',
      firstName: '   ',
      lastName: null,
      middleName: '',
      phones: [{ number: '', type: '' }, { number: null }, {}],
      emails: [{ address: '  ', type: null }],
      addresses: [{ street: '', city: ' ', countryCode: '' }],
      company: '',
      department: null,
      title: '\u200B',
      urls: [],
      birthday: '',
    });
    expect(card).toEqual({ name: { formatted_name: 'Ana', first_name: 'Ana' } });
  });

  it('leave out only the empty parts of an organisation', () => {
    expect(parseContact(named({ company: 'Jelou', title: ' ' })).org).toEqual({ company: 'Jelou' });
  });

  it('are not counted against the list limit', () => {
    const phones = [
      ...Array.from({ length: MAX_ITEMS_PER_LIST }, () => ({ number: MX_MOBILE })),
      { number: ' ' },
    ];
    expect(parseContact(named({ phones })).phones).toHaveLength(MAX_ITEMS_PER_LIST);
  });

  it('with a label, are required', () => {
    expect(
      issuesOf(() =>
        parseContact({
          formattedName: 'Ana',
          phones: [{ number: ' ', type: 'Mobile' }],
          emails: [{ type: 'Work' }],
          urls: [{ url: null, type: 'Blog' }],
          addresses: [{ type: 'Home', street: '' }],
        }),
      ),
    ).toEqual([
      { path: ['phones', 0, 'number'], code: 'required' },
      { path: ['emails', 0, 'address'], code: 'required' },
      { path: ['addresses', 0], code: 'address_empty' },
      { path: ['urls', 0, 'url'], code: 'required' },
    ]);
  });
});

describe('text cleaning', () => {
  it('trims and collapses whitespace, tabs, newlines and no-break spaces', () => {
    const card = parseContact({ firstName: '  Juan \t\n Pablo\u00A0 ', lastName: '\u3000Pérez ' });
    expect(card.name).toEqual({
      formatted_name: 'Juan Pablo Pérez',
      first_name: 'Juan Pablo',
      last_name: 'Pérez',
    });
  });

  it('normalises to NFC', () => {
    const decomposed = 'Zoe\u0308 Bri\u0301o';
    expect(parseContact({ formattedName: decomposed }).name.formatted_name).toBe('Zo\u00EB Br\u00EDo');
  });

  it('removes zero-width spaces, word joiners and byte-order marks', () => {
    expect(parseContact({ formattedName: '\uFEFFJu\u200Ban\u2060' }).name.formatted_name).toBe('Juan');
  });

  it.each([
    ['a NUL', 'Ju\u0000an'],
    ['an escape', 'Juan\u001B[31m'],
    ['a DEL', 'Juan\u007F'],
    ['a C1 control', 'Juan\u0085'],
    ['a right-to-left override', 'Juan\u202Enarg'],
    ['a bidi isolate', '\u2066Juan\u2069'],
    ['a lone surrogate', 'Juan\uD800'],
  ])('refuses %s', (_, text) => {
    expect(issuesOf(() => parseContact({ formattedName: text }))).toEqual([
      { path: ['formattedName'], code: 'control_characters' },
    ]);
  });

  it.each([
    ['emoji', 'Ana 😀'],
    ['a ZWJ emoji sequence', 'Familia 👨‍👩‍👧'],
    ['a flag', 'Quito 🇪🇨'],
    ['accents', 'Zoë Ñúñez'],
    ['Arabic', 'محمد علي'],
    ['Hebrew', 'דוד לוי'],
    ['CJK', '山田 太郎'],
    ['Persian with a ZWNJ', 'می\u200Cخواهم'],
  ])('keeps %s intact', (_, text) => {
    expect(parseContact({ formattedName: text }).name.formatted_name).toBe(text);
  });
});

describe('lengths', () => {
  it.each([
    ['formattedName', 127],
    ['firstName', 127],
    ['lastName', 127],
    ['middleName', 127],
    ['prefix', 127],
    ['suffix', 127],
    ['company', 256],
    ['department', 256],
    ['title', 256],
  ] as const)('%s allows %i characters and refuses more, saying the limit', (field, max) => {
    const base: ContactInput = { formattedName: 'Ana', firstName: 'Ana' };
    expect(() => parseContact({ ...base, [field]: 'x'.repeat(max) })).not.toThrow();
    expect(issuesOf(() => parseContact({ ...base, [field]: 'x'.repeat(5000) }))).toEqual([
      { path: [field], code: 'too_long', params: { max } },
    ]);
  });

  it.each([
    ['phones', 'type', 64],
    ['emails', 'address', 254],
    ['addresses', 'street', 256],
    ['addresses', 'city', 128],
    ['addresses', 'state', 128],
    ['addresses', 'country', 128],
    ['addresses', 'zip', 32],
    ['addresses', 'type', 64],
    ['urls', 'url', 2048],
  ] as const)('%s.%s refuses a 5,000-character value at most %i', (list, field, max) => {
    expect(issuesOf(() => parseContact(named({ [list]: [{ [field]: 'x'.repeat(5000) }] })))).toContainEqual({
      path: [list, 0, field],
      code: 'too_long',
      params: { max },
    });
  });

  it('counts after trimming, so padding does not make a value too long', () => {
    const padded = `   ${'x'.repeat(127)}   `;
    expect(parseContact({ formattedName: padded }).name.formatted_name).toHaveLength(127);
  });

  it('never truncates a 1 MB value, and refuses it quickly', () => {
    const huge = 'x'.repeat(1_000_000);
    const issues = issuesOf(() =>
      parseContact({
        formattedName: huge,
        phones: [{ number: huge }],
        addresses: [{ countryCode: huge }],
        birthday: huge,
      }),
    );
    expect(issues).toEqual([
      { path: ['formattedName'], code: 'too_long', params: { max: 127 } },
      { path: ['phones', 0, 'number'], code: 'too_long', params: { max: 64 } },
      { path: ['addresses', 0, 'countryCode'], code: 'country_code_unknown' },
      { path: ['birthday'], code: 'birthday_invalid' },
    ]);
  });
});

describe('names', () => {
  it('derive the display name from the parts when it is not typed', () => {
    expect(parseContact({ firstName: 'Juan', lastName: 'Pérez' }).name).toEqual({
      formatted_name: 'Juan Pérez',
      first_name: 'Juan',
      last_name: 'Pérez',
    });
    expect(
      parseContact({ prefix: 'Dr.', firstName: 'Juan', middleName: 'C.', suffix: 'Jr.' }).name.formatted_name,
    ).toBe('Dr. Juan C. Jr.');
    expect(parseContact({ lastName: 'Pérez' }).name).toEqual({ formatted_name: 'Pérez', last_name: 'Pérez' });
  });

  it('keep a typed display name over the parts', () => {
    expect(parseContact({ formattedName: 'Pérez, Juan', firstName: 'Juan', lastName: 'Pérez' }).name).toEqual(
      {
        formatted_name: 'Pérez, Juan',
        first_name: 'Juan',
        last_name: 'Pérez',
      },
    );
  });

  it('copy a lone display name into first_name, as WhatsApp needs a second name field', () => {
    expect(parseContact({ formattedName: 'Soporte Jelou' }).name).toEqual({
      formatted_name: 'Soporte Jelou',
      first_name: 'Soporte Jelou',
    });
  });

  it('are required', () => {
    expect(issuesOf(() => parseContact({ phones: [{ number: MX_MOBILE }] }))).toEqual([
      { path: ['formattedName'], code: 'name_missing' },
    ]);
    expect(issuesOf(() => parseContact({ formattedName: ' ', firstName: '' }))).toEqual([
      { path: ['formattedName'], code: 'name_missing' },
    ]);
    expect(issuesOf(() => parseContact({}))).toEqual([{ path: ['formattedName'], code: 'name_missing' }]);
  });

  it('refuse parts too long to combine into a display name', () => {
    expect(issuesOf(() => parseContact({ firstName: 'x'.repeat(100), lastName: 'y'.repeat(100) }))).toEqual([
      { path: ['formattedName'], code: 'name_too_long_to_combine', params: { max: 127 } },
    ]);
  });

  it('report a refused part without also reporting a missing name', () => {
    expect(issuesOf(() => parseContact({ firstName: 'x'.repeat(200) }))).toEqual([
      { path: ['firstName'], code: 'too_long', params: { max: 127 } },
    ]);
  });
});

describe('emails', () => {
  it.each([
    ['ana@ejemplo.com', 'ana@ejemplo.com'],
    ['  Ana.Lopez@Ejemplo.COM ', 'Ana.Lopez@ejemplo.com'],
    ['ana+ventas@sub.ejemplo.com.ec', 'ana+ventas@sub.ejemplo.com.ec'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['user@xn--mxico-bsa.mx', 'user@xn--mxico-bsa.mx'],
    // Internationalised addresses (RFC 6531): kept as typed, the domain checked in its IDNA form.
    ['josé@münchen.de', 'josé@münchen.de'],
    ['José@Ejemplo.com', 'José@ejemplo.com'],
    ['用户@例子.广告', '用户@例子.广告'],
    ['ana@MÜNCHEN.de', 'ana@münchen.de'],
  ])('accept %s as %s (only the domain lower-cased)', (typed, email) => {
    expect(parseContact(named({ emails: [{ address: typed }] })).emails).toEqual([{ email }]);
  });

  it.each([
    'ana',
    'ana@',
    '@ejemplo.com',
    'ana@ejemplo',
    'ana@@ejemplo.com',
    'ana lopez@ejemplo.com',
    'ana..lopez@ejemplo.com',
    '.ana@ejemplo.com',
    'ana@ejemplo..com',
    'ana@-ejemplo.com',
    'ana@ejemplo.c',
    'ana@ejemplo.123',
    'josé@münchen',
    'josé@-münchen.de',
    `${'a'.repeat(65)}@ejemplo.com`,
  ])('refuse %s', (typed) => {
    expect(issuesOf(() => parseContact(named({ emails: [{ address: typed }] })))).toEqual([
      { path: ['emails', 0, 'address'], code: 'email_invalid' },
    ]);
  });
});

describe('addresses', () => {
  it('upper-case a lower-case country code', () => {
    expect(parseContact(named({ addresses: [{ countryCode: ' mx ' }] })).addresses).toEqual([
      { country_code: 'MX' },
    ]);
  });

  it('accept an assigned code libphonenumber does not list (Antarctica)', () => {
    expect(parseContact(named({ addresses: [{ countryCode: 'AQ' }] })).addresses).toEqual([
      { country_code: 'AQ' },
    ]);
  });

  it.each(['XX', 'ZZ', 'MEX', 'Mexico', 'M', 'XK', 'UK', '\u0131t', 'E1'])(
    'refuse the country code %s',
    (code) => {
      expect(
        issuesOf(() => parseContact(named({ addresses: [{ city: 'Quito', countryCode: code }] }))),
      ).toEqual([{ path: ['addresses', 0, 'countryCode'], code: 'country_code_unknown' }]);
    },
  );

  it('keep a free-text country beside the code', () => {
    expect(parseContact(named({ addresses: [{ country: 'México', countryCode: 'MX' }] })).addresses).toEqual([
      { country: 'México', country_code: 'MX' },
    ]);
  });
});

describe('birthdays', () => {
  it.each(['1990-05-31', '2024-02-29', '2000-02-29', '1900-01-01', '2025-06-01'])('accept %s', (birthday) => {
    expect(parseContact(named({ birthday }), { now: NOW }).birthday).toBe(birthday);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-04-31',
    '2024-01-00',
    '1990-5-31',
    '31/05/1990',
    '1990-05-31T00:00:00Z',
    '1899-12-31',
    '0990-05-31',
    'mañana',
  ])('refuse %s', (birthday) => {
    expect(issuesOf(() => parseContact(named({ birthday }), { now: NOW }))).toEqual([
      { path: ['birthday'], code: 'birthday_invalid' },
    ]);
  });

  it('refuse a date that has not begun anywhere on Earth yet', () => {
    // At 12:00 UTC it is already 02:00 the next day at UTC+14, so that day is not yet "future".
    expect(parseContact(named({ birthday: '2025-06-02' }), { now: NOW }).birthday).toBe('2025-06-02');
    expect(issuesOf(() => parseContact(named({ birthday: '2025-06-03' }), { now: NOW }))).toEqual([
      { path: ['birthday'], code: 'birthday_in_future' },
    ]);
    expect(issuesOf(() => parseContact(named({ birthday: '9999-12-31' })))).toEqual([
      { path: ['birthday'], code: 'birthday_in_future' },
    ]);
  });

  it('treat an invalid clock as a programming error', () => {
    const error = thrownBy(() => parseContact(named({}), { now: new Date(Number.NaN) }));
    expect(error).toBeInstanceOf(CodedError);
    expect(error).not.toBeInstanceOf(CardInvalidError);
  });
});

describe('urls', () => {
  it.each([
    'https://jelou.ai',
    'http://example.com/path?q=1#top',
    'https://sub.example.com.ec:8443/a/b',
    'HTTPS://EXAMPLE.COM',
    'https://例え.jp/パス',
  ])('accept %s as typed', (url) => {
    expect(parseContact(named({ urls: [{ url }] })).urls).toEqual([{ url }]);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript://example.com/%0Aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.com',
    'file:///etc/passwd',
    'mailto:ana@ejemplo.com',
    'jelou.ai',
    'www.jelou.ai',
    'https:jelou.ai',
    'https://',
    'https:///path',
    'https://user:secret@example.com',
    'https://bank.example@evil.example',
    'https://exa mple.com',
    'https://[::1',
  ])('refuse %s', (url) => {
    expect(issuesOf(() => parseContact(named({ urls: [{ url }] })))).toEqual([
      { path: ['urls', 0, 'url'], code: 'url_invalid' },
    ]);
  });
});

describe('counts', () => {
  it.each(['phones', 'emails', 'addresses', 'urls'] as const)(
    `%s allow ${MAX_ITEMS_PER_LIST} and refuse more`,
    (list) => {
      const row = {
        phones: { number: MX_MOBILE },
        emails: { address: 'ana@ejemplo.com' },
        addresses: { city: 'Quito' },
        urls: { url: 'https://jelou.ai' },
      }[list];
      const rows = (n: number) => Array.from({ length: n }, () => row);
      expect(parseContact(named({ [list]: rows(MAX_ITEMS_PER_LIST) }))[list]).toHaveLength(
        MAX_ITEMS_PER_LIST,
      );
      expect(issuesOf(() => parseContact(named({ [list]: rows(MAX_ITEMS_PER_LIST + 1) })))).toEqual([
        { path: [list], code: 'too_many', params: { max: MAX_ITEMS_PER_LIST } },
      ]);
    },
  );

  it(`a message carries 1 to ${MAX_CONTACTS_PER_MESSAGE} contacts`, () => {
    const contacts = (n: number) => Array.from({ length: n }, (_, i) => ({ formattedName: `Contacto ${i}` }));
    expect(parseContacts(contacts(1))).toHaveLength(1);
    expect(parseContacts(contacts(MAX_CONTACTS_PER_MESSAGE))).toHaveLength(MAX_CONTACTS_PER_MESSAGE);
    expect(issuesOf(() => parseContacts(contacts(MAX_CONTACTS_PER_MESSAGE + 1)))).toEqual([
      { path: [], code: 'too_many', params: { max: MAX_CONTACTS_PER_MESSAGE } },
    ]);
    expect(issuesOf(() => parseContacts([]))).toEqual([{ path: [], code: 'contacts_empty' }]);
  });
});

describe('issues', () => {
  it('are all collected, each at its input path', () => {
    const issues = issuesOf(() =>
      parseContact(
        {
          formattedName: 'Ana',
          phones: [
            { number: MX_MOBILE },
            { number: '099 123' },
            { number: '+52 55 1234 5678', type: 'x'.repeat(65) },
          ],
          emails: [{ address: 'ana@ejemplo.com' }, { address: 'ana@' }],
          addresses: [{ city: 'Quito', countryCode: 'XX' }],
          company: 'x'.repeat(257),
          urls: [{ url: 'javascript:alert(1)' }],
          birthday: '2023-02-29',
        },
        { defaultCountry: 'EC' },
      ),
    );
    expect(issues).toEqual([
      {
        path: ['phones', 1, 'number'],
        code: 'phone_too_short',
        params: { callingCode: '593', country: 'EC' },
      },
      { path: ['phones', 2, 'type'], code: 'too_long', params: { max: 64 } },
      { path: ['emails', 1, 'address'], code: 'email_invalid' },
      { path: ['addresses', 0, 'countryCode'], code: 'country_code_unknown' },
      { path: ['company'], code: 'too_long', params: { max: 256 } },
      { path: ['urls', 0, 'url'], code: 'url_invalid' },
      { path: ['birthday'], code: 'birthday_invalid' },
    ]);
  });

  it('of several contacts start with the contact index', () => {
    const issues = issuesOf(() =>
      parseContacts([
        { formattedName: 'Ana' },
        { formattedName: 'Luis', emails: [{ address: 'luis@' }] },
        {},
      ]),
    );
    expect(issues).toEqual([
      { path: [1, 'emails', 0, 'address'], code: 'email_invalid' },
      { path: [2, 'formattedName'], code: 'name_missing' },
    ]);
  });

  it('of a message start with recipient or contacts', () => {
    const issues = issuesOf(() =>
      buildContactsMessage('099 123', [{ formattedName: 'Ana' }, { phones: [{ number: '+999 1' }] }], {
        defaultCountry: 'EC',
      }),
    );
    expect(issues).toEqual([
      { path: ['recipient'], code: 'phone_too_short', params: { callingCode: '593', country: 'EC' } },
      { path: ['contacts', 1, 'formattedName'], code: 'name_missing' },
      { path: ['contacts', 1, 'phones', 0, 'number'], code: 'phone_invalid_country' },
    ]);
  });

  it('come in a coded error whose message names fields but carries none of the typed values', () => {
    const error = thrownBy(() =>
      parseContact({
        formattedName: 'Secreto Nombre',
        phones: [{ number: '+593 99 123' }],
        emails: [{ address: 'x@' }],
      }),
    );
    expect(error).toBeInstanceOf(CardInvalidError);
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toMatchObject({ code: ErrorCode.CardInvalid, name: 'CardInvalidError' });
    const message = error instanceof Error ? error.message : '';
    expect(message).toContain('phones.0.number: phone_too_short');
    expect(message).not.toMatch(/Secreto|593 99|x@/u);
  });
});

describe('input of the wrong shape', () => {
  it('reports unknown fields and wrong types, and still checks the rest', () => {
    const issues = issuesOf(() =>
      parseContact({
        formattedName: 'Ana',
        emial: 'ana@ejemplo.com',
        phones: [{ number: 593991234567 }, { number: '099' }],
        emails: 'ana@ejemplo.com',
        birthday: '2023-02-29',
      }),
    );
    expect(issues).toEqual([
      { path: ['phones', 0, 'number'], code: 'invalid_type', params: { expected: 'text' } },
      { path: ['emails'], code: 'invalid_type', params: { expected: 'list' } },
      { path: ['emial'], code: 'unknown_field' },
      { path: ['phones', 1, 'number'], code: 'phone_needs_country' },
      { path: ['birthday'], code: 'birthday_invalid' },
    ]);
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'Ana'],
    ['an array', [{ formattedName: 'Ana' }]],
  ])('refuses %s as a contact', (_, input) => {
    expect(issuesOf(() => parseContact(input))).toEqual([
      { path: [], code: 'invalid_type', params: { expected: 'object' } },
    ]);
  });

  it('refuses a contact list that is not a list', () => {
    expect(issuesOf(() => parseContacts({ formattedName: 'Ana' }))).toEqual([
      { path: [], code: 'invalid_type', params: { expected: 'list' } },
    ]);
  });

  it('reports holes in a contact list', () => {
    const sparse: unknown[] = [];
    sparse[1] = { formattedName: 'Ana' };
    expect(issuesOf(() => parseContacts(sparse))).toEqual([
      { path: [0], code: 'invalid_type', params: { expected: 'object' } },
    ]);
  });

  it('refuses hostile objects with a card error', () => {
    const throwingGetter = Object.defineProperty({}, 'formattedName', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const throwingProxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('boom');
        },
        get() {
          throw new Error('boom');
        },
      },
    );
    for (const input of [throwingGetter, throwingProxy]) {
      expect(issuesOf(() => parseContact(input))).toEqual([
        { path: [], code: 'invalid_type', params: { expected: 'object' } },
      ]);
    }
  });
});

describe('contactInputSchema', () => {
  it('reads null as an empty field and types it away', () => {
    const input = contactInputSchema.parse({
      formattedName: null,
      phones: null,
      emails: [{ address: null }],
    });
    expect(input).toEqual({ formattedName: undefined, phones: undefined, emails: [{ address: undefined }] });
  });

  it('refuses unknown fields and wrong types', () => {
    expect(contactInputSchema.safeParse({ nickname: 'J' }).success).toBe(false);
    expect(contactInputSchema.safeParse({ phones: [{ number: 593991234567 }] }).success).toBe(false);
  });
});
