/**
 * A modal's state between requests: what it carries in `private_metadata`, and the drafts that
 * hold what does not fit there. Slack does not send the channel with a view submission, so the
 * channel the command ran in travels here; so do the form's row counts and, in the preview, the
 * validated card and its recipients. Parsed with zod on the way back in: the submission handler
 * trusts nothing it did not check.
 *
 * `private_metadata` holds 3,000 characters, less than ten full contacts, and less than twenty
 * recipients with a card. What does not fit is saved as a draft in the store (one schema,
 * `draftSchema`), owned by the person who made it, and the metadata carries only the draft's id.
 * Each draft is written once under a new random id and never changed, so a view that names a
 * draft always shows exactly what that draft holds, and Send delivers exactly what its preview
 * showed. Drafts are pruned two hours after they were saved (src/store/pruning.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type Contact, contactSchema, isWhatsAppUserId } from '../card/index.js';
import type { DraftStore } from '../store/types.js';

/** Slack refuses a view whose private_metadata is longer than this. */
export const PRIVATE_METADATA_MAX = 3000;

export const ROW_KINDS = ['phone', 'email', 'address'] as const;

/** How many rows of each repeatable kind the form may grow to; keeps the modal under 100 blocks. */
export const MAX_ROWS = { phone: 5, email: 5, address: 3 } as const;

const rowCount = (max: number) => z.number().int().min(0).max(max);

export const rowCountsSchema = z.object({
  phone: rowCount(MAX_ROWS.phone),
  email: rowCount(MAX_ROWS.email),
  address: rowCount(MAX_ROWS.address),
});
export type RowCounts = z.infer<typeof rowCountsSchema>;

/**
 * Where the result is posted: a channel (C, G) or DM (D) id, or a user id (U, W) for a direct
 * message from the app to that person, which is what the shortcut does when no channel is chosen.
 */
export const channelIdSchema = z.string().regex(/^[CDGUW][A-Z0-9]{2,}$/);
const channelId = channelIdSchema;

/** Whether a send's result goes to the sender as a direct message from the app, by choice. */
export function isDirectToUser(channel: string): boolean {
  return /^[UW]/.test(channel);
}

/** Most contacts one card (one WhatsApp message) may carry from the form or a .vcf file. */
export const MAX_CARD_CONTACTS = 10;

/** A draft's id: a random UUID, never reused. */
export const draftIdSchema = z.uuid();

/**
 * The contacts put together so far (by "Add another contact", "Edit" or a .vcf file), kept in
 * a draft because they may not fit `private_metadata`; and, while one of them is being edited,
 * its index.
 */
const collectedFields = {
  draftId: draftIdSchema.optional(),
  editing: z
    .number()
    .int()
    .min(0)
    .max(MAX_CARD_CONTACTS - 1)
    .optional(),
};

/** A message's `ts`: the thread a form opened from a message's shortcut posts its result in. */
export const threadTsSchema = z.string().regex(/^\d{1,12}\.\d{1,8}$/);

export const cardFormMetadataSchema = z.object({
  /** Absent on a form opened from the global shortcut: the form then asks where to post. */
  channelId: channelId.optional(),
  threadTs: threadTsSchema.optional(),
  rows: rowCountsSchema,
  /** How many times the profile filled the form: its fields' block ids carry it (ids.ts). */
  generation: z.number().int().min(1).max(9999).optional(),
  ...collectedFields,
});
export type CardFormMetadata = z.infer<typeof cardFormMetadataSchema>;

export const recipientSchema = z.object({
  /**
   * Jelou's `userId`, verbatim: the id Jelou gave (WhatsApp's digits, or a business-scoped id for
   * a customer whose number is hidden), or the E.164 digits of a typed number (card/whatsapp.ts).
   */
  id: z.string().refine(isWhatsAppUserId),
  /** What the person saw in the picker, e.g. "María López · +593 99 123 4567". */
  label: z.string().min(1).max(200),
});
export type Recipient = z.infer<typeof recipientSchema>;

/** How many WhatsApp users one card may go to at once (the picker's `max_selected_items`). */
export const MAX_RECIPIENTS = 20;

const distinctIds = (recipients: readonly Recipient[]) =>
  new Set(recipients.map((recipient) => recipient.id)).size === recipients.length;

/**
 * What the preview shows and Send delivers: the validated card and who receives it, so Send
 * delivers exactly what was previewed, one send per recipient.
 */
export const previewContentSchema = z.object({
  channelId,
  threadTs: threadTsSchema.optional(),
  recipients: z.array(recipientSchema).min(1).max(MAX_RECIPIENTS).refine(distinctIds),
  contacts: z.array(contactSchema).min(1).max(MAX_CARD_CONTACTS),
});
export type PreviewContent = z.infer<typeof previewContentSchema>;

/** A preview opened before several recipients existed: read as one recipient, so its Send still works. */
const singleRecipientPreviewSchema = z
  .object({ channelId, recipient: recipientSchema, contacts: previewContentSchema.shape.contacts })
  .transform(({ recipient, ...rest }): PreviewContent => ({ ...rest, recipients: [recipient] }));

/** A preview whose content is too large for the metadata: it lives in the store as a draft. */
export const draftReferenceSchema = z.object({ draftId: draftIdSchema });
export type DraftReference = z.infer<typeof draftReferenceSchema>;

/** The preview's metadata: its content, or where to find it. */
export const previewMetadataSchema = z.union([
  previewContentSchema,
  singleRecipientPreviewSchema,
  draftReferenceSchema,
]);
export type PreviewMetadata = z.infer<typeof previewMetadataSchema>;

