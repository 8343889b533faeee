import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { contactToInput, rowsFor } from '../../form.js';
import { anyPreviewMetadataSchema, decodeMetadata } from '../../metadata.js';
import { slackErrorCode } from '../../notifier.js';
import { cardFormView } from '../../views/card-form.js';
import type { ListenerDeps } from '../deps.js';
import { previewContacts } from '../preview.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** "Edit" on the preview: back to the form, filled with the card as it was validated. */
export function backToEdit(deps: ListenerDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    const metadata = decodeMetadata(anyPreviewMetadataSchema, view?.private_metadata);
    const contacts = metadata ? await previewContacts(deps.store, body.user.id, metadata) : undefined;
    const first = contacts?.[0];
    if (!view || !metadata || !first) return;
    const contact = contactToInput(first);
    const locale = await deps.locales.localeOf(body.user.id);
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: cardFormView({
          locale,
          channelId: metadata.channelId,
          rows: rowsFor(contact),
          contact,
          recipient: metadata.recipient,
        }),
      });
    } catch (error) {
      if (slackErrorCode(error) !== 'hash_conflict') throw error;
      deps.logger.info('preview changed before going back to the form; kept the newer view');
    }
  };
}
