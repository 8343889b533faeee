/**
 * vCard files (.vcf) in and out of the contact card: `parseVcf` reads what phones and mail
 * clients export (vCard 2.1, 3.0 and 4.0) into {@link ContactInput}s for a person to check before
 * sending, and `toVcf` writes the contacts that were sent as a vCard 3.0 file anyone can import.
 * Pure: no Slack, no I/O.
 */
import ICAL from 'ical.js';
import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors.js';
import { countryCodeFromName, isIsoCountryCode } from './countries.js';
import type { ContactInput } from './input.js';
import { escapeText, foldLine, prepareCard, splitCards, unescapeText } from './vcard-lines.js';
import type { Contact } from './wire.js';

/** Largest file `parseVcf` reads by default: 1 MiB holds thousands of contacts without photos. */
export const MAX_VCF_BYTES = 1024 * 1024;

/** Why a file gave no contacts at all. */
export type VcardErrorReason = 'too_large' | 'not_vcard' | 'no_contacts';

/**
 * Thrown by {@link parseVcf}, and the only thing it throws. `too_large` carries the code
 * `file_too_large`; the other reasons `vcard_invalid`.
 */
export class VcardError extends CodedError {
  readonly reason: VcardErrorReason;

  constructor(reason: VcardErrorReason, message: string, options?: { cause?: unknown }) {
    super(reason === 'too_large' ? ErrorCode.FileTooLarge : ErrorCode.VcardInvalid, message, options);
    this.name = 'VcardError';
    this.reason = reason;
  }
}

/** Why one vCard in a file gave no contact: it could not be read, or held nothing a card has. */
export type VcardSkipReason = 'malformed' | 'empty';

/** A vCard of the file that gave no contact, by its position among the file's vCards (from 0). */
export type VcardSkipped = { readonly index: number; readonly reason: VcardSkipReason };

/** What a file gave. */
export type VcfParseResult = {
  /** One per vCard that held anything a contact card has, in file order. */
  readonly contacts: ContactInput[];
  /** The vCards that gave none, so a person can be told "2 of 40 could not be read". */
  readonly skipped: readonly VcardSkipped[];
};

/** Options of {@link parseVcf}. */
export type VcfParseOptions = {
  /** Refuse files larger than this many UTF-8 bytes; defaults to {@link MAX_VCF_BYTES}. */
  readonly maxBytes?: number;
};

/**
 * Reads every contact of a vCard file (2.1, 3.0 or 4.0; CRLF or LF; with or without a BOM).
 * Maps FN, N, TEL, EMAIL, ADR, ORG, TITLE, URL and BDAY, with labels from TYPE or from Apple's
 * `itemN.X-ABLabel`, and the country code from Apple's `X-ABADR` or the country's name. Values
 * are returned as written (trimmed); checking them is `buildContactsMessage`'s job, so a person
 * sees what the file held and what needs fixing. Birthdays without a year, photos, notes and
 * other properties are left out: a WhatsApp contact card cannot carry them.
 *
 * Throws {@link VcardError} (and nothing else, whatever `text` is) when the file is over the size
 * limit, holds no vCard, or none of its vCards gives a contact.
 */
export function parseVcf(text: string, options: VcfParseOptions = {}): VcfParseResult {
  const maxBytes = options.maxBytes ?? MAX_VCF_BYTES;
  // Every UTF-16 unit takes at least one UTF-8 byte, so the cheap length check never refuses a
  // file that fits; the byte count settles the rest.
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new VcardError('too_large', `vCard file over ${maxBytes} bytes`);
  }
  const cards = splitCards(text.replace(/^\uFEFF/u, ''));
  if (cards.length === 0) throw new VcardError('not_vcard', 'no BEGIN:VCARD in the file');

  const contacts: ContactInput[] = [];
  const skipped: VcardSkipped[] = [];
  cards.forEach((lines, index) => {
    const read = readCard(lines);
    if (read.ok) contacts.push(read.contact);
    else skipped.push({ index, reason: read.reason });
  });
  if (contacts.length === 0) {
    throw new VcardError('no_contacts', `none of the ${cards.length} vCards holds a contact`);
  }
  return { contacts, skipped };
}

