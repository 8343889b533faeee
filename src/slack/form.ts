/**
 * Reading the card form back: Slack's `view.state.values` into the domain's input type, and the
 * domain's validation issues back into `response_action: "errors"` keyed by input block id.
 */
import { z } from 'zod';
import { type CardIssue, type Contact, type ContactInput, isNoWhatsAppLabel } from '../card/index.js';
import { CATALOGUES } from './i18n/index.js';
import {
  ActionId,
  BlockId,
  baseBlockId,
  generationBlockId,
  isRowField,
  RowField,
  type RowKind,
  rowBlockId,
} from './ids.js';
import { MAX_RECIPIENTS, MAX_ROWS, type Recipient, type RowCounts } from './metadata.js';
import { formatUserId } from './recipients.js';

const selectedOptionSchema = z
  .object({ value: z.string(), text: z.object({ text: z.string() }).loose().optional() })
  .loose();

/** One element's state, as Slack sends it for the element types the form uses. */
const elementStateSchema = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_date: z.string().nullish(),
    selected_conversation: z.string().nullish(),
    selected_option: selectedOptionSchema.nullish(),
    /** A multi-select's choices (the recipient picker). */
    selected_options: z.array(selectedOptionSchema).nullish(),
  })
  .loose();

/** `view.state.values`: block id → action id → element state. Anything else reads as an empty form. */
export const stateValuesSchema = z.record(z.string(), z.record(z.string(), elementStateSchema));
export type StateValues = z.infer<typeof stateValuesSchema>;

function element(values: StateValues, blockId: string, actionId: string = ActionId.Value) {
  return values[blockId]?.[actionId];
}

function text(values: StateValues, blockId: string): string | undefined {
  const state = element(values, blockId);
  return state?.value ?? state?.selected_date ?? state?.selected_option?.value ?? undefined;
}

/** A one-option checkbox: `true` when ticked, `undefined` otherwise (the card's default). */
function checked(values: StateValues, blockId: string): true | undefined {
  return element(values, blockId)?.selected_options?.some((o) => o.value === ActionId.NoWhatsAppOption)
    ? true
    : undefined;
}

/**
 * The rows of one kind, by position, so an issue's row index is the row the person sees. Type
 * menus start with a choice made, so a row whose only value is its type was never touched: it is
 * read as empty (the card leaves empty rows out) rather than as a half-filled row.
 */
function rows<K extends RowKind, T extends { type?: string | undefined }>(
  values: StateValues,
  kind: K,
  read: (index: number) => T,
): (T | Record<string, never>)[] {
  return Array.from({ length: MAX_ROWS[kind] }, (_, i) => i)
    .filter((i) => values[rowBlockId(kind, i, RowField[kind][0])] !== undefined)
    .map(read)
    .map((row) =>
      Object.entries(row).some(
        ([field, value]) => field !== 'type' && typeof value === 'string' && value.trim(),
      )
        ? row
        : {},
    );
}

/**
 * The recipient as it will be named in the preview and the notification: the picker's text, but
 * without the "(typed number)" marker that only helps while choosing, in whichever language the
 * picker spoke (the notification may be read by colleagues who speak another).
 */
function recipientOf(id: string, text: string | undefined): Recipient {
  const number = formatUserId(id);
  const marked = Object.values(CATALOGUES).some((t) => text === t.recipientOption.typed(number));
  return { id, label: !text || marked ? number : text };
}

export type CardForm = Readonly<{
  /** The first MAX_RECIPIENTS people chosen, once each by WhatsApp id, in the order chosen. */
  recipients: readonly Recipient[];
  /** How many different people were chosen: above MAX_RECIPIENTS only in a forged payload. */
  recipientCount: number;
  contact: ContactInput;
}>;

/**
 * The people chosen in the picker, once each. A form opened before the picker took several people
 * reports a single `selected_option`; it reads as one.
 */
function chosen(values: StateValues): { recipients: Recipient[]; count: number } {
  const state = element(values, BlockId.Recipient, ActionId.RecipientSelect);
  const options = state?.selected_options ?? (state?.selected_option ? [state.selected_option] : []);
  const seen = new Set<string>();
  const recipients: Recipient[] = [];
  for (const option of options) {
    if (seen.has(option.value)) continue;
    seen.add(option.value);
    // Labels only for those kept: a forged list of thousands costs no phone formatting.
    if (recipients.length < MAX_RECIPIENTS) recipients.push(recipientOf(option.value, option.text?.text));
  }
  return { recipients, count: seen.size };
}

/**
 * The values by each field's base block id, whatever profile generation the form was in
 * (ids.ts): the newest generation of a field wins.
 */
function byBaseId(values: StateValues): StateValues {
  const keys = Object.keys(values).sort((a, b) => a.length - b.length || a.localeCompare(b));
  const read: StateValues = {};
  for (const key of keys) {
    const value = values[key];
    if (value !== undefined) read[baseBlockId(key)] = value;
  }
  return read;
}

