/**
 * What can be wrong with a contact card, as data: a stable code, the path of the input field it
 * concerns and the numbers a sentence needs. Issues never carry the values a person typed (only,
 * for `unknown_field`, the unexpected key), so an error holding them can be logged without leaking
 * phone numbers or names.
 */
import { CodedError, ErrorCode } from '../errors.js';

/** Every reason a card can be refused. Stable: UIs, logs and tests key on these strings. */
export const CardIssueCode = {
  /** A field a row cannot do without is empty (e.g. a phone row with a label but no number). */
  Required: 'required',
  /** The card has no name at all. */
  NameMissing: 'name_missing',
  /** No display name was typed and the name parts joined are too long to stand in for it. */
  NameTooLongToCombine: 'name_too_long_to_combine',
  /** The phone field holds letters or symbols that are not part of a phone number. */
  PhoneCharacters: 'phone_characters',
  /** The digits do not form a valid number (for its country, when `params.country` is set). */
  PhoneInvalid: 'phone_invalid',
  PhoneTooShort: 'phone_too_short',
  PhoneTooLong: 'phone_too_long',
  /** The digits after `+` are not a country calling code. */
  PhoneInvalidCountry: 'phone_invalid_country',
  /** A national number was typed and no default country is configured to place it. */
  PhoneNeedsCountry: 'phone_needs_country',
  EmailInvalid: 'email_invalid',
  /** Not an assigned ISO 3166-1 alpha-2 code. */
  CountryCodeUnknown: 'country_code_unknown',
  /** An address row with a label and nothing else. */
  AddressEmpty: 'address_empty',
  /** Not a real calendar date as YYYY-MM-DD, or before the earliest year allowed. */
  BirthdayInvalid: 'birthday_invalid',
  BirthdayInFuture: 'birthday_in_future',
  /** Not an http(s) URL with a host and without credentials. */
  UrlInvalid: 'url_invalid',
  /** Longer than `params.max` characters. */
  TooLong: 'too_long',
  /** A list longer than `params.max` items. */
  TooMany: 'too_many',
  /** A message needs at least one contact. */
  ContactsEmpty: 'contacts_empty',
  /** Control, bidi-override or broken (lone surrogate) characters. */
  ControlCharacters: 'control_characters',
  /** The value has the wrong JSON type; `params.expected` is `text`, `list` or `object`. */
  InvalidType: 'invalid_type',
  /** A field that contact cards do not have (often a typo in a CLI or job's JSON). */
  UnknownField: 'unknown_field',
} as const;
/** One of the {@link CardIssueCode} strings. */
export type CardIssueCode = (typeof CardIssueCode)[keyof typeof CardIssueCode];

/** Every issue code, for exhaustive iteration (tests, translation checks). */
export const CARD_ISSUE_CODES: readonly CardIssueCode[] = Object.values(CardIssueCode);

/** A path into the input, with the input's own field names, e.g. `['phones', 0, 'number']`. */
export type CardIssuePath = readonly (string | number)[];

/** One thing to fix in a card, located by `path` in the input the caller passed. */
export type CardIssue = {
  readonly path: CardIssuePath;
  readonly code: CardIssueCode;
  readonly params?: Readonly<Record<string, string | number>>;
};

const MESSAGE_ISSUES = 5;
const MESSAGE_SEGMENT = 40;

/** Thrown by the card parsers, and only by them, when the input is not a valid card. */
export class CardInvalidError extends CodedError {
  /** Every issue found, never empty. */
  readonly issues: readonly CardIssue[];

  constructor(issues: readonly CardIssue[]) {
    super(ErrorCode.CardInvalid, summarise(issues));
    this.name = 'CardInvalidError';
    this.issues = issues;
  }
}

// Paths can hold keys taken from the input (unknown fields), so each segment is clipped to keep
// a hostile key from bloating the log line.
function summarise(issues: readonly CardIssue[]): string {
  const shown = issues
    .slice(0, MESSAGE_ISSUES)
    .map(
      (issue) =>
        `${issue.path.map((part) => String(part).slice(0, MESSAGE_SEGMENT)).join('.') || '(root)'}: ${issue.code}`,
    );
  const more = issues.length > MESSAGE_ISSUES ? ` (+${issues.length - MESSAGE_ISSUES} more)` : '';
  return `contact card invalid: ${shown.join('; ')}${more}`;
}
