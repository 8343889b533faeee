/**
 * The contacts of a card being put together over several views ("Add another contact", "Edit",
 * "Remove", a .vcf file): what the form can hold, how the card is named, and what a rebuilt form
 * carries on. The contacts themselves wait in drafts (metadata.ts, a modal's state).
 */
import type { Contact } from '../card/index.js';
import type { DraftStore } from '../store/types.js';
import { catalogue, type Locale } from './i18n/index.js';
import { type CardFormMetadata, loadContacts, MAX_ROWS } from './metadata.js';

/**
 * Whether the card form shows every part of `contact`, so "Edit" cannot lose any of it: no
 * middle name, prefix or suffix (the form has no field for them), no more rows than the form
 * may have, and at most one website without a label. A contact from a .vcf file often has more;
 * it can be removed from the card, and changed in the file.
 */
export function formCanHold(contact: Contact): boolean {
  const { name } = contact;
  const url = contact.urls?.[0];
  return (
    name.middle_name === undefined &&
    name.prefix === undefined &&
    name.suffix === undefined &&
    (contact.phones?.length ?? 0) <= MAX_ROWS.phone &&
    (contact.emails?.length ?? 0) <= MAX_ROWS.email &&
    (contact.addresses?.length ?? 0) <= MAX_ROWS.address &&
    (contact.urls?.length ?? 0) <= 1 &&
    url?.type === undefined
  );
}

/** "Juan Pérez" for one contact, "Juan Pérez +2" for three: how a card is named in messages. */
export function cardNameOf(contacts: readonly Contact[]): string {
  const names = contacts.map((contact) => contact.name.formatted_name);
  return names.length > 1 ? `${names[0] ?? ''} +${names.length - 1}` : (names[0] ?? '');
}

/** What a card form rebuilt in place (a row added, the profile filled in) must carry on. */
export type FormContext = Readonly<{ draftId?: string; editing?: number; hint?: string }>;

/**
 * The contacts put together before this form (its draft), whether it edits one of them, and the
 * sentence that says so: a form rebuilt without them would silently drop the other contacts.
 */
export async function formContext(
  store: DraftStore,
  userId: string,
  metadata: CardFormMetadata,
  locale: Locale,
): Promise<FormContext> {
  const collected = (await loadContacts(store, userId, metadata.draftId)) ?? [];
  if (metadata.draftId === undefined || collected.length === 0) return {};
  const t = catalogue(locale);
  const { editing } = metadata;
  return {
    draftId: metadata.draftId,
    ...(editing === undefined
      ? { hint: t.contacts.adding(collected.length + 1) }
      : { editing, hint: t.contacts.editing(editing + 1, collected.length) }),
  };
}
