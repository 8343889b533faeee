/**
 * The contacts of a card being put together over several views ("Add another contact", "Edit",
 * "Remove", a .vcf file). A modal's `private_metadata` holds 3,000 characters, less than ten
 * full contacts, so they are kept in drafts: each draft is written once under a new random id
 * and never changed, so a view that names a draft always shows exactly what that draft holds,
 * and Send delivers exactly what its preview showed. Drafts belong to the person who made them.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type Contact, contactSchema } from '../card/index.js';
import type { DraftStore } from '../store/types.js';
import { catalogue, type Locale } from './i18n/index.js';
import { type CardFormMetadata, MAX_ROWS } from './metadata.js';

const draftBodySchema = z.object({ contacts: z.array(contactSchema).max(10) });

/** Saves `contacts` as a new draft owned by `userId` and returns its id. */
export async function saveContacts(
  store: DraftStore,
  userId: string,
  contacts: readonly Contact[],
): Promise<string> {
  const id = randomUUID();
  await store.saveDraft({ id, userId, body: JSON.stringify({ contacts }) });
  return id;
}

/**
 * The contacts of draft `draftId`, or `undefined` when it does not exist (pruned two hours after it was saved),
 * belongs to someone else, or does not hold valid contacts.
 */
export async function loadContacts(
  store: DraftStore,
  userId: string,
  draftId: string | undefined,
): Promise<Contact[] | undefined> {
  if (draftId === undefined) return [];
  const draft = await store.getDraft(draftId);
  if (draft === undefined || draft.userId !== userId) return undefined;
  try {
    const parsed = draftBodySchema.safeParse(JSON.parse(draft.body));
    return parsed.success ? parsed.data.contacts : undefined;
  } catch {
    return undefined;
  }
}

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
