/** Internal: one contact as typed to one contact on the wire, with every issue recorded. */
import type { CountryCode } from 'libphonenumber-js/max';
import { isCalendarDate, isFutureDate } from './birthday.js';
import type { IssueCollector } from './collector.js';
import { isIsoCountryCode } from './countries.js';
import { normaliseEmail } from './email.js';
import { cleanField, collectList, isBlank, requireWhenLabelled } from './fields.js';
import { type ContactInput, readContactInput } from './input.js';
import { CardIssueCode } from './issues.js';
import { MAX_LENGTH } from './limits.js';
import { parsePhone } from './phone.js';
import { isHttpUrl } from './url.js';
import { isNoWhatsAppLabel, waIdForNumber } from './whatsapp.js';
import type { Contact } from './wire.js';

type Row<K extends 'phones' | 'emails' | 'addresses' | 'urls'> = NonNullable<ContactInput[K]>[number];
type Out<K extends 'phones' | 'emails' | 'addresses' | 'urls'> = NonNullable<Contact[K]>[number];

/** What reading a contact needs besides the input. */
export type ContactContext = { readonly defaultCountry: CountryCode | undefined; readonly now: Date };

/**
 * Reads one contact, recording its issues in `issues`. Returns the contact only when it has none;
 * empty fields, rows and groups are left out of it.
 */
export function collectContact(
  raw: unknown,
  issues: IssueCollector,
  context: ContactContext,
): Contact | undefined {
  const before = issues.count;
  const { input, complete } = readContactInput(raw, issues);
  const name = collectName(input, issues, complete);
  const phones = collectList(input.phones, issues.at('phones'), (row, at) => readPhone(row, at, context));
  const emails = collectList(input.emails, issues.at('emails'), readEmail);
  const addresses = collectList(input.addresses, issues.at('addresses'), readAddress);
  const org = collectOrg(input, issues);
  const urls = collectList(input.urls, issues.at('urls'), readUrl);
  const birthday = collectBirthday(input.birthday, issues, context.now);
  if (name === undefined || issues.count > before) return undefined;

  const contact: Contact = { name };
  if (phones.length > 0) contact.phones = phones;
  if (emails.length > 0) contact.emails = emails;
  if (addresses.length > 0) contact.addresses = addresses;
  if (org !== undefined) contact.org = org;
  if (urls.length > 0) contact.urls = urls;
  if (birthday !== undefined) contact.birthday = birthday;
  return contact;
}

function collectName(
  input: ContactInput,
  issues: IssueCollector,
  complete: boolean,
): Contact['name'] | undefined {
  const before = issues.count;
  const formatted = cleanField(input.formattedName, ['formattedName'], issues, MAX_LENGTH.name);
  const prefix = cleanField(input.prefix, ['prefix'], issues, MAX_LENGTH.name);
  const first = cleanField(input.firstName, ['firstName'], issues, MAX_LENGTH.name);
  const middle = cleanField(input.middleName, ['middleName'], issues, MAX_LENGTH.name);
  const last = cleanField(input.lastName, ['lastName'], issues, MAX_LENGTH.name);
  const suffix = cleanField(input.suffix, ['suffix'], issues, MAX_LENGTH.name);
  // A refused part has its own issue; a missing or combined display name would only add noise.
  if (issues.count > before) return undefined;

  const parts = [prefix, first, middle, last, suffix].filter((part) => part !== undefined);
  let formattedName = formatted;
  if (formattedName === undefined) {
    if (parts.length === 0) {
      // With a wrong shape the name may be there under a wrong type, which has its own issue.
      if (complete) issues.add(['formattedName'], CardIssueCode.NameMissing);
      return undefined;
    }
    // Western order, as staff in the app's markets write names; anyone who needs another order
    // types the display name.
    formattedName = parts.join(' ');
    if (formattedName.length > MAX_LENGTH.name) {
      issues.add(['formattedName'], CardIssueCode.NameTooLongToCombine, { max: MAX_LENGTH.name });
      return undefined;
    }
  }
  const name: Contact['name'] = { formatted_name: formattedName };
  if (prefix !== undefined) name.prefix = prefix;
  if (first !== undefined) name.first_name = first;
  if (middle !== undefined) name.middle_name = middle;
  if (last !== undefined) name.last_name = last;
  if (suffix !== undefined) name.suffix = suffix;
  // WhatsApp refuses a name with formatted_name alone. A one-field name is a first name, which is
  // also how phones store a contact saved under a single name.
  if (parts.length === 0) name.first_name = formattedName;
  return name;
}

