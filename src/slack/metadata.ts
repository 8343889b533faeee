/**
 * What a modal carries in `private_metadata` between requests. Slack does not send the channel
 * with a view submission, so the channel the command ran in travels here; so do the form's row
 * counts and, in the preview, the validated card. Parsed with zod on the way back in: the
 * submission handler trusts nothing it did not check.
 */
import { z } from 'zod';
import { contactSchema } from '../card/index.js';

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

const channelId = z.string().regex(/^[CDG][A-Z0-9]{2,}$/);

/** Most contacts one card (one WhatsApp message) may carry from the form or a .vcf file. */
export const MAX_CARD_CONTACTS = 10;

/** A draft's id (see `src/slack/contacts.ts`): a random UUID, never reused. */
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

export const cardFormMetadataSchema = z.object({
  channelId,
  rows: rowCountsSchema,
  ...collectedFields,
});
export type CardFormMetadata = z.infer<typeof cardFormMetadataSchema>;

export const recipientSchema = z.object({
  /** The WhatsApp user id: E.164 digits without '+'. */
  id: z.string().regex(/^[1-9]\d{6,14}$/),
  /** What the person saw in the picker, e.g. "María López · +593 99 123 4567". */
  label: z.string().min(1).max(200),
});
export type Recipient = z.infer<typeof recipientSchema>;

/** The preview carries the validated card, so Send delivers exactly what was previewed. */
export const previewMetadataSchema = z.object({
  channelId,
  recipient: recipientSchema,
  contacts: z.array(contactSchema).min(1).max(MAX_CARD_CONTACTS),
});
export type PreviewMetadata = z.infer<typeof previewMetadataSchema>;

/**
 * A preview whose contacts do not fit `private_metadata` carries the id of an immutable draft
 * holding them instead: what Send reads is still exactly what the preview showed.
 */
export const previewDraftMetadataSchema = z.object({
  channelId,
  recipient: recipientSchema,
  draftId: draftIdSchema,
});
export type PreviewDraftMetadata = z.infer<typeof previewDraftMetadataSchema>;

/** Either kind of preview metadata. */
export const anyPreviewMetadataSchema = z.union([previewMetadataSchema, previewDraftMetadataSchema]);
export type AnyPreviewMetadata = z.infer<typeof anyPreviewMetadataSchema>;

/** The .vcf import view: the channel, and the contacts collected before it opened, if any. */
export const importMetadataSchema = z.object({
  channelId,
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
