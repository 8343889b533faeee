import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { formContext } from '../../contacts.js';
import { readCardForm } from '../../form.js';
import type { RowKind } from '../../ids.js';
import { cardFormMetadataSchema, decodeMetadata, MAX_ROWS } from '../../metadata.js';
import { slackErrorCode } from '../../notifier.js';
import { cardFormView } from '../../views/card-form.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** "Add phone" / "Add email" / "Add address": the same form with one more row and every typed value kept. */
export function addRow(kind: RowKind, deps: ListenerDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    const metadata = decodeMetadata(cardFormMetadataSchema, view?.private_metadata);
    if (!view || !metadata) return;
    const rows = { ...metadata.rows, [kind]: Math.min(metadata.rows[kind] + 1, MAX_ROWS[kind]) };
    const { contact, recipients } = readCardForm(view.state.values);
    const locale = await deps.locales.localeOf(body.user.id);
    try {
      await client.views.update({
        view_id: view.id,
        // With the hash, Slack refuses the update if the view changed meanwhile (a second click).
        hash: view.hash,
        view: cardFormView({
          locale,
          channelId: metadata.channelId,
          rows,
          contact,
          recipients,
          ...(await formContext(deps.store, body.user.id, metadata, locale)),
        }),
      });
    } catch (error) {
      if (slackErrorCode(error) !== 'hash_conflict') throw error;
      deps.logger.info({ kind }, 'form changed before the new row was added; kept the newer form');
    }
  };
}