type CardRead = { ok: true; contact: ContactInput } | { ok: false; reason: VcardSkipReason };

// ical.js's output is untyped jCard (RFC 7095); checked here so the mapping below can trust it.
const jCardProperty = z.tuple([z.string(), z.record(z.string(), z.unknown()), z.string()], z.unknown());
const jCard = z.tuple([z.literal('vcard'), z.array(jCardProperty), z.array(z.unknown())], z.unknown());
type JCardProperty = z.infer<typeof jCardProperty>;

function readCard(lines: readonly string[]): CardRead {
  let parsed: unknown;
  let backslash: string | undefined;
  try {
    const prepared = prepareCard(lines);
    backslash = prepared.backslash;
    parsed = ICAL.parse(prepared.text);
  } catch {
    // ical.js throws its ParserError, and on some inputs a TypeError from inside; either way
    // this card cannot be read, and the others still can.
    return { ok: false, reason: 'malformed' };
  }
  const card = jCard.safeParse(parsed);
  if (!card.success) return { ok: false, reason: 'malformed' };
  const contact = toContactInput(card.data[1].map(readProperty), backslash);
  return Object.keys(contact).length > 0 ? { ok: true, contact } : { ok: false, reason: 'empty' };
}

/** One property, as the mapping needs it. */
type Property = {
  readonly name: string;
  readonly group: string | undefined;
  readonly types: readonly string[];
  readonly pref: boolean;
  readonly values: readonly unknown[];
};

function readProperty([name, params, , ...values]: JCardProperty): Property {
  const types = [params.type]
    .flat()
    .filter((type): type is string => typeof type === 'string')
    .flatMap((type) => type.split(','))
    .map((type) => type.trim().toLowerCase())
    .filter((type) => type !== '');
  const group = typeof params.group === 'string' ? params.group.toLowerCase() : undefined;
  return { name: name.toLowerCase(), group, types, pref: params.pref !== undefined, values };
}

/** A single text value; several values (a list property) are joined by `separator`. */
function single(value: unknown, separator = ' '): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((part) => single(part, separator)).filter((part) => part !== undefined);
    return parts.length > 0 ? parts.join(separator) : undefined;
  }
  return undefined;
}

/**
 * The components of a structured value (N, ADR, ORG), a component's own list joined, and the
 * stand-in for escaped backslashes (see `prepareCard`) turned back into `\`.
 */
function components(value: unknown, separator: string, backslash: string | undefined): string[] {
  const parts = Array.isArray(value) ? value : [value];
  return parts.map((part) => {
    const text = single(part, separator) ?? '';
    return backslash === undefined ? text : text.replaceAll(backslash, '\\');
  });
}

/** Trimmed, or `undefined` when nothing is left. */
function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

// For plain text properties ical.js follows vCard 4.0, where `;` needs no escape, and leaves a
// 3.0 writer's `\;` as it is. `\\` is already undone by then, so a `\;` left is an escaped `;`.
function text(value: unknown): string | undefined {
  return present(single(value)?.replaceAll('\\;', ';'));
}

type Kind = 'phone' | 'email' | 'address' | 'url';

/** TYPE values by kind, most telling first; the first one present names the row. */
const TYPE_LABELS: Readonly<Record<Kind, readonly (readonly [string, string])[]>> = {
  phone: [
    ['iphone', 'iPhone'],
    ['cell', 'Mobile'],
    ['mobile', 'Mobile'],
    ['fax', 'Fax'],
    ['pager', 'Pager'],
    ['main', 'Main'],
    ['work', 'Work'],
    ['home', 'Home'],
  ],
  email: [
    ['work', 'Work'],
    ['home', 'Home'],
  ],
  address: [
    ['work', 'Office'],
    ['home', 'Home'],
  ],
  url: [
    ['work', 'Work'],
    ['home', 'Home'],
  ],
};

