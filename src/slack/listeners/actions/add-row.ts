import { formContext } from '../../contacts.js';
import { readCardForm, readResultChannel } from '../../form.js';
import type { RowKind } from '../../ids.js';
import { cardFormMetadataSchema, decodeMetadata, MAX_ROWS } from '../../metadata.js';
import { cardFormView } from '../../views/card-form.js';
import type { ListenerDeps } from '../deps.js';
import { replaceView } from './replace-view.js';

/** "Add phone" / "Add email" / "Add address": the same form with one more row and every typed value kept. */
export function addRow(kind: RowKind, deps: ListenerDeps) {
  return replaceView(deps, `add ${kind}`, async ({ view, userId, locale }) => {
    const metadata = decodeMetadata(cardFormMetadataSchema, view.private_metadata);
    if (!metadata) return undefined;
    const rows = { ...metadata.rows, [kind]: Math.min(metadata.rows[kind] + 1, MAX_ROWS[kind]) };
    const { contact, recipients } = readCardForm(view.state.values);
    return cardFormView({
      locale,
      channelId: metadata.channelId,
      rows,
      contact,
      recipients,
      resultChannel: readResultChannel(view.state.values),
      ...(await formContext(deps.store, userId, metadata, locale)),
    });
  });
}
