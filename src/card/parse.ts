/**
 * From what a person typed to what WhatsApp shows: every field cleaned and checked, empty fields
 * left out, and every issue collected into one {@link CardInvalidError}.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { CodedError, ErrorCode } from '../errors.js';
import { IssueCollector } from './collector.js';
import { type ContactContext, collectContact } from './contact.js';
import { cleanField, isBlank } from './fields.js';
import { CardIssueCode } from './issues.js';
import { MAX_CONTACTS_PER_MESSAGE, MAX_LENGTH } from './limits.js';
import { assertDefaultCountry, parsePhone } from './phone.js';
import { type Contact, contactSchema } from './wire.js';

/** How to read what was typed. */
export type CardOptions = {
  /** Country of numbers typed without `+`/`00` and a country code; without it they are refused. */
  readonly defaultCountry?: CountryCode;
  /** The current time, for "birthday in the future"; defaults to the clock. */
  readonly now?: Date;
};

/**
 * Parses one contact card. Throws {@link CardInvalidError} listing every issue, with paths in the
 * input's field names (e.g. `['phones', 0, 'number']`), and nothing else whatever `input` is.
 */
export function parseContact(input: unknown, options: CardOptions = {}): Contact {
  const context = readOptions(options);
  const issues = new IssueCollector();
  const contact = collectContact(input, issues, context);
  issues.throwIfAny();
  if (contact === undefined) throw new CodedError(ErrorCode.Unexpected, 'contact refused without an issue');
  return assertWire(contact);
}

/**
 * Parses the contacts of one message (1 to {@link MAX_CONTACTS_PER_MESSAGE}). Issue paths start
 * with the contact's index, e.g. `[1, 'emails', 0, 'address']`.
 */
export function parseContacts(inputs: unknown, options: CardOptions = {}): Contact[] {
  const context = readOptions(options);
  const issues = new IssueCollector();
  const contacts = collectContacts(inputs, issues, context);
  issues.throwIfAny();
  return contacts.map(assertWire);
}

/**
 * Parses the recipient's phone number as typed into the WhatsApp user id Jelou expects: E.164
 * digits without `+` (`+593 99 123 4567` gives `593991234567`). Issue paths are `[]`. A Jelou
 * user id is itself digits without `+`, which would read as a national number: prefix it with
 * `+` before passing it here.
 */
export function parseRecipient(text: unknown, options: CardOptions = {}): string {
  const context = readOptions(options);
  const issues = new IssueCollector();
  const userId = collectRecipient(text, issues, context);
  issues.throwIfAny();
  if (userId === undefined) throw new CodedError(ErrorCode.Unexpected, 'recipient refused without an issue');
  return userId;
}

/**
 * Internal: checks the options and resolves "now". A default country libphonenumber does not
 * know is the configuration's fault, so it throws `config_invalid`, not a card error.
 */
export function readOptions(options: CardOptions): ContactContext {
  assertDefaultCountry(options.defaultCountry);
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) {
    throw new CodedError(ErrorCode.Unexpected, 'card options: `now` is an invalid date');
  }
  return { defaultCountry: options.defaultCountry, now };
}

/** Internal: the recipient's user id, or `undefined` with its issues recorded at `issues`' base. */
export function collectRecipient(
  text: unknown,
  issues: IssueCollector,
  context: ContactContext,
): string | undefined {
  if (typeof text !== 'string') {
    issues.add([], CardIssueCode.InvalidType, { expected: 'text' });
    return undefined;
  }
  const value = cleanField(text, [], issues, MAX_LENGTH.phone);
  if (value === undefined) {
    if (isBlank(text)) issues.add([], CardIssueCode.Required);
    return undefined;
  }
  const phone = parsePhone(value, context.defaultCountry);
  if (!phone.ok) {
    issues.add([], phone.code, phone.params);
    return undefined;
  }
  return phone.digits;
}

/** Internal: the contacts of `inputs` that have no issue; issues are recorded under each index. */
export function collectContacts(inputs: unknown, issues: IssueCollector, context: ContactContext): Contact[] {
  if (!Array.isArray(inputs)) {
    issues.add([], CardIssueCode.InvalidType, { expected: 'list' });
    return [];
  }
  if (inputs.length === 0) issues.add([], CardIssueCode.ContactsEmpty);
  if (inputs.length > MAX_CONTACTS_PER_MESSAGE) {
    issues.add([], CardIssueCode.TooMany, { max: MAX_CONTACTS_PER_MESSAGE });
  }
  // Past the limit the message is refused anyway; reading only the first contacts bounds the work
  // (and the issue list) for a runaway input. Indexing rather than forEach so holes are reported.
  const contacts: Contact[] = [];
  for (let index = 0; index < Math.min(inputs.length, MAX_CONTACTS_PER_MESSAGE); index += 1) {
    const contact = collectContact(inputs[index], issues.at(index), context);
    if (contact !== undefined) contacts.push(contact);
  }
  return contacts;
}

// Defence in depth: the parser should make a failure here impossible; one is a bug to surface.
function assertWire(contact: Contact): Contact {
  const result = contactSchema.safeParse(contact);
  if (!result.success) {
    throw new CodedError(ErrorCode.Unexpected, 'parsed contact failed the wire schema', {
      cause: result.error,
    });
  }
  return result.data;
}
