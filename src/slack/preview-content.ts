/**
 * Carrying the preview's content from the form to Send (and back to Edit). It goes in the view's
 * `private_metadata` when it fits Slack's 3,000 characters, which a card to one person nearly always
 * does. Twenty recipients (each an id and a picker label of up to 75 characters) with a card do
 * not: then the content is saved as a draft, owned by the person previewing, and the metadata
 * carries only the draft's id. Drafts are pruned two hours after they were saved (app.ts).
 */
import { randomUUID } from 'node:crypto';
import type { DraftStore } from '../store/types.js';
import {
  decodeMetadata,
  encodeMetadata,
  type PreviewContent,
  previewContentSchema,
  previewMetadataSchema,
} from './metadata.js';

/** The preview's `private_metadata` for `content`: the content itself, or the id of a draft saved for `userId`. */
export async function carryPreviewContent(
  store: DraftStore,
  content: PreviewContent,
  userId: string,
): Promise<string> {
  const inline = encodeMetadata(content);
  if (inline) return inline;
  const draft = await store.saveDraft({ id: randomUUID(), userId, body: JSON.stringify(content) });
  // A uuid in a one-key object is about 50 characters: it always fits.
  return encodeMetadata({ draftId: draft.id }) ?? '';
}

/**
 * The preview's content from its `private_metadata`, for `userId`; `undefined` when it is
 * malformed, forged, or names a draft that is gone or belongs to someone else.
 */
export async function readPreviewContent(
  store: DraftStore,
  privateMetadata: string | undefined,
  userId: string,
): Promise<PreviewContent | undefined> {
  const metadata = decodeMetadata(previewMetadataSchema, privateMetadata);
  if (!metadata) return undefined;
  if (!('draftId' in metadata)) return metadata;
  const draft = await store.getDraft(metadata.draftId);
  // Someone else's draft id (guessed or copied into a forged view) reads as an out-of-date form.
  if (!draft || draft.userId !== userId) return undefined;
  return decodeMetadata(previewContentSchema, draft.body);
}
