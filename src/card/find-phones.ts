/**
 * Phone numbers written in free text (a Slack message), for offering them as recipients. Only
 * numbers libphonenumber finds valid are returned; the person still picks, and each is checked
 * again like any other recipient when the form is submitted.
 */
import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js/max';

export type FoundPhone = Readonly<{
  /** The WhatsApp user id: E.164 digits without '+'. */
  digits: string;
  /** As a person reads it: `+593 99 123 4567`. */
  international: string;
}>;

/** Distinct valid numbers in `text`, in the order they appear, at most `max`. */
export function findPhoneNumbers(
  text: string,
  defaultCountry: CountryCode | undefined,
  max: number,
): FoundPhone[] {
  const found = new Map<string, FoundPhone>();
  for (const match of findPhoneNumbersInText(text, defaultCountry ? { defaultCountry } : undefined)) {
    if (found.size >= max) break;
    const { number } = match;
    if (!number.isValid()) continue;
    const digits = number.number.slice(1);
    if (!found.has(digits)) found.set(digits, { digits, international: number.formatInternational() });
  }
  return [...found.values()];
}
