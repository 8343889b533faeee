/**
 * A contact card as a person typed it: camelCase fields of loose text that may be untrimmed,
 * empty, `null` or missing. This schema only checks the shape; `parseContact` checks and cleans
 * the content.
 */
import { z } from 'zod';
import type { IssueCollector } from './collector.js';
import { CardIssueCode } from './issues.js';

// `null` is read as empty (Slack reports an untouched input as `null`, JSON jobs write it for
// "no value") but typed away, so code that builds or reads a ContactInput sees only undefined.
const field = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined)
  .optional();

const rows = <T extends z.ZodType>(row: T) =>
  z
    .array(row)
    .nullish()
    .transform((value) => value ?? undefined)
    .optional();

// Strict objects: an unknown key is most often a typo ("emial") in a CLI's or job's JSON, and
// dropping it silently would send a card without the data someone meant to include.
// `noWhatsApp`: the person marked the number as not on WhatsApp, so the card leaves out its wa_id.
const flag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? undefined)
  .optional();
const phoneRow = z.strictObject({ number: field, type: field, noWhatsApp: flag });
const emailRow = z.strictObject({ address: field, type: field });
const addressRow = z.strictObject({
  street: field,
  city: field,
  state: field,
  zip: field,
  country: field,
  countryCode: field,
  type: field,
});
const urlRow = z.strictObject({ url: field, type: field });

/** The shape of one contact as typed; every field optional. */
export const contactInputSchema = z.strictObject({
  formattedName: field,
  firstName: field,
  lastName: field,
  middleName: field,
  prefix: field,
  suffix: field,
  phones: rows(phoneRow),
  emails: rows(emailRow),
  addresses: rows(addressRow),
  company: field,
  department: field,
  title: field,
  urls: rows(urlRow),
  birthday: field,
});

/** One contact as typed, before cleaning and validation. */
export type ContactInput = z.output<typeof contactInputSchema>;

// What can still be checked when the shape is wrong: each wrong field or row reads as empty, so
// its content issues can be reported together with the shape issues.
const looseText = field.catch(undefined);
const looseRows = <T extends z.ZodType>(row: T, empty: z.output<T>) =>
  rows(row.catch(empty)).catch(undefined);
const salvageSchema = z
  .object({
    formattedName: looseText,
    firstName: looseText,
    lastName: looseText,
    middleName: looseText,
    prefix: looseText,
    suffix: looseText,
    phones: looseRows(phoneRow, {}),
    emails: looseRows(emailRow, {}),
    addresses: looseRows(addressRow, {}),
    company: looseText,
    department: looseText,
    title: looseText,
    urls: looseRows(urlRow, {}),
    birthday: looseText,
  } satisfies Record<keyof ContactInput, z.ZodType>)
  .catch({});

const EXPECTED: Readonly<Record<string, string>> = { string: 'text', array: 'list', object: 'object' };

/** The typed input, and whether it had the right shape (if not, wrong parts read as empty). */
export type ReadInput = { readonly input: ContactInput; readonly complete: boolean };

/**
 * Checks the shape of `raw`, recording shape issues in `issues` with input paths. Returns what
 * can be read of it: everything when `complete`, otherwise the fields and rows of the right shape.
 */
export function readContactInput(raw: unknown, issues: IssueCollector): ReadInput {
  try {
    const result = contactInputSchema.safeParse(raw);
    if (result.success) return { input: result.data, complete: true };
    for (const issue of result.error.issues) {
      const path = issue.path.map((part) => (typeof part === 'number' ? part : String(part)));
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) issues.add([...path, key], CardIssueCode.UnknownField);
      } else {
        const expected = issue.code === 'invalid_type' ? EXPECTED[issue.expected] : undefined;
        issues.add(path, CardIssueCode.InvalidType, { expected: expected ?? 'text' });
      }
    }
    return { input: salvageSchema.parse(raw), complete: false };
  } catch {
    // Only exotic values get here (a proxy or getter that throws while zod reads it).
    issues.add([], CardIssueCode.InvalidType, { expected: 'object' });
    return { input: {}, complete: false };
  }
}
