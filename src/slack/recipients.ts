/**
 * How a WhatsApp user reads in the recipient picker: "María López · +593 99 123 4567".
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { bsuidCountry, isBsuid, whatsAppIdVariants } from '../card/index.js';
import { catalogue, type Locale } from './i18n/index.js';
import { clip, OPTION_TEXT_MAX } from './views/elements.js';

/**
 * `593991234567` → `+593 99 123 4567`. WhatsApp's own forms (`5215512345678`, a Brazilian id
 * without the ninth digit) are shown as the number people dial, found among the id's variants;
 * digits nothing can place are shown with a `+`; a business-scoped id as it is.
 */
export function formatUserId(userId: string): string {
  if (isBsuid(userId)) return userId;
  for (const digits of whatsAppIdVariants(userId)) {
    const phone = parsePhoneNumberFromString(`+${digits}`);
    if (phone?.isValid()) return phone.formatInternational();
  }
  return `+${userId}`;
}

const regionNames = new Map<Locale, Intl.DisplayNames>();

/** What stands for the number of a customer who hides it: "number hidden, United States". */
function hiddenNumber(userId: string, locale: Locale): string {
  const country = bsuidCountry(userId);
  let names = regionNames.get(locale);
  if (names === undefined) {
    names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    regionNames.set(locale, names);
  }
  return catalogue(locale).recipientOption.hiddenNumber(
    country === undefined ? userId.slice(0, 2) : (names.of(country) ?? country),
  );
}

/**
 * Who a recipient label names, without the number ("María López · +593 99 123 4567" → "María
 * López"); a label that is only a number stays whole. For sentences about the customer.
 */
export function labelName(label: string): string {
  return label.split(' · ')[0]?.trim() || label;
}

/**
 * The picker's text for a user: the name (shortened if need be) and the number, which always
 * shows whole; for a customer whose number is hidden, the name and "number hidden" with the
 * country of their business-scoped id (the id itself is the option's value, sent as is).
 */
export function recipientLabel(userId: string, name: string | undefined, locale: Locale = 'en'): string {
  const number = isBsuid(userId) ? hiddenNumber(userId, locale) : formatUserId(userId);
  const cleanName = name?.replace(/\s+/g, ' ').trim();
  if (!cleanName) return isBsuid(userId) ? `${userId} · ${number}` : number;
  return `${clip(cleanName, Math.max(OPTION_TEXT_MAX - number.length - 3, 1))} · ${number}`;
}