function readPhone(
  row: Row<'phones'>,
  issues: IssueCollector,
  context: ContactContext,
): Out<'phones'> | undefined {
  const type = cleanField(row.type, ['type'], issues, MAX_LENGTH.label);
  const number = cleanField(row.number, ['number'], issues, MAX_LENGTH.phone);
  if (number === undefined) return requireWhenLabelled(type, row.number, issues, 'number');
  const phone = parsePhone(number, context.defaultCountry);
  if (!phone.ok) {
    issues.add(['number'], phone.code, phone.params);
    return undefined;
  }
  const out: Out<'phones'> = {
    phone: phone.ext === undefined ? phone.e164 : `${phone.e164} ext. ${phone.ext}`,
  };
  if (type !== undefined) out.type = type;
  // "Message" instead of "Invite to WhatsApp" only where the number can be a WhatsApp account and
  // nobody said otherwise; the extension never belongs to the WhatsApp id (see whatsapp.ts).
  const waId =
    row.noWhatsApp === true || isNoWhatsAppLabel(type) ? undefined : waIdForNumber(phone.digits, phone.type);
  if (waId !== undefined) out.wa_id = waId;
  return out;
}

function readEmail(row: Row<'emails'>, issues: IssueCollector): Out<'emails'> | undefined {
  const type = cleanField(row.type, ['type'], issues, MAX_LENGTH.label);
  const typed = cleanField(row.address, ['address'], issues, MAX_LENGTH.email);
  if (typed === undefined) return requireWhenLabelled(type, row.address, issues, 'address');
  const email = normaliseEmail(typed);
  if (email === undefined) {
    issues.add(['address'], CardIssueCode.EmailInvalid);
    return undefined;
  }
  const out: Out<'emails'> = { email };
  if (type !== undefined) out.type = type;
  return out;
}

function readAddress(row: Row<'addresses'>, issues: IssueCollector): Out<'addresses'> | undefined {
  const out: Out<'addresses'> = {};
  const street = cleanField(row.street, ['street'], issues, MAX_LENGTH.street);
  if (street !== undefined) out.street = street;
  const city = cleanField(row.city, ['city'], issues, MAX_LENGTH.city);
  if (city !== undefined) out.city = city;
  const state = cleanField(row.state, ['state'], issues, MAX_LENGTH.state);
  if (state !== undefined) out.state = state;
  const zip = cleanField(row.zip, ['zip'], issues, MAX_LENGTH.zip);
  if (zip !== undefined) out.zip = zip;
  const country = cleanField(row.country, ['country'], issues, MAX_LENGTH.country);
  if (country !== undefined) out.country = country;
  const code = cleanField(row.countryCode, ['countryCode'], issues);
  if (code !== undefined) {
    // ASCII letters only before upper-casing: 'ı'.toUpperCase() is 'I', and 'ıt' is not Italy.
    const upper = /^[A-Za-z]{2}$/u.test(code) ? code.toUpperCase() : code;
    if (isIsoCountryCode(upper)) out.country_code = upper;
    else issues.add(['countryCode'], CardIssueCode.CountryCodeUnknown);
  }
  const hasParts = Object.keys(out).length > 0;
  const type = cleanField(row.type, ['type'], issues, MAX_LENGTH.label);
  if (hasParts) {
    if (type !== undefined) out.type = type;
    return out;
  }
  // A label alone is an address someone meant to fill in, unless a refused part already says so.
  if (type !== undefined && Object.entries(row).every(([key, value]) => key === 'type' || isBlank(value))) {
    issues.add([], CardIssueCode.AddressEmpty);
  }
  return undefined;
}

function readUrl(row: Row<'urls'>, issues: IssueCollector): Out<'urls'> | undefined {
  const type = cleanField(row.type, ['type'], issues, MAX_LENGTH.label);
  const url = cleanField(row.url, ['url'], issues, MAX_LENGTH.url);
  if (url === undefined) return requireWhenLabelled(type, row.url, issues, 'url');
  if (!isHttpUrl(url)) {
    issues.add(['url'], CardIssueCode.UrlInvalid);
    return undefined;
  }
  const out: Out<'urls'> = { url };
  if (type !== undefined) out.type = type;
  return out;
}

function collectOrg(input: ContactInput, issues: IssueCollector): Contact['org'] {
  const org: NonNullable<Contact['org']> = {};
  const company = cleanField(input.company, ['company'], issues, MAX_LENGTH.org);
  if (company !== undefined) org.company = company;
  const department = cleanField(input.department, ['department'], issues, MAX_LENGTH.org);
  if (department !== undefined) org.department = department;
  const title = cleanField(input.title, ['title'], issues, MAX_LENGTH.org);
  if (title !== undefined) org.title = title;
  return Object.keys(org).length > 0 ? org : undefined;
}

function collectBirthday(
  raw: ContactInput['birthday'],
  issues: IssueCollector,
  now: Date,
): string | undefined {
  const birthday = cleanField(raw, ['birthday'], issues);
  if (birthday === undefined) return undefined;
  if (!isCalendarDate(birthday)) {
    issues.add(['birthday'], CardIssueCode.BirthdayInvalid);
    return undefined;
  }
  if (isFutureDate(birthday, now)) {
    issues.add(['birthday'], CardIssueCode.BirthdayInFuture);
    return undefined;
  }
  return birthday;
}
