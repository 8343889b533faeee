/**
 * How a WhatsApp user reads in the recipient picker: "María López · +593 99 123 4567".
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { clip, OPTION_TEXT_MAX } from './views/elements.js';

/** `593991234567` → `+593 99 123 4567`; digits it cannot place are shown with a `+`. */
export function formatUserId(userId: string): string {
  return parsePhoneNumberFromString(`+${userId}`)?.formatInternational() ?? `+${userId}`;
}

/** The picker's text for a user: the name (shortened if need be) and the number, which always shows whole. */
export function recipientLabel(userId: string, name: string | undefined): string {
  const number = formatUserId(userId);
  const cleanName = name?.replace(/\s+/g, ' ').trim();
  if (!cleanName) return number;
  return `${clip(cleanName, Math.max(OPTION_TEXT_MAX - number.length - 3, 1))} · ${number}`;
}
