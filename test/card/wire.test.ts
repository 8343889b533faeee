/** The wire schema is the oracle for everything the parser produces: it must refuse sloppy bodies. */
import { describe, expect, it } from 'vitest';
import {
  type Contact,
  type ContactsMessage,
  contactSchema,
  contactsMessageSchema,
} from '../../src/card/index.js';

const contact: Contact = {
  name: { formatted_name: 'Juan Pérez', first_name: 'Juan', last_name: 'Pérez' },
  phones: [{ phone: '+525512345678', type: 'Mobile', wa_id: '5215512345678' }],
  emails: [{ email: 'juan@ejemplo.com', type: 'Work' }],
  addresses: [{ city: 'Ciudad de México', country_code: 'MX', type: 'Office' }],
  org: { company: 'Jelou' },
  urls: [{ url: 'https://jelou.ai' }],
  birthday: '1990-05-31',
};
const message: ContactsMessage = { type: 'contacts', userId: '593991234567', contacts: [contact] };

const withName = (name: Record<string, unknown>) => ({ ...contact, name });

describe('contactSchema', () => {
  it('accepts a clean contact', () => {
    expect(contactSchema.safeParse(contact).success).toBe(true);
    expect(contactSchema.safeParse({ name: { formatted_name: 'Ana', first_name: 'Ana' } }).success).toBe(
      true,
    );
  });

  it.each([
    ['an empty formatted_name', withName({ formatted_name: '', first_name: 'Juan' })],
    ['no formatted_name', withName({ first_name: 'Juan' })],
    ['formatted_name alone', withName({ formatted_name: 'Juan' })],
    ['an untrimmed name', withName({ formatted_name: ' Juan', first_name: 'Juan' })],
    ['a double space', withName({ formatted_name: 'Juan  Pérez', first_name: 'Juan' })],
    ['a newline', withName({ formatted_name: 'Juan\nPérez', first_name: 'Juan' })],
    ['a no-break space', withName({ formatted_name: 'Juan\u00A0Pérez', first_name: 'Juan' })],
    ['a control character', withName({ formatted_name: 'Juan\u0000', first_name: 'Juan' })],
    ['a zero-width space', withName({ formatted_name: 'Ju\u200Ban', first_name: 'Juan' })],
    ['a right-to-left override', withName({ formatted_name: '\u202EJuan', first_name: 'Juan' })],
    ['a lone surrogate', withName({ formatted_name: 'Juan\uDC00', first_name: 'Juan' })],
    ['NFD text', withName({ formatted_name: 'Zoe\u0308', first_name: 'Juan' })],
    ['a 128-character name', withName({ formatted_name: 'x'.repeat(128), first_name: 'Juan' })],
    ['an empty optional string', withName({ formatted_name: 'Juan', first_name: '' })],
    [
      'an optional field present as undefined',
      withName({ formatted_name: 'Juan', first_name: 'Juan', suffix: undefined }),
    ],
    ['an unknown name field', withName({ formatted_name: 'Juan', first_name: 'Juan', nickname: 'J' })],
    ['an empty phone list', { ...contact, phones: [] }],
    ['21 phones', { ...contact, phones: Array.from({ length: 21 }, () => contact.phones?.[0]) }],
    ['a phone with spaces', { ...contact, phones: [{ phone: '+52 55 1234 5678', wa_id: '5215512345678' }] }],
    ['a phone without +', { ...contact, phones: [{ phone: '525512345678', wa_id: '5215512345678' }] }],
    [
      'a phone that is not a valid number',
      { ...contact, phones: [{ phone: '+59321234567', wa_id: '59321234567' }] },
    ],
    [
      'a wa_id of another number',
      { ...contact, phones: [{ phone: '+525512345678', wa_id: '593991234567' }] },
    ],
    ['a wa_id with +', { ...contact, phones: [{ phone: '+525512345678', wa_id: '+525512345678' }] }],
    [
      'an empty phone type',
      { ...contact, phones: [{ phone: '+525512345678', type: '', wa_id: '5215512345678' }] },
    ],
    ['an invalid email', { ...contact, emails: [{ email: 'juan@' }] }],
    ['an email with an upper-case domain', { ...contact, emails: [{ email: 'juan@Ejemplo.com' }] }],
    ['an untrimmed email', { ...contact, emails: [{ email: ' juan@ejemplo.com' }] }],
    [
      'an email with a 65-character local part',
      { ...contact, emails: [{ email: `${'a'.repeat(65)}@ejemplo.com` }] },
    ],
    ['an empty address', { ...contact, addresses: [{}] }],
    ['an address with only a type', { ...contact, addresses: [{ type: 'Home' }] }],
    ['a lower-case country code', { ...contact, addresses: [{ country_code: 'mx' }] }],
    ['an unassigned country code', { ...contact, addresses: [{ country_code: 'XK' }] }],
    ['an empty org', { ...contact, org: {} }],
    ['a javascript: URL', { ...contact, urls: [{ url: 'javascript:alert(1)' }] }],
    ['an ftp URL', { ...contact, urls: [{ url: 'ftp://example.com' }] }],
    ['a URL with credentials', { ...contact, urls: [{ url: 'https://a:b@example.com' }] }],
    ['an untrimmed URL', { ...contact, urls: [{ url: ' https://jelou.ai' }] }],
    ['an impossible birthday', { ...contact, birthday: '2023-02-29' }],
    ['a month 13', { ...contact, birthday: '2024-13-01' }],
    ['a birthday before 1900', { ...contact, birthday: '1899-12-31' }],
    ['a birthday in another format', { ...contact, birthday: '31/05/1990' }],
    ['an unknown field', { ...contact, nickname: 'J' }],
    [
      'an extension in wa_id',
      { ...contact, phones: [{ phone: '+14155550123 ext. 12', wa_id: '1415555012312' }] },
    ],
    ['an extension written otherwise', { ...contact, phones: [{ phone: '+14155550123 x12' }] }],
  ])('refuses %s', (_, value) => {
    expect(contactSchema.safeParse(value).success).toBe(false);
  });
});