/** Apple's built-in labels that are not TYPE names, as `_$!<Name>!$_`; `Other` means none. */
const APPLE_LABELS: Readonly<Record<string, string | undefined>> = {
  homefax: 'Home fax',
  workfax: 'Work fax',
  otherfax: 'Fax',
  homepage: 'Homepage',
  other: undefined,
};

function labelFromTypes(kind: Kind, types: readonly string[], pref: boolean): string | undefined {
  const label = TYPE_LABELS[kind].find(([type]) => types.includes(type))?.[1];
  // A number marked only as preferred is the one to call first: its main number.
  if (label === undefined && kind === 'phone' && (pref || types.includes('pref'))) return 'Main';
  return label;
}

function labelFromApple(kind: Kind, label: string): string | undefined {
  const builtIn = /^_\$!<(.*)>!\$_$/u.exec(label)?.[1];
  if (builtIn === undefined) return present(label);
  const key = builtIn.toLowerCase();
  if (Object.hasOwn(APPLE_LABELS, key)) return APPLE_LABELS[key];
  return labelFromTypes(kind, [key], false) ?? present(builtIn);
}

/** Apple groups a row with its label (`itemN.X-ABLabel`) and country code (`itemN.X-ABADR`). */
type Groups = { labels: Map<string, string>; countries: Map<string, string> };

function groupsOf(properties: readonly Property[]): Groups {
  const groups: Groups = { labels: new Map(), countries: new Map() };
  for (const property of properties) {
    if (property.group === undefined) continue;
    // Extension properties come back raw from ical.js, escapes and all.
    const value = present(unescapeText(single(property.values[0]) ?? ''));
    if (value === undefined) continue;
    if (property.name === 'x-ablabel') groups.labels.set(property.group, value);
    if (property.name === 'x-abadr') groups.countries.set(property.group, value);
  }
  return groups;
}

function label(kind: Kind, property: Property, groups: Groups): string | undefined {
  const grouped = property.group === undefined ? undefined : groups.labels.get(property.group);
  if (grouped !== undefined) return labelFromApple(kind, grouped);
  return labelFromTypes(kind, property.types, property.pref);
}

function toContactInput(properties: readonly Property[], backslash: string | undefined): ContactInput {
  const groups = groupsOf(properties);
  const first = (name: string) => properties.find((property) => property.name === name);
  const all = (name: string) => properties.filter((property) => property.name === name);
  const contact: ContactInput = {};

  const formattedName = text(first('fn')?.values[0]);
  if (formattedName !== undefined) contact.formattedName = formattedName;
  const n = first('n');
  if (n !== undefined) {
    const [last, given, middle, prefix, suffix] = components(n.values[0], ' ', backslash).map(present);
    if (last !== undefined) contact.lastName = last;
    if (given !== undefined) contact.firstName = given;
    if (middle !== undefined) contact.middleName = middle;
    if (prefix !== undefined) contact.prefix = prefix;
    if (suffix !== undefined) contact.suffix = suffix;
  }

  const phones = all('tel').flatMap((property) => {
    const number = phoneNumber(single(property.values[0]));
    if (number === undefined) return [];
    const type = label('phone', property, groups);
    return [type === undefined ? { number } : { number, type }];
  });
  if (phones.length > 0) contact.phones = phones;

  const emails = all('email').flatMap((property) => {
    const address = text(property.values[0])?.replace(/^mailto:/iu, '');
    if (address === undefined) return [];
    const type = label('email', property, groups);
    return [type === undefined ? { address } : { address, type }];
  });
  if (emails.length > 0) contact.emails = emails;

  const addresses = all('adr').flatMap((property) => readAddress(property, groups, backslash));
  if (addresses.length > 0) contact.addresses = addresses;

  const org = first('org');
  if (org !== undefined) {
    const [company, ...units] = components(org.values[0], ',', backslash).map(present);
    const department = present(units.filter((unit) => unit !== undefined).join(', '));
    if (company !== undefined) contact.company = company;
    if (department !== undefined) contact.department = department;
  }
  const title = text(first('title')?.values[0]);
  if (title !== undefined) contact.title = title;

  const urls = all('url').flatMap((property) => {
    const url = webAddress(single(property.values[0]));
    if (url === undefined) return [];
    const type = label('url', property, groups);
    return [type === undefined ? { url } : { url, type }];
  });
  if (urls.length > 0) contact.urls = urls;

  const birthday = first('bday');
  const date = birthday === undefined ? undefined : calendarDate(birthday);
  if (date !== undefined) contact.birthday = date;
  return contact;
}

