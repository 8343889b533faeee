/**
 * Putting several contacts in one card: "Add another contact", "Edit" and "Remove" on the
 * preview, and the switch between the card form and the .vcf import view. Each answers with a
 * `views.update` carrying the view's hash, so a second click on a view that already changed is
 * refused by Slack and the newer view kept. The contacts so far travel in immutable drafts.
 */
import { formCanHold } from '../../contacts.js';
import { contactToInput, readCardForm, readResultChannel, rowsFor } from '../../form.js';
import { catalogue } from '../../i18n/index.js';
import { contactIndexOf } from '../../ids.js';
import {
  cardFormMetadataSchema,
  decodeMetadata,
  importMetadataSchema,
  loadContacts,
  MAX_CARD_CONTACTS,
  readPreviewContent,
  saveContacts,
} from '../../metadata.js';
import { cardFormView, INITIAL_ROWS } from '../../views/card-form.js';
import { importView } from '../../views/vcf-import.js';
import type { ListenerDeps } from '../deps.js';
import { buildPreview } from '../preview.js';
import { type ClickedView, replaceView } from './replace-view.js';

/** What the preview shows (channel, recipients, contacts), when the clicked view is a preview of this person's. */
function fromPreview(deps: ListenerDeps, view: ClickedView, userId: string) {
  return readPreviewContent(deps.store, view.private_metadata, userId);
}

/** "Add another contact": an empty form for the next contact; the ones before wait in a draft. */
export function addContact(deps: ListenerDeps) {
  return replaceView(deps, 'add contact', async ({ view, userId, locale }) => {
    const preview = await fromPreview(deps, view, userId);
    if (!preview || preview.contacts.length >= MAX_CARD_CONTACTS) return undefined;
    const { contacts } = preview;
    return cardFormView({
      locale,
      channelId: preview.channelId,
      threadTs: preview.threadTs,
      rows: INITIAL_ROWS,
      contact: {},
      recipients: preview.recipients,
      draftId: await saveContacts(deps.store, userId, contacts),
      hint: catalogue(locale).contacts.adding(contacts.length + 1),
    });
  });
}

/** "Edit" on one of several contacts: the form filled with it; submitting puts it back in its place. */
export function editContact(deps: ListenerDeps) {
  return replaceView(deps, 'edit contact', async ({ view, userId, locale, blockId }) => {
    const preview = await fromPreview(deps, view, userId);
    const index = contactIndexOf(blockId);
    const chosen = index === undefined ? undefined : preview?.contacts[index];
    // The form cannot show every part of some contacts from files: editing them would lose those.
    if (!preview || index === undefined || !chosen || !formCanHold(chosen)) return undefined;
    const { contacts } = preview;
    const contact = contactToInput(chosen);
    return cardFormView({
      locale,
      channelId: preview.channelId,
      threadTs: preview.threadTs,
      rows: rowsFor(contact),
      contact,
      recipients: preview.recipients,
      draftId: await saveContacts(deps.store, userId, contacts),
      editing: index,
      hint: catalogue(locale).contacts.editing(index + 1, contacts.length),
    });
  });
}

/** "Remove" on one of several contacts: the same preview without it. */
export function removeContact(deps: ListenerDeps) {
  return replaceView(deps, 'remove contact', async ({ view, userId, locale, blockId }) => {
    const preview = await fromPreview(deps, view, userId);
    const index = contactIndexOf(blockId);
    if (!preview || index === undefined || index >= preview.contacts.length) return undefined;
    const contacts = preview.contacts.filter((_, i) => i !== index);
    if (contacts.length === 0) return undefined;
    return buildPreview(deps, { locale, userId, content: { ...preview, contacts } });
  });
}

/** "Attach a .vcf file" on the card form: the import view in its place, the recipient kept. */
export function openImport(deps: ListenerDeps) {
  return replaceView(deps, 'open import', async ({ view, userId, locale }) => {
    const metadata = decodeMetadata(cardFormMetadataSchema, view.private_metadata);
    if (!metadata || metadata.editing !== undefined) return undefined;
    const collected = await loadContacts(deps.store, userId, metadata.draftId);
    if (collected === undefined) return undefined;
    return importView({
      locale,
      channelId: metadata.channelId,
      threadTs: metadata.threadTs,
      recipients: readCardForm(view.state.values).recipients,
      // Slack does not carry an input's value across views.update reliably: the choice is passed on.
      resultChannel: readResultChannel(view.state.values),
      draftId: metadata.draftId,
      collected: collected.length,
    });
  });
}

/** "Type a contact instead" on the import view: an empty card form, the recipient kept. */
export function backToForm(deps: ListenerDeps) {
  return replaceView(deps, 'back to form', async ({ view, userId, locale }) => {
    const metadata = decodeMetadata(importMetadataSchema, view.private_metadata);
    if (!metadata) return undefined;
    const collected = await loadContacts(deps.store, userId, metadata.draftId);
    if (collected === undefined) return undefined;
    return cardFormView({
      locale,
      channelId: metadata.channelId,
      threadTs: metadata.threadTs,
      rows: INITIAL_ROWS,
      contact: {},
      recipients: readCardForm(view.state.values).recipients,
      resultChannel: readResultChannel(view.state.values),
      draftId: metadata.draftId,
      hint: collected.length > 0 ? catalogue(locale).contacts.adding(collected.length + 1) : undefined,
    });
  });
}