describe('contactsMessageSchema', () => {
  it('accepts a clean message', () => {
    expect(contactsMessageSchema.safeParse(message).success).toBe(true);
  });

  // Jelou's user id is sent verbatim: WhatsApp's own forms and business-scoped ids included.
  it.each([
    ['Ecuador', '593991234567'],
    ['Mexico as WhatsApp reports it', '5215512345678'],
    ['Mexico in E.164', '525512345678'],
    ['Argentina with the 9', '5491123456789'],
    ['Brazil without the ninth digit', '551181234567'],
    ['Brazil with it', '5511981234567'],
    ['Colombia', '573101234567'],
    ['Peru', '51912345678'],
    ['Spain', '34612345678'],
    ['US', '14155550123'],
    ['a business-scoped id', 'US.13491208655302741918'],
    ['a business-scoped id from Brazil', 'BR.a8f3k2'],
  ])('accepts a userId: %s', (_, userId) => {
    expect(contactsMessageSchema.safeParse({ ...message, userId }).success).toBe(true);
  });

  it.each([
    ['without wa_id (fax, landline, no WhatsApp)', { phone: '+525512345678', type: 'Fax' }],
    ['with the E.164 digits as wa_id', { phone: '+525512345678', wa_id: '525512345678' }],
    ['with an extension, wa_id without it', { phone: '+14155550123 ext. 12', wa_id: '14155550123' }],
    ['Argentina without the 9 in wa_id', { phone: '+5491123456789', wa_id: '541123456789' }],
  ])('accepts a phone %s', (_, phone) => {
    expect(contactSchema.safeParse({ ...contact, phones: [phone] }).success).toBe(true);
  });

  it.each([
    ['another type', { ...message, type: 'text' }],
    ['a userId with +', { ...message, userId: '+593991234567' }],
    ['a userId with spaces', { ...message, userId: '593 99 123 4567' }],
    ['a userId too long for WhatsApp', { ...message, userId: '5932123456789012' }],
    ['a userId that is a lower-case business-scoped id', { ...message, userId: 'us.13491208655302741918' }],
    ['a userId that is a Facebook-style text id', { ...message, userId: 'fb:1234567890' }],
    ['an empty userId', { ...message, userId: '' }],
    ['no contacts', { ...message, contacts: [] }],
    ['258 contacts', { ...message, contacts: Array.from({ length: 258 }, () => contact) }],
    ['an unknown field', { ...message, botId: 'x' }],
  ])('refuses %s', (_, value) => {
    expect(contactsMessageSchema.safeParse(value).success).toBe(false);
  });

  it('accepts 257 contacts', () => {
    const full = { ...message, contacts: Array.from({ length: 257 }, () => contact) };
    expect(contactsMessageSchema.safeParse(full).success).toBe(true);
  });
});
