/** Internal: reading one typed field or list of rows, recording what is wrong with it. */
import type { IssueCollector } from './collector.js';
import { CardIssueCode, type CardIssuePath } from './issues.js';
import { MAX_ITEMS_PER_LIST } from './limits.js';
import { cleanText } from './text.js';

/** A field as typed: Slack reports an untouched input as `null`. */
export type RawText = string | null | undefined;

/**
 * Cleans one field (see {@link cleanText}), recording `control_characters`, or `too_long` past
 * `max`, at `path`. `undefined` when the field is blank or refused.
 */
export function cleanField(
  raw: RawText,
  path: CardIssuePath,
  issues: IssueCollector,
  max?: number,
): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const clean = cleanText(raw);
  if (!clean.ok) {
    issues.add(path, CardIssueCode.ControlCharacters);
    return undefined;
  }
  if (clean.value !== undefined && max !== undefined && clean.value.length > max) {
    issues.add(path, CardIssueCode.TooLong, { max });
    return undefined;
  }
  return clean.value;
}

/** Whether a raw value is missing or cleans to nothing (a refused value is not blank). */
export function isBlank(raw: unknown): boolean {
  if (raw === null || raw === undefined) return true;
  if (typeof raw !== 'string') return false;
  const clean = cleanText(raw);
  return clean.ok && clean.value === undefined;
}

/**
 * For a row whose main field is blank: a row with a label is one the person meant to fill in, so
 * `required` is recorded at `field`; a row without one is simply dropped. Always `undefined`.
 */
export function requireWhenLabelled(
  label: string | undefined,
  raw: RawText,
  issues: IssueCollector,
  field: string,
): undefined {
  if (label !== undefined && isBlank(raw)) issues.add([field], CardIssueCode.Required);
  return undefined;
}

/**
 * Reads each row with `read` (issues scoped to the row's index), keeps the rows it returns and
 * records `too_many` on the list past {@link MAX_ITEMS_PER_LIST}.
 */
export function collectList<Row, Out>(
  rows: readonly Row[] | null | undefined,
  issues: IssueCollector,
  read: (row: Row, issues: IssueCollector) => Out | undefined,
): Out[] {
  const out: Out[] = [];
  (rows ?? []).forEach((row, index) => {
    const item = read(row, issues.at(index));
    if (item !== undefined) out.push(item);
  });
  // Counted after blank rows are dropped: a form with spare empty rows is not "too many".
  if (out.length > MAX_ITEMS_PER_LIST) issues.add([], CardIssueCode.TooMany, { max: MAX_ITEMS_PER_LIST });
  return out;
}