/** Reads the form. Never throws: a value of the wrong shape reads as empty and validation says so. */
export function readCardForm(rawValues: unknown): CardForm {
  const parsed = stateValuesSchema.safeParse(rawValues);
  const values: StateValues = parsed.success ? byBaseId(parsed.data) : {};
  const { recipients, count } = chosen(values);
  const website = text(values, BlockId.Website);
  return {
    recipients,
    recipientCount: count,
    contact: {
      formattedName: text(values, BlockId.FormattedName),
      firstName: text(values, BlockId.FirstName),
      lastName: text(values, BlockId.LastName),
      phones: rows(values, 'phone', (i) => ({
        number: text(values, rowBlockId('phone', i, 'number')),
        type: text(values, rowBlockId('phone', i, 'type')),
        noWhatsApp: checked(values, rowBlockId('phone', i, 'noWhatsApp')),
      })),
      emails: rows(values, 'email', (i) => ({
        address: text(values, rowBlockId('email', i, 'address')),
        type: text(values, rowBlockId('email', i, 'type')),
      })),
      addresses: rows(values, 'address', (i) => ({
        street: text(values, rowBlockId('address', i, 'street')),
        city: text(values, rowBlockId('address', i, 'city')),
        state: text(values, rowBlockId('address', i, 'state')),
        zip: text(values, rowBlockId('address', i, 'zip')),
        country: text(values, rowBlockId('address', i, 'country')),
        countryCode: text(values, rowBlockId('address', i, 'countryCode')),
        type: text(values, rowBlockId('address', i, 'type')),
      })),
      company: text(values, BlockId.Company),
      department: text(values, BlockId.Department),
      title: text(values, BlockId.Title),
      urls: website ? [{ url: website }] : [],
      birthday: text(values, BlockId.Birthday),
    },
  };
}

const FIELD_BLOCKS: Readonly<Record<string, string>> = {
  formattedName: BlockId.FormattedName,
  firstName: BlockId.FirstName,
  lastName: BlockId.LastName,
  company: BlockId.Company,
  department: BlockId.Department,
  title: BlockId.Title,
  birthday: BlockId.Birthday,
  urls: BlockId.Website,
};

const ROW_KIND_OF: Readonly<Record<string, RowKind>> = {
  phones: 'phone',
  emails: 'email',
  addresses: 'address',
};

/**
 * The input block a card issue belongs to. Issues about a whole list or the whole card land on
 * the name, the one field that is always there, so no issue is ever shown nowhere.
 */
export function blockIdForIssue(issue: CardIssue, rowCounts: RowCounts, generation?: number): string {
  return generationBlockId(baseBlockIdForIssue(issue, rowCounts), generation);
}

function baseBlockIdForIssue(issue: CardIssue, rowCounts: RowCounts): string {
  // The message builder prefixes paths: ['recipient'] or ['contacts', <n>, ...the contact's path].
  const path = issue.path[0] === 'contacts' ? issue.path.slice(2) : issue.path;
  const [field, index, subfield] = path;
  if (field === 'recipient') return BlockId.Recipient;
  if (typeof field !== 'string') return BlockId.FormattedName;
  const kind = ROW_KIND_OF[field];
  if (kind && typeof index === 'number' && index < rowCounts[kind] && isRowField(kind, subfield)) {
    return rowBlockId(kind, index, subfield);
  }
  return FIELD_BLOCKS[field] ?? BlockId.FormattedName;
}

/** The form's input for a validated card, for "Edit" from the preview. */
export function contactToInput(contact: Contact): ContactInput {
  return {
    formattedName: contact.name.formatted_name,
    firstName: contact.name.first_name,
    lastName: contact.name.last_name,
    // A phone that could have a wa_id but has none was marked "no WhatsApp" (or is a fax or
    // landline by its type, which says so again by itself).
    phones: contact.phones?.map((p) => ({
      number: p.phone,
      type: p.type,
      noWhatsApp: p.wa_id === undefined && !isNoWhatsAppLabel(p.type) ? true : undefined,
    })),
    emails: contact.emails?.map((e) => ({ address: e.email, type: e.type })),
    addresses: contact.addresses?.map((a) => ({
      street: a.street,
      city: a.city,
      state: a.state,
      zip: a.zip,
      country: a.country,
      countryCode: a.country_code,
      type: a.type,
    })),
    company: contact.org?.company,
    department: contact.org?.department,
    title: contact.org?.title,
    urls: contact.urls?.map((u) => ({ url: u.url, type: u.type })),
    birthday: contact.birthday,
  };
}

/** Rows the form needs to show a contact: at least one of each, as a new form has. */
export function rowsFor(contact: ContactInput): RowCounts {
  const count = (n: number | undefined, kind: RowKind) => Math.min(Math.max(n ?? 0, 1), MAX_ROWS[kind]);
  return {
    phone: count(contact.phones?.length, 'phone'),
    email: count(contact.emails?.length, 'email'),
    address: count(contact.addresses?.length, 'address'),
  };
}

/** The channel chosen on the shortcut's form for the result; `undefined` when none was (a DM). */
export function readResultChannel(rawValues: unknown): string | undefined {
  const parsed = stateValuesSchema.safeParse(rawValues);
  if (!parsed.success) return undefined;
  return element(parsed.data, BlockId.ResultChannel)?.selected_conversation ?? undefined;
}
