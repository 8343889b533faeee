/**
 * The preview of a card's contacts, as every listener that shows one builds it: the contacts in
 * `private_metadata` when they fit, otherwise in a new draft whose id goes there instead.
 */
import type { ModalView } from '@slack/types';
import type { Contact } from '../../card/index.js';
import { type DraftStore, loadContacts, saveContacts } from '../contacts.js';
import type { Locale } from '../i18n/index.js';
import {
  type AnyPreviewMetadata,
  encodeMetadata,
  type PreviewDraftMetadata,
  type PreviewMetadata,
  type Recipient,
} from '../metadata.js';
import { previewView } from '../views/preview.js';

export type PreviewOf = Readonly<{
  locale: Locale;
  userId: string;
  channelId: string;
  recipient: Recipient;
  contacts: readonly Contact[];
  notes?: readonly string[] | undefined;
}>;

/** The preview view for `input`, its contacts carried so that Send delivers exactly them. */
export async function buildPreview(store: DraftStore, input: PreviewOf): Promise<ModalView> {
  const inline: PreviewMetadata = {
    channelId: input.channelId,
    recipient: input.recipient,
    contacts: [...input.contacts],
  };
  let privateMetadata = encodeMetadata(inline);
  if (privateMetadata === undefined) {
    const drafted: PreviewDraftMetadata = {
      channelId: input.channelId,
      recipient: input.recipient,
      draftId: await saveContacts(store, input.userId, input.contacts),
    };
    // A channel id, a recipient of at most 200 characters and a UUID always fit.
    privateMetadata = encodeMetadata(drafted) ?? '';
  }
  return previewView({
    locale: input.locale,
    recipientLabel: input.recipient.label,
    contacts: input.contacts,
    privateMetadata,
    notes: input.notes,
  });
}

/** The contacts a preview's metadata carries, or `undefined` when its draft is gone or not `userId`'s. */
export async function previewContacts(
  store: DraftStore,
  userId: string,
  metadata: AnyPreviewMetadata,
): Promise<Contact[] | undefined> {
  if ('contacts' in metadata) return metadata.contacts;
  const contacts = await loadContacts(store, userId, metadata.draftId);
  return contacts !== undefined && contacts.length > 0 ? contacts : undefined;
}
