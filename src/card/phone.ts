/**
 * Phone numbers: what a person typed, in any common layout, to E.164. Validity comes from
 * libphonenumber's `max` metadata, which knows each country's real number ranges rather than just
 * its lengths, so a number that cannot exist is refused before WhatsApp shows a dead card.
 */
import {
  type CountryCode,
  isSupportedCountry,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import { CodedError, ErrorCode } from '../errors.js';
import { CardIssueCode } from './issues.js';

/** A valid number: `e164` with the `+`, `digits` the same without it (WhatsApp's `wa_id`/`userId`). */
export type PhoneNumberOk = { readonly ok: true; readonly e164: string; readonly digits: string };

/** Why a number was refused, with the calling code and country when they are known. */
export type PhoneNumberIssue = {
  readonly ok: false;
  readonly code: CardIssueCode;
  readonly params?: Readonly<Record<string, string>>;
};

// An optional leading plus (ASCII or full-width), then digits of any script and the separators
// people use; letters (vanity numbers, "ext.") and other symbols are refused before parsing.
const PHONE_CHARACTERS = /^[+\uFF0B]?[\p{Nd} ().\-\u2010-\u2015\u2212/]+$/u;

/**
 * Throws a coded `config_invalid` error when `country` is given but libphonenumber does not know
 * it: that is the caller's configuration at fault, not the person's input.
 */
export function assertDefaultCountry(country: CountryCode | undefined): void {
  if (country !== undefined && !isSupportedCountry(country)) {
    throw new CodedError(
      ErrorCode.ConfigInvalid,
      `unsupported default country for phone numbers: ${String(country)}`,
    );
  }
}

/**
 * Parses one clean, non-empty phone value. International numbers start with `+` or `00` (the
 * ITU-recommended international prefix, used across Latin America and Europe, so it is read as
 * `+` whatever the default country); anything else is a national number of `defaultCountry`,
 * whose own international prefix (e.g. `011` in the US) libphonenumber also understands.
 */
export function parsePhone(
  text: string,
  defaultCountry: CountryCode | undefined,
): PhoneNumberOk | PhoneNumberIssue {
  if (!PHONE_CHARACTERS.test(text)) return { ok: false, code: CardIssueCode.PhoneCharacters };
  const international = text.startsWith('00') ? `+${text.slice(2)}` : text;
  const plus = /^[+\uFF0B]/u.test(international);
  try {
    const phone = parsePhoneNumberWithError(
      international,
      defaultCountry === undefined ? { extract: false } : { defaultCountry, extract: false },
    );
    const params: Record<string, string> = { callingCode: phone.countryCallingCode };
    if (phone.country !== undefined) params.country = phone.country;
    if (phone.isValid() && phone.ext === undefined) {
      return { ok: true, e164: phone.number, digits: phone.number.slice(1) };
    }
    switch (validatePhoneNumberLength(phone.number)) {
      case 'TOO_SHORT':
        return { ok: false, code: CardIssueCode.PhoneTooShort, params };
      case 'TOO_LONG':
        return { ok: false, code: CardIssueCode.PhoneTooLong, params };
      default:
        return { ok: false, code: CardIssueCode.PhoneInvalid, params };
    }
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    switch (error.message) {
      case 'INVALID_COUNTRY':
        return {
          ok: false,
          code:
            plus || defaultCountry !== undefined
              ? CardIssueCode.PhoneInvalidCountry
              : CardIssueCode.PhoneNeedsCountry,
        };
      case 'TOO_SHORT':
        return { ok: false, code: CardIssueCode.PhoneTooShort };
      case 'TOO_LONG':
        return { ok: false, code: CardIssueCode.PhoneTooLong };
      default:
        return { ok: false, code: CardIssueCode.PhoneInvalid };
    }
  }
}
