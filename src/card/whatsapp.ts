/**
 * Who a WhatsApp user is, as WhatsApp and Jelou identify them. Every rule here cites its source;
 * docs/whatsapp-ids.md states them for people.
 *
 * - A WhatsApp id is usually the number in international form without `+` ("without symbols",
 *   https://docs.jelou.ai/en/api/introduction), but not always the E.164 digits: WhatsApp reports
 *   Mexican mobiles as 521 + 10 digits, Argentine mobiles as 549 + 10 digits, and Brazilian mobiles
 *   with or without the ninth digit (chatwoot/chatwoot#14174, #14264, #12655; Meta's own
 *   `wa_id` in webhooks). So an id Jelou gives is used verbatim, never re-parsed as a phone.
 * - Since 2026 a user who adopts a username may hide the number; Meta then names them to a
 *   business by a business-scoped user id (BSUID) such as `US.13491208655302741918`: the ISO
 *   country code, a period, alphanumerics (https://docs.jelou.ai/en/connect/getting-started/bsuid).
 */
import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  isPossiblePhoneNumber,
  isSupportedCountry,
} from 'libphonenumber-js/max';

/** ISO 3166-1 alpha-2 code, a period, then letters and digits (Meta's BSUID form). */
const BSUID = /^([A-Z]{2})\.([A-Za-z0-9]{1,64})$/u;
/**
 * Digits without `+`: at most 15 (E.164), at least 7 (the shortest real national numbers with
 * their calling code). Not checked against libphonenumber's ranges: WhatsApp's own forms (521…,
 * Brazil without the ninth digit) fail those checks and are still the customer's real id.
 */
const WA_DIGITS = /^[1-9]\d{6,14}$/u;

/** Whether `id` is a business-scoped user id (a customer whose number is hidden). */
export function isBsuid(id: string): boolean {
  return BSUID.test(id);
}

/** The country a BSUID names (`US` for `US.1349…`), when libphonenumber knows it. */
export function bsuidCountry(id: string): CountryCode | undefined {
  const country = BSUID.exec(id)?.[1];
  return country !== undefined && isSupportedCountry(country) ? country : undefined;
}

/**
 * Whether `id` can be a Jelou `userId` for a WhatsApp user: a BSUID, or digits of which some
 * WhatsApp form (see {@link whatsAppIdVariants}) has a length that country's numbers can have
 * (libphonenumber's "possible", not "valid": WhatsApp's own forms fail the range checks).
 */
export function isWhatsAppUserId(id: string): boolean {
  if (BSUID.test(id)) return true;
  return WA_DIGITS.test(id) && whatsAppIdVariants(id).some((digits) => isPossiblePhoneNumber(`+${digits}`));
}

/** Whether `digits` start with a calling code that exists (not a Facebook or widget id that looks numeric). */
export function hasCallingCode(digits: string): boolean {
  for (let length = 1; length <= 3; length++) {
    if (CALLING_CODES.has(digits.slice(0, length))) return true;
  }
  return false;
}

let callingCodes: ReadonlySet<string> | undefined;
const CALLING_CODES = {
  has(code: string): boolean {
    callingCodes ??= new Set(getCountries().map((country) => getCountryCallingCode(country)));
    return callingCodes.has(code);
  },
};

/**
 * The other forms under which WhatsApp may know the same number, E.164 digits first:
 * - Mexico: `52` + 10 digits ⇄ `521` + 10 digits (chatwoot/chatwoot#14174, #14277);
 * - Argentina: `54` + 10 digits ⇄ `549` + 10 digits (chatwoot/chatwoot#14264, #11053);
 * - Brazil: `55` + area + `9` + 8 digits ⇄ `55` + area + 8 digits, for mobiles, whose 8-digit
 *   numbers start with 6–9 (chatwoot/chatwoot#12655, #14264; Anatel's ninth digit).
 * Other countries have one form. The input itself is always the first element.
 */
export function whatsAppIdVariants(digits: string): string[] {
  const variants = [digits];
  const add = (value: string) => {
    if (!variants.includes(value)) variants.push(value);
  };
  let match = /^52(1?)(\d{10})$/u.exec(digits);
  if (match?.[2] !== undefined) {
    add(`52${match[2]}`);
    add(`521${match[2]}`);
    return variants;
  }
  match = /^54(9?)(\d{10})$/u.exec(digits);
  if (match?.[2] !== undefined) {
    add(`54${match[2]}`);
    add(`549${match[2]}`);
    return variants;
  }
  match = /^55(\d{2})(9?)([6-9]\d{7})$/u.exec(digits);
  if (match?.[1] !== undefined && match[3] !== undefined) {
    add(`55${match[1]}9${match[3]}`);
    add(`55${match[1]}${match[3]}`);
  }
  return variants;
}

/**
 * The `wa_id` WhatsApp gives a number that can be a WhatsApp account, from its E.164 digits and
 * libphonenumber's number type:
 * - Mexico: `521` + the 10-digit national number for anything that may be a mobile (since
 *   Mexico's 2019 dialling reform libphonenumber cannot tell mobiles from landlines; WhatsApp
 *   still reports mobiles with the `1`: WhatsApp's "How to add an international contact",
 *   https://faq.whatsapp.com/640432094208718, and chatwoot/chatwoot#14048);
 * - Argentina: `549` + the 10-digit national number without the `15` (the same WhatsApp page;
 *   libphonenumber's E.164 for an Argentine mobile already has the `9`);
 * - every other country: the E.164 digits.
 * Returns `undefined` for numbers that cannot be WhatsApp accounts (pagers, voicemail,
 * premium-rate lines): WhatsApp registers a number by SMS or a voice call to it.
 */
export function waIdForNumber(digits: string, type: string | undefined): string | undefined {
  if (type !== undefined && NO_WHATSAPP_NUMBER_TYPES.has(type)) return undefined;
  const mexico = /^52(\d{10})$/u.exec(digits)?.[1];
  if (mexico !== undefined && type !== 'FIXED_LINE') return `521${mexico}`;
  return digits;
}

/** libphonenumber number types that cannot receive the SMS or call WhatsApp registers with. */
const NO_WHATSAPP_NUMBER_TYPES: ReadonlySet<string> = new Set(['PAGER', 'VOICEMAIL', 'PREMIUM_RATE']);

/**
 * Phone labels that say the line is not a WhatsApp account: fax and pager lines, landlines
 * (English and Spanish, as address books and this app's form label them).
 */
const NO_WHATSAPP_LABEL = /\b(?:fax|telefax|pager|beeper|landline|fijo|fija|busca(?:personas)?)\b/iu;

/** Whether a phone row's label says the number has no WhatsApp. */
export function isNoWhatsAppLabel(label: string | undefined): boolean {
  return label !== undefined && NO_WHATSAPP_LABEL.test(label);
}
