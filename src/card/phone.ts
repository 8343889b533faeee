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

/**
 * A valid number: `e164` with the `+`, `digits` the same without it, `ext` an extension when one
 * was typed, `type` libphonenumber's number type (`MOBILE`, `FIXED_LINE`, ...) when it knows it.
 */
export type PhoneNumberOk = {
  readonly ok: true;
  readonly e164: string;
  readonly digits: string;
  readonly ext?: string;
  readonly type?: string;
};

/** Why a number was refused, with the calling code and country when they are known. */
export type PhoneNumberIssue = {
  readonly ok: false;
  readonly code: CardIssueCode;
  readonly params?: Readonly<Record<string, string>>;
};

// An optional leading plus, then digits of any script and the separators people use; letters
// (vanity numbers) and other symbols are refused before parsing. An extension is split off first.
const PHONE_CHARACTERS = /^[+]?[\p{Nd} ().\-\u2010-\u2015\u2212/]+$/u;

/**
 * An extension at the end, as people and address books write it: `ext. 12`, `ext 12`, `x12`,
 * `extensión 12`, `#12`, and RFC 3966's `;ext=12` (vCard 4.0 `tel:` URIs).
 */
const EXTENSION = /^(.*?\d[\s).]*)(?:[,;]\s*)?(?:ext(?:ension|ensión|n)?\.?\s*=?|x|#)\s*(\d{1,10})$/iu;

/** The number and its extension, if any, from what was typed. */
export function splitExtension(text: string): { readonly number: string; readonly ext?: string } {
  const match = EXTENSION.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return { number: text };
  return { number: match[1].trim(), ext: match[2] };
}

/**
 * WhatsApp's form of a Mexican mobile (`+52 1` + 10 digits) as libphonenumber reads it: without
 * the `1`, which Mexico dropped from dialling in 2019 (libphonenumber refuses it as too long).
 * The id WhatsApp itself uses is chosen in whatsapp.ts; here the number only has to be read.
 */
function withoutMexicanMobileOne(international: string): string {
  const digits = international.replace(/[^\d+]/gu, '');
  const match = /^\+521(\d{10})$/u.exec(digits);
  return match?.[1] === undefined ? international : `+52${match[1]}`;
}

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
  // NFKC reads full-width `＋` and digits as ASCII (East Asian keyboards and some address books).
  const { number, ext } = splitExtension(text.normalize('NFKC').trim());
  if (!PHONE_CHARACTERS.test(number)) return { ok: false, code: CardIssueCode.PhoneCharacters };
  const international = withoutMexicanMobileOne(number.startsWith('00') ? `+${number.slice(2)}` : number);
  const plus = international.startsWith('+');
  try {
    const phone = parsePhoneNumberWithError(
      international,
      defaultCountry === undefined ? { extract: false } : { defaultCountry, extract: false },
    );
    const params: Record<string, string> = { callingCode: phone.countryCallingCode };
    if (phone.country !== undefined) params.country = phone.country;
    if (phone.isValid() && phone.ext === undefined) {
      const type = phone.getType();
      return {
        ok: true,
        e164: phone.number,
        digits: phone.number.slice(1),
        ...(ext !== undefined ? { ext } : {}),
        ...(type !== undefined ? { type } : {}),
      };
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
