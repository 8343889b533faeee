/**
 * vCard files: what each exporter's file gives (fixtures written in the shape iPhone, Android,
 * Google Contacts, Outlook and vCard 4.0 writers produce), the edge cases of the format, the
 * errors, and the exact file `toVcf` writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildContactsMessage,
  type Contact,
  type ContactInput,
  MAX_CONTACTS_PER_MESSAGE,
} from '../../src/card/index.js';
import { MAX_VCF_BYTES, parseVcf, toVcf, VcardError, type VcardErrorReason } from '../../src/card/vcard.js';
import { ErrorCode, sentenceFor } from '../../src/errors.js';
import { NOW, thrownBy } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'vcf');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** A minimal 3.0 card around `lines`. */
const card = (...lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');

/** The one contact of a file holding one card. */
function only(text: string): ContactInput {
  const { contacts } = parseVcf(text);
  expect(contacts).toHaveLength(1);
  const [contact] = contacts;
  if (contact === undefined) throw new Error('no contact');
  return contact;
}

function vcardErrorOf(run: () => unknown): VcardError {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(VcardError);
  if (!(error instanceof VcardError)) throw error;
  return error;
}

describe('exports of real address books', () => {
  it('iPhone (3.0): Apple groups and labels, a folded photo left out, a birthday without a year dropped', () => {
    expect(parseVcf(fixture('iphone.vcf'))).toEqual({
      contacts: [
        {
          formattedName: 'María José Núñez',
          lastName: 'Núñez',
          firstName: 'María José',
          phones: [
            { number: '+593 99 123 4567', type: 'Mobile' },
            { number: '+593 2 298 3200', type: 'Oficina Quito' },
            { number: '+1 (213) 373-4253', type: 'iPhone' },
          ],
          emails: [{ address: 'mjnunez@cruzazul.example', type: 'Work' }],
          addresses: [
            {
              street: 'Av. Amazonas N34-451, Piso 3',
              city: 'Quito',
              state: 'Pichincha',
              zip: '170135',
              country: 'Ecuador',
              countryCode: 'EC',
              type: 'Office',
            },
          ],
          company: 'Farmacias Cruz Azul',
          department: 'Compras',
          title: 'Jefa de compras',
          urls: [{ url: 'https://cruzazul.example/equipo', type: 'Homepage' }],
          birthday: '1988-11-03',
        },
        {
          formattedName: 'Ferretería El Tornillo',
          phones: [{ number: '+593 4 256 7890', type: 'Main' }],
          emails: [{ address: 'ventas@eltornillo.example' }],
          company: 'Ferretería El Tornillo',
        },
        {
          formattedName: '王小明 🐉',
          lastName: '王',
          firstName: '小明',
          phones: [{ number: '+86 138 0013 8000', type: 'Mobile' }],
          emails: [{ address: 'xiaoming@example.cn', type: '微信, trabajo' }],
        },
      ],
      skipped: [],
    });
  });

  it('Android (2.1): QUOTED-PRINTABLE UTF-8 with soft line breaks, bare TYPE parameters, an empty card', () => {
    expect(parseVcf(fixture('android.vcf'))).toEqual({
      contacts: [
        {
          formattedName: 'José Andrés Núñez',
          lastName: 'Núñez',
          firstName: 'José',
          middleName: 'Andrés',
          phones: [
            { number: '+593991234567', type: 'Mobile' },
            { number: '022983200', type: 'Work' },
            { number: '+525512345678', type: 'Home' },
          ],
          emails: [{ address: 'jose.nunez@example.com', type: 'Home' }],
          addresses: [
            {
              street: 'Calle García Moreno 1130, y Chile',
              city: 'Quito',
              zip: '170401',
              country: 'Ecuador',
              countryCode: 'EC',
              type: 'Home',
            },
          ],
          company: 'Panadería La Española',
          title: 'Gerente',
          birthday: '1979-02-28',
        },
        {
          formattedName: 'María Fernanda de los Ángeles Rodríguez Villacrés',
          lastName: 'Rodríguez Villacrés',
          firstName: 'María Fernanda de los Ángeles',
          phones: [{ number: '099 765 4321', type: 'Mobile' }],
          emails: [{ address: 'mafer.rodriguez@example.com' }],
        },
      ],
      skipped: [{ index: 2, reason: 'empty' }],
    });
  });

  it('Google Contacts (3.0): folded lines, CATEGORIES and NOTE ignored, escaped colons in URLs', () => {
    expect(parseVcf(fixture('google.vcf'))).toEqual({
      contacts: [
        {
          formattedName: 'Carlos Andrade',
          lastName: 'Andrade',
          firstName: 'Carlos',
          phones: [
            { number: '+593 98 765 4321', type: 'Mobile' },
            { number: '+593 2 245 6789', type: 'Work' },
          ],
          emails: [
            { address: 'carlos.andrade@gmail.example', type: 'Home' },
            { address: 'candrade@constructora-andes.example', type: 'Work' },
          ],
          addresses: [
            {
              street: 'Av. República de El Salvador 34-127, Edificio Murano, oficina 5B',
              city: 'Quito',
              state: 'Pichincha',
              zip: '170505',
              country: 'Ecuador',
              countryCode: 'EC',
              type: 'Office',
            },
          ],
          company: 'Constructora Andes S.A.',
          title: 'Ingeniero residente',
          urls: [
            { url: 'http://www.constructora-andes.example' },
            { url: 'https://linkedin.example/in/candrade', type: 'LinkedIn' },
          ],
          birthday: '1985-07-21',
        },
        {
          formattedName: 'Dra. Lucía Fernández de Córdova Zambrano de la Torre y Santisteban, PhD',
          lastName: 'Fernández de Córdova Zambrano de la Torre y Santisteban',
          firstName: 'Lucía',
          prefix: 'Dra.',
          suffix: 'PhD',
          phones: [{ number: '+34 612 34 56 78', type: 'Mobile' }],
          emails: [{ address: 'lucia.fdc@example.org' }],
          addresses: [
            {
              street: 'Calle de Alcalá 48, 3º izq.',
              city: 'Madrid',
              state: 'Madrid',
              zip: '28014',
              country: 'España',
              countryCode: 'ES',
              type: 'Home',
            },
          ],
        },
        {
          formattedName: 'Soporte Técnico',
          firstName: 'Soporte Técnico',
          phones: [{ number: '+593 2 298 3200', type: 'Main' }],
          urls: [{ url: 'https://www.soporte.example' }],
        },
      ],
      skipped: [],
    });
  });

  it('Outlook (2.1): Windows-1252 QUOTED-PRINTABLE, ORG with departments, ADR;WORK, X-MS-* lines ignored', () => {
    expect(parseVcf(fixture('outlook.vcf'))).toEqual({
      contacts: [
        {
          formattedName: 'Ing. Diego Alejandro Paredes',
          lastName: 'Paredes',
          firstName: 'Diego',
          middleName: 'Alejandro',
          prefix: 'Ing.',
          phones: [
            { number: '+593 4 373 1500', type: 'Work' },
            { number: '+593 99 555 0199', type: 'Mobile' },
            { number: '+593 4 373 1501', type: 'Fax' },
          ],
          emails: [{ address: 'dparedes@pacifico.example' }],
          addresses: [
            {
              street: 'Francisco de P. Icaza 200',
              city: 'Guayaquil',
              state: 'Guayas',
              zip: '090313',
              country: 'Ecuador',
              countryCode: 'EC',
              type: 'Office',
            },
          ],
          company: 'Banco del Pacífico',
          department: 'Tecnología, Canales digitales',
          title: 'Arquitecto de soluciones',
          urls: [{ url: 'https://www.bancopacifico.example', type: 'Work' }],
        },
      ],
      skipped: [],
    });
  });

  it('vCard 4.0: tel: URIs, TYPE="cell,voice", PREF=1, BDAY --0517 dropped, 19900517 read', () => {
    expect(parseVcf(fixture('vcard4.vcf'))).toEqual({
      contacts: [
        {
          formattedName: 'Ana Lucía Torres',
          lastName: 'Torres',
          firstName: 'Ana',
          middleName: 'Lucía',
          phones: [
            { number: '+57-310-123-4567', type: 'Mobile' },
            // RFC 3966's ;ext= is the extension: kept in the phone's text, never in its wa_id.
            { number: '+52-55-1234-5678 ext. 204', type: 'Work' },
          ],
          emails: [{ address: 'ana.torres@example.co', type: 'Work' }],
          addresses: [
            {
              street: 'Cra. 7 # 71-21',
              city: 'Bogotá',
              state: 'Cundinamarca',
              zip: '110231',
              country: 'Colombia',
              countryCode: 'CO',
              type: 'Home',
            },
          ],
          company: 'Café de los Andes',
          department: 'Exportaciones',
          title: 'Directora comercial',
          urls: [{ url: 'https://cafe-andes.example/equipo/ana' }],
        },
        {
          formattedName: 'Pérez, Juan 😀',
          lastName: 'Pérez',
          firstName: 'Juan',
          phones: [{ number: '+593 2 298 3200', type: 'Home' }],
          emails: [{ address: 'juan@example.ec' }],
          birthday: '1990-05-17',
        },
      ],
      skipped: [],
    });
  });

  it.each(['iphone.vcf', 'android.vcf', 'google.vcf', 'outlook.vcf', 'vcard4.vcf'])(
    '%s gives cards that can be sent as they are',
    (name) => {
      const { contacts } = parseVcf(fixture(name));
      const message = buildContactsMessage('+593991234567', contacts, { defaultCountry: 'EC', now: NOW });
      expect(message.contacts).toHaveLength(contacts.length);
    },
  );
});

describe('parseVcf: the format', () => {
  it('reads the same contacts with CRLF, LF or CR line ends, and with a byte-order mark', () => {
    const crlf = card('FN:Ana Pérez', 'N:Pérez;Ana;;;', 'TEL;TYPE=CELL:+593991234567');
    const expected = parseVcf(crlf);
    expect(parseVcf(crlf.replaceAll('\r\n', '\n'))).toEqual(expected);
    expect(parseVcf(crlf.replaceAll('\r\n', '\r'))).toEqual(expected);
    expect(parseVcf(`\uFEFF${crlf}`)).toEqual(expected);
    expect(expected.contacts[0]?.formattedName).toBe('Ana Pérez');
  });

  it('unescapes \\, \\; \\\\ and \\n in text, names and addresses', () => {
    expect(
      only(
        card(
          'FN:Pérez\\, Ana\\; hija',
          'N:Pérez\\; Vera;Ana\\, María;;;',
          'TITLE:C:\\\\Jefa\\nventas',
          'ADR:;;Calle 1\\; casa 2\\, atrás;Quito;;;',
        ),
      ),
    ).toEqual({
      formattedName: 'Pérez, Ana; hija',
      lastName: 'Pérez; Vera',
      firstName: 'Ana, María',
      title: 'C:\\Jefa\nventas',
      addresses: [{ street: 'Calle 1; casa 2, atrás', city: 'Quito' }],
    });
  });

  it('keeps a backslash that ends a component of N, ADR or ORG in its own component', () => {
    // ical.js alone reads `\\;` as an escaped `;` and merges the two components.
    expect(only(card('N:Pérez\\\\;Ana;;;', 'ORG:C:\\\\;Ventas'))).toEqual({
      lastName: 'Pérez\\',
      firstName: 'Ana',
      company: 'C:\\',
      department: 'Ventas',
    });
  });

  it('unfolds lines folded inside a multi-byte character sequence of a word', () => {
    const folded = ['FN:Ñandú 🐉 El', ' ías Cañar', 'N:Cañar;Elías;;;'];
    expect(only(card(...folded)).formattedName).toBe('Ñandú 🐉 Elías Cañar');
  });

  it('reads each card of a file by its own version (3.0 then 4.0 then 2.1)', () => {
    const text = [
      card('FN:Uno', 'TEL;TYPE=CELL:+593991234567'),
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dos\r\nTEL;VALUE=uri;TYPE=work:tel:+59322983200\r\nEND:VCARD\r\n',
      'BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Tres\r\nTEL;HOME:+12133734253\r\nEND:VCARD\r\n',
    ].join('');
    expect(parseVcf(text).contacts).toEqual([
      { formattedName: 'Uno', phones: [{ number: '+593991234567', type: 'Mobile' }] },
      { formattedName: 'Dos', phones: [{ number: '+59322983200', type: 'Work' }] },
      { formattedName: 'Tres', phones: [{ number: '+12133734253', type: 'Home' }] },
    ]);
  });

  it.each([
    ['1990-05-17', '1990-05-17'],
    ['19900517', '1990-05-17'],
    ['1990-05-17T00:00:00Z', '1990-05-17'],
    ['19900517T120000', '1990-05-17'],
  ])('reads BDAY %s as %s', (written, read) => {
    expect(only(card('FN:Ana', `BDAY:${written}`)).birthday).toBe(read);
  });

  it.each(['--0517', '--05-17', '1604-05-17', 'mayo 17', '1990'])(
    'leaves out BDAY %s, which has no full date',
    (written) => {
      expect(only(card('FN:Ana', `BDAY:${written}`))).toEqual({ formattedName: 'Ana' });
    },
  );

  it.each<[string, string | undefined]>([
    ['TEL;TYPE=CELL', 'Mobile'],
    ['TEL;TYPE=mobile', 'Mobile'],
    ['TEL;TYPE=IPHONE,CELL', 'iPhone'],
    ['TEL;TYPE=WORK;TYPE=CELL', 'Mobile'],
    ['TEL;TYPE=WORK,VOICE', 'Work'],
    ['TEL;TYPE=HOME', 'Home'],
    ['TEL;TYPE=MAIN', 'Main'],
    ['TEL;TYPE=pref', 'Main'],
    ['TEL;TYPE=VOICE', undefined],
    ['TEL', undefined],
  ])('labels %s as %s', (head, type) => {
    const phone = only(card('FN:Ana', `${head}:+593991234567`)).phones?.[0];
    expect(phone).toEqual(
      type === undefined ? { number: '+593991234567' } : { number: '+593991234567', type },
    );
  });

  it("prefers Apple's X-ABLabel of the row's group over its TYPE, and reads Apple's built-in labels", () => {
    const contact = only(
      card(
        'FN:Ana',
        'item1.TEL;type=CELL:+593991234567',
        'item1.X-ABLabel:Casa de la playa',
        'ITEM2.TEL:+59322983200',
        'item2.x-ablabel:_$!<Work>!$_',
        'item3.ADR:;;Calle 1;Quito;;;',
        'item3.X-ABLabel:_$!<Work>!$_',
        'item3.X-ABADR:ec',
        'item4.EMAIL:a@example.com',
        'item4.X-ABLabel:_$!<Other>!$_',
      ),
    );
    expect(contact).toEqual({
      formattedName: 'Ana',
      phones: [
        { number: '+593991234567', type: 'Casa de la playa' },
        { number: '+59322983200', type: 'Work' },
      ],
      emails: [{ address: 'a@example.com' }],
      addresses: [{ street: 'Calle 1', city: 'Quito', countryCode: 'EC', type: 'Office' }],
    });
  });

  it('recognises country names in English and Spanish, and keeps a name it cannot place', () => {
    const countries = ['México', 'United States', 'EE. UU.', 'Perú', 'Narnia'];
    const contact = only(card('FN:Ana', ...countries.map((country) => `ADR:;;;;;;${country}`)));
    expect(contact.addresses).toEqual([
      { country: 'México', countryCode: 'MX' },
      { country: 'United States', countryCode: 'US' },
      { country: 'EE. UU.', countryCode: 'US' },
      { country: 'Perú', countryCode: 'PE' },
      { country: 'Narnia' },
    ]);
  });

  it('joins the post office box and extended address into the street, and ORG sub-units into the department', () => {
    const contact = only(
      card('FN:Ana', 'ADR;TYPE=WORK:Casilla 17-01;Piso 3;Av. Colón 1;Quito;;;', 'ORG:Acme;Ventas;Norte'),
    );
    expect(contact).toEqual({
      formattedName: 'Ana',
      addresses: [{ street: 'Av. Colón 1, Piso 3, Casilla 17-01', city: 'Quito', type: 'Office' }],
      company: 'Acme',
      department: 'Ventas, Norte',
    });
  });

  it('skips a card it cannot read and keeps the others, saying which', () => {
    const text = [card('FN:Uno'), card('FN:Dos', 'TEL;TYPE="unclosed:+593991234567'), card('FN:Tres')].join(
      '',
    );
    const result = parseVcf(text);
    expect(result.contacts).toEqual([{ formattedName: 'Uno' }, { formattedName: 'Tres' }]);
    expect(result.skipped).toEqual([{ index: 1, reason: 'malformed' }]);
  });

  it('reads a card cut short by the end of the file', () => {
    expect(parseVcf('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nTEL:+593991234567').contacts).toEqual([
      { formattedName: 'Ana', phones: [{ number: '+593991234567' }] },
    ]);
  });

  it('returns every card of a large file, more than one message can carry, for the caller to choose', () => {
    const count = MAX_CONTACTS_PER_MESSAGE + 3;
    const text = Array.from({ length: count }, (_, i) => card(`FN:Contacto ${i}`)).join('');
    expect(parseVcf(text).contacts).toHaveLength(count);
  });
});

describe('parseVcf: refusals', () => {
  it.each<[string, string, VcardErrorReason, ErrorCode]>([
    ['not a vCard at all', 'Nombre,Teléfono\nAna,+593991234567\n', 'not_vcard', ErrorCode.VcardInvalid],
    ['an empty file', '', 'not_vcard', ErrorCode.VcardInvalid],
    [
      'only empty cards',
      `${card('N:;;;;', 'FN:')}${card('NOTE:nada')}`,
      'no_contacts',
      ErrorCode.VcardInvalid,
    ],
    ['only unreadable cards', card('FN;TYPE="x:Ana'), 'no_contacts', ErrorCode.VcardInvalid],
  ])('refuses %s', (_what, text, reason, code) => {
    const error = vcardErrorOf(() => parseVcf(text));
    expect(error.reason).toBe(reason);
    expect(error.code).toBe(code);
    expect(error.sentence).toEqual(sentenceFor(code));
  });

  it('refuses a file over the limit by its UTF-8 bytes, not its characters', () => {
    const text = card(`FN:${'ñ'.repeat(40)}`);
    const bytes = Buffer.byteLength(text, 'utf8');
    expect(parseVcf(text, { maxBytes: bytes }).contacts).toHaveLength(1);
    const error = vcardErrorOf(() => parseVcf(text, { maxBytes: bytes - 1 }));
    expect(error.reason).toBe('too_large');
    expect(error.code).toBe(ErrorCode.FileTooLarge);
  });

  it('refuses a file over 1 MiB by default', () => {
    const text = card(`NOTE:${'x'.repeat(MAX_VCF_BYTES)}`, 'FN:Ana');
    expect(vcardErrorOf(() => parseVcf(text)).reason).toBe('too_large');
  });
});

/** A contact as it went on the wire, with every field and a text full of characters to escape. */
const SENT: Contact = {
  name: {
    formatted_name: 'Dra. Núñez, María; José \\ 🐉',
    first_name: 'María José',
    last_name: 'Núñez',
    prefix: 'Dra.',
  },
  phones: [
    { phone: '+593991234567', wa_id: '593991234567', type: 'Mobile' },
    { phone: '+59322983200', wa_id: '59322983200', type: 'Oficina, piso 2' },
    { phone: '+12133734253', wa_id: '12133734253' },
  ],
  emails: [{ email: 'maria@example.com', type: 'Work' }],
  addresses: [
    {
      street: 'Av. Amazonas N34-451; Piso 3',
      city: 'Quito',
      zip: '170135',
      country: 'Ecuador',
      country_code: 'EC',
      type: 'Office',
    },
  ],
  org: { company: 'Farmacias Cruz Azul', department: 'Compras', title: 'Jefa de compras' },
  urls: [{ url: 'https://example.com/a?b=1,2;c', type: 'Sitio' }],
  birthday: '1988-11-03',
};

describe('toVcf', () => {
  it('writes vCard 3.0 with CRLF, escaped text, TYPE for the app labels and Apple groups for others', () => {
    expect(toVcf([SENT]).split('\r\n')).toEqual([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Núñez;María José;;Dra.;',
      'FN:Dra. Núñez\\, María\\; José \\\\ 🐉',
      'ORG:Farmacias Cruz Azul;Compras',
      'TITLE:Jefa de compras',
      'TEL;TYPE=CELL:+593991234567',
      'item1.TEL:+59322983200',
      'item1.X-ABLabel:Oficina\\, piso 2',
      'TEL:+12133734253',
      'EMAIL;TYPE=INTERNET,WORK:maria@example.com',
      'item2.ADR;TYPE=WORK:;;Av. Amazonas N34-451\\; Piso 3;Quito;;170135;Ecuador',
      'item2.X-ABADR:ec',
      'item3.URL:https://example.com/a?b=1,2;c',
      'item3.X-ABLabel:Sitio',
      'BDAY:1988-11-03',
      'END:VCARD',
      '',
    ]);
  });

  it('reads back as the contact that was sent', () => {
    const { contacts } = parseVcf(toVcf([SENT, { name: { formatted_name: 'Ana', first_name: 'Ana' } }]));
    const message = buildContactsMessage('+593991234567', contacts, { now: NOW });
    expect(message.contacts).toEqual([SENT, { name: { formatted_name: 'Ana', first_name: 'Ana' } }]);
  });

  it('folds long lines at 75 octets without splitting a UTF-8 sequence', () => {
    const long = `${'ñ'.repeat(30)}${'🐉'.repeat(20)}${'a'.repeat(50)}漢字`;
    const written = toVcf([{ name: { formatted_name: long, first_name: 'Ana' } }]);
    const physical = written.split('\r\n');
    expect(physical.filter((line) => line.startsWith(' ')).length).toBeGreaterThanOrEqual(2);
    for (const line of physical) {
      const bytes = Buffer.from(line, 'utf8');
      expect(bytes.length).toBeLessThanOrEqual(75);
      // A split sequence would not decode back to the same text on its own.
      expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(line);
    }
    expect(written.replaceAll('\r\n ', '')).toContain(`FN:${long}\r\n`);
  });

  it("keeps a label named like an object's own property (valueOf, constructor) as that label", () => {
    // Found by the round-trip property: the label table was a plain object, so `valueOf` found
    // Object.prototype's function and the label was lost.
    const sent = {
      name: { formatted_name: 'Ana', first_name: 'Ana' },
      phones: [{ phone: '+593991234567', type: 'constructor' }],
      emails: [{ email: 'ana@example.com', type: 'valueOf' }],
    };
    const written = toVcf([sent]).split('\r\n');
    expect(written).toContain('item1.X-ABLabel:constructor');
    expect(written).toContain('item2.X-ABLabel:valueOf');
    expect(parseVcf(toVcf([sent])).contacts[0]).toMatchObject({
      phones: [{ type: 'constructor' }],
      emails: [{ type: 'valueOf' }],
    });
  });

  it("reads an Apple label named like an object's own property as that label", () => {
    const file = card(
      'N:;Ana;;;',
      'FN:Ana',
      'item1.TEL:+593991234567',
      'item1.X-ABLabel:_$!<constructor>!$_',
    );
    expect(parseVcf(file).contacts[0]).toMatchObject({
      phones: [{ number: '+593991234567', type: 'constructor' }],
    });
  });

  it('writes nothing for no contacts', () => {
    expect(toVcf([])).toBe('');
  });
});