/**
 * A TEL value: 4.0 writes `tel:` URIs (RFC 3966), whose parameters are not part of the number
 * except `ext=`, the extension, which the card keeps in the phone's text (never in its wa_id).
 */
function phoneNumber(value: string | undefined): string | undefined {
  const number = present(value);
  if (number === undefined || !/^tel:/iu.test(number)) return number;
  const [digits, ...parameters] = number.slice('tel:'.length).split(';');
  const ext = parameters.find((parameter) => /^ext=\d{1,10}$/iu.test(parameter));
  const main = present(digits);
  return main === undefined || ext === undefined ? main : `${main} ext. ${ext.slice(4)}`;
}

/** A URL value: raw in ical.js, though some writers escape `:` and `,` as text. */
function webAddress(value: string | undefined): string | undefined {
  const url = present(value?.replace(/\\([\\:;,])/gu, '$1'));
  // Address books keep "www.example.com" as typed; the card wants a scheme.
  return url !== undefined && /^www\./iu.test(url) ? `https://${url}` : url;
}

function readAddress(
  property: Property,
  groups: Groups,
  backslash: string | undefined,
): NonNullable<ContactInput['addresses']> {
  // ADR components are post office box; extended address; street; city; region; code; country.
  const [poBox, extended, street, city, state, zip, country] = components(
    property.values[0],
    ',',
    backslash,
  ).map(
    // Address books keep multi-line streets ("Av. Amazonas 123\nPiso 2"); the card has one line.
    (part) => present(part.replace(/\s*[\r\n]+\s*/gu, ', ')),
  );
  const address: NonNullable<ContactInput['addresses']>[number] = {};
  const streetLine = present([street, extended, poBox].filter((part) => part !== undefined).join(', '));
  if (streetLine !== undefined) address.street = streetLine;
  if (city !== undefined) address.city = city;
  if (state !== undefined) address.state = state;
  if (zip !== undefined) address.zip = zip;
  if (country !== undefined) address.country = country;
  const apple = property.group === undefined ? undefined : groups.countries.get(property.group);
  const code = apple?.toUpperCase() ?? (country === undefined ? undefined : countryCodeFromName(country));
  if (code !== undefined && isIsoCountryCode(code)) address.countryCode = code;
  if (Object.keys(address).length === 0) return [];
  const type = label('address', property, groups);
  if (type !== undefined) address.type = type;
  return [address];
}

/**
 * `YYYY-MM-DD` from the full dates vCard writers use (`1990-05-17`, `19900517`, with or without a
 * time). Dates without a year (`--0517`, or Apple's stand-in year 1604) have no place on the card.
 */
