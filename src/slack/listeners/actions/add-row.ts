import type { RowKind } from '../../ids.js';
import { cardFormMetadataSchema, decodeMetadata, MAX_ROWS } from '../../metadata.js';
import type { ListenerDeps } from '../deps.js';
import { formAgain } from './form-again.js';
import { replaceView } from './replace-view.js';

/** "Add phone" / "Add email" / "Add address": the same form with one more row and every typed value kept. */
export function addRow(kind: RowKind, deps: ListenerDeps) {
  return replaceView(deps, `add ${kind}`, async (click) => {
    const metadata = decodeMetadata(cardFormMetadataSchema, click.view.private_metadata);
    if (!metadata) return undefined;
    const rows = { ...metadata.rows, [kind]: Math.min(metadata.rows[kind] + 1, MAX_ROWS[kind]) };
    return formAgain(deps.store, click, metadata, () => ({ rows }));
  });
}