/** The .vcf import view: the channel, and the contacts collected before it opened, if any. */
export const importMetadataSchema = z.object({
  /** Absent when the import view came from the shortcut's form: it then asks where to post. */
  channelId: channelId.optional(),
  threadTs: threadTsSchema.optional(),
  draftId: draftIdSchema.optional(),
});
export type ImportMetadata = z.infer<typeof importMetadataSchema>;

/** Encodes metadata, or `undefined` when it would not fit Slack's limit. */
export function encodeMetadata(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  return text.length <= PRIVATE_METADATA_MAX ? text : undefined;
}

/** Decodes metadata with `schema`; `undefined` for anything malformed or forged. */
export function decodeMetadata<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Everything a draft may hold: the contacts put together so far ("Add another contact", "Edit",
 * a .vcf file) and, for a preview too large for its metadata, who receives them and where the
 * result goes. The one schema every draft is written and read with.
 */
export const draftSchema = z.object({
  contacts: z.array(contactSchema).max(MAX_CARD_CONTACTS),
  channelId: channelId.optional(),
  threadTs: threadTsSchema.optional(),
  recipients: previewContentSchema.shape.recipients.optional(),
});
export type DraftBody = z.infer<typeof draftSchema>;

async function saveDraft(store: DraftStore, userId: string, body: DraftBody): Promise<string> {
  const id = randomUUID();
  await store.saveDraft({ id, userId, body: JSON.stringify(body) });
  return id;
}

/** Draft `draftId`, if it exists (pruned two hours after it was saved), is `userId`'s, and is a draft. */
async function readDraft(store: DraftStore, userId: string, draftId: string): Promise<DraftBody | undefined> {
  const draft = await store.getDraft(draftId);
  // Someone else's draft id (guessed or copied into a forged view) reads as an out-of-date form.
  if (draft === undefined || draft.userId !== userId) return undefined;
  return decodeMetadata(draftSchema, draft.body);
}

/** Saves `contacts` as a new draft owned by `userId` and returns its id. */
export function saveContacts(
  store: DraftStore,
  userId: string,
  contacts: readonly Contact[],
): Promise<string> {
  return saveDraft(store, userId, { contacts: [...contacts] });
}

/**
 * The contacts of draft `draftId` (none without a draft), or `undefined` when it does not exist,
 * belongs to someone else, or does not hold valid contacts.
 */
export async function loadContacts(
  store: DraftStore,
  userId: string,
  draftId: string | undefined,
): Promise<Contact[] | undefined> {
  if (draftId === undefined) return [];
  return (await readDraft(store, userId, draftId))?.contacts;
}

/** The preview's `private_metadata` for `content`: the content itself, or the id of a draft saved for `userId`. */
export async function carryPreviewContent(
  store: DraftStore,
  content: PreviewContent,
  userId: string,
): Promise<string> {
  const inline = encodeMetadata(content);
  if (inline) return inline;
  const draftId = await saveDraft(store, userId, content);
  // A uuid in a one-key object is about 50 characters: it always fits.
  return encodeMetadata({ draftId }) ?? '';
}

/**
 * The preview's content saved as a new draft of `userId`'s, whatever its size: for a view that
 * carries a reference to it besides its own state (the template modal pushed over the preview).
 */
export function savePreviewDraft(
  store: DraftStore,
  content: PreviewContent,
  userId: string,
): Promise<string> {
  return saveDraft(store, userId, content);
}

/** Previews' metadata recently decoded (see `decodePreviewMetadata`); a few hundred at most. */
const DECODED_PREVIEWS_MAX = 256;
const decodedPreviews = new Map<string, PreviewMetadata | undefined>();

/** Freezes `value` and everything in it: a decoded preview is shared by every Send that reads it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * `decodeMetadata(previewMetadataSchema, text)`, remembered for the last few hundred texts: every
 * Send checked its preview's contacts again (zod, libphonenumber; 4 % of the app's work in the
 * throughput bench), yet the answer depends on the text alone (the schemas read no clock or
 * state), so the same text always decodes to the same preview, or is refused again. Frozen, so
 * no reader can change what the next one gets.
 */
function decodePreviewMetadata(text: string | undefined): PreviewMetadata | undefined {
  if (!text) return undefined;
  if (decodedPreviews.has(text)) {
    const known = decodedPreviews.get(text);
    // Most recently used last: the oldest entry is the first to go.
    decodedPreviews.delete(text);
    decodedPreviews.set(text, known);
    return known;
  }
  const decoded = deepFreeze(decodeMetadata(previewMetadataSchema, text));
  decodedPreviews.set(text, decoded);
  if (decodedPreviews.size > DECODED_PREVIEWS_MAX) {
    const oldest = decodedPreviews.keys().next();
    if (!oldest.done) decodedPreviews.delete(oldest.value);
  }
  return decoded;
}

/**
 * The preview's content from its `private_metadata`, for `userId`; `undefined` when it is
 * malformed, forged, or names a draft that is gone, belongs to someone else, or is no preview.
 */
export async function readPreviewContent(
  store: DraftStore,
  privateMetadata: string | undefined,
  userId: string,
): Promise<PreviewContent | undefined> {
  const metadata = decodePreviewMetadata(privateMetadata);
  if (!metadata) return undefined;
  if (!('draftId' in metadata)) return metadata;
  const draft = await readDraft(store, userId, metadata.draftId);
  if (draft?.channelId === undefined || draft.recipients === undefined || draft.contacts.length === 0)
    return undefined;
  const { channelId, threadTs, recipients, contacts } = draft;
  return { channelId, threadTs, recipients, contacts };
}