function calendarDate(property: Property): string | undefined {
  const value = present(single(property.values[0]));
  const match = value === undefined ? null : /^(\d{4})-?(\d{2})-?(\d{2})(?:T|$)/u.exec(value);
  if (match === null || match[1] === '1604') return undefined;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** TYPE values written for the app's own labels; any other label goes in `X-ABLabel`. */
const WRITTEN_TYPES: Readonly<Record<Kind, Readonly<Record<string, string>>>> = {
  phone: { Mobile: 'CELL', iPhone: 'IPHONE,CELL', Main: 'MAIN', Work: 'WORK,VOICE', Home: 'HOME,VOICE' },
  email: { Work: 'INTERNET,WORK', Home: 'INTERNET,HOME' },
  address: { Office: 'WORK', Home: 'HOME' },
  url: { Work: 'WORK', Home: 'HOME' },
};

/**
 * Writes contacts as they went on the wire as one vCard 3.0 file: the version iPhone, Android,
 * Google Contacts and Outlook all import. CRLF line ends, UTF-8, lines folded at 75 octets
 * without splitting a character, text escaped as RFC 2426 wants. Labels the app offers become
 * TYPE values; any other label, and an address's country code, ride in Apple's
 * `itemN.X-ABLabel` / `itemN.X-ABADR`, which Apple and Google both read.
 *
 * Written here rather than with ical.js, which follows vCard 4.0 in not escaping `;` in text and
 * lets a folded line reach 76 octets.
 */
export function toVcf(contacts: readonly Contact[]): string {
  return contacts.map(writeCard).join('');
}

function writeCard(contact: Contact): string {
  const lines: string[] = ['BEGIN:VCARD', 'VERSION:3.0'];
  let groups = 0;
  const nextGroup = () => {
    groups += 1;
    return `item${groups}`;
  };
  /** A row's line, grouped with its label when the label is not one TYPE can say. */
  const row = (kind: Kind, name: string, value: string, type: string | undefined, extra: string[] = []) => {
    // Own keys only: a label a person typed ("valueOf") must not find Object.prototype's members.
    const written =
      type !== undefined && Object.hasOwn(WRITTEN_TYPES[kind], type) ? WRITTEN_TYPES[kind][type] : undefined;
    const needsGroup = (type !== undefined && written === undefined) || extra.length > 0;
    const group = needsGroup ? `${nextGroup()}.` : '';
    lines.push(`${group}${name}${written === undefined ? '' : `;TYPE=${written}`}:${value}`);
    if (type !== undefined && written === undefined) lines.push(`${group}X-ABLabel:${escapeText(type)}`);
    for (const line of extra) lines.push(`${group}${line}`);
  };

  const { name } = contact;
  const n = [name.last_name, name.first_name, name.middle_name, name.prefix, name.suffix];
  lines.push(`N:${n.map((part) => escapeText(part ?? '')).join(';')}`);
  lines.push(`FN:${escapeText(name.formatted_name)}`);
  if (contact.org?.company !== undefined || contact.org?.department !== undefined) {
    lines.push(`ORG:${escapeText(contact.org.company ?? '')};${escapeText(contact.org.department ?? '')}`);
  }
  if (contact.org?.title !== undefined) lines.push(`TITLE:${escapeText(contact.org.title)}`);
  for (const phone of contact.phones ?? []) row('phone', 'TEL', phone.phone, phone.type);
  for (const email of contact.emails ?? []) row('email', 'EMAIL', escapeText(email.email), email.type);
  for (const address of contact.addresses ?? []) {
    const parts = ['', '', address.street, address.city, address.state, address.zip, address.country];
    const extra = address.country_code === undefined ? [] : [`X-ABADR:${address.country_code.toLowerCase()}`];
    row('address', 'ADR', parts.map((part) => escapeText(part ?? '')).join(';'), address.type, extra);
  }
  // A URI value, not text: escaping would put backslashes into the link.
  for (const url of contact.urls ?? []) row('url', 'URL', url.url, url.type);
  if (contact.birthday !== undefined) lines.push(`BDAY:${contact.birthday}`);
  lines.push('END:VCARD');
  return lines.map((line) => `${foldLine(line)}\r\n`).join('');
}
