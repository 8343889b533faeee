/**
 * Text hygiene for single-line card fields. What staff paste (from spreadsheets, web pages, chat)
 * often carries stray whitespace and invisible characters; the recipient's phone shows the card as
 * sent, so every value leaves here trimmed, NFC-normalised and free of anything that could hide or
 * reorder what is displayed. Letters of any script, accents and emoji are kept as typed.
 */

/**
 * Characters refused outright: C0/C1 controls other than whitespace (which is collapsed instead),
 * bidi embedding/override/isolate controls (they can make a number or name display differently
 * from what it is) and lone surrogates (broken UTF-16 that would reach the phone as garbage).
 * Refusing rather than stripping lets the person see that what they pasted was not what it looked.
 */
export const FORBIDDEN_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
  /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

/**
 * Invisible characters with no meaning in a one-line field that ride along with copy and paste
 * (zero-width space, word joiner, byte-order mark); removed silently. ZWJ and ZWNJ are kept: emoji
 * sequences and Persian or Indic words need them.
 */
const STRIPPED_CHARACTERS = /[\u200B\u2060\uFEFF]/gu;

/** Result of cleaning one value: the clean text (absent when nothing is left) or why it is refused. */
export type CleanText = { readonly ok: true; readonly value?: string } | { readonly ok: false };

/**
 * Cleans one single-line value: strips invisible characters, NFC-normalises, collapses every run
 * of whitespace (tabs, newlines, no-break and ideographic spaces included) into one space and
 * trims. A value that is empty afterwards is absent. `ok: false` when it holds
 * {@link FORBIDDEN_CHARACTERS}.
 */
export function cleanText(raw: string): CleanText {
  if (FORBIDDEN_CHARACTERS.test(raw)) return { ok: false };
  const value = raw.replace(STRIPPED_CHARACTERS, '').normalize('NFC').replace(/\s+/gu, ' ').trim();
  return value === '' ? { ok: true } : { ok: true, value };
}

/**
 * Whether `value` is already clean single-line text as {@link cleanText} would leave it, checked
 * property by property rather than by re-running the cleaner, so the wire schema stays an
 * independent oracle.
 */
export function isCleanText(value: string): boolean {
  return (
    value.length > 0 &&
    value === value.trim() &&
    !/\s\s/u.test(value) &&
    !/[^\S ]/u.test(value) &&
    !FORBIDDEN_CHARACTERS.test(value) &&
    !/[\u200B\u2060]/u.test(value) &&
    value === value.normalize('NFC')
  );
}
