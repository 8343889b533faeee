import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { contactToInput, rowsFor } from '../../form.js';
import { slackErrorCode } from '../../notifier.js';
import { readPreviewContent } from '../../preview-content.js';
import { cardFormView } from '../../views/card-form.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** "Edit" on the preview: back to the form, filled with the card and the people as they were validated. */
export function backToEdit(deps: ListenerDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    const content = await readPreviewContent(deps.store, view?.private_metadata, body.user.id);
    const first = content?.contacts[0];
    if (!view || !content || !first) return;
    const contact = contactToInput(first);
    const locale = await deps.locales.localeOf(body.user.id);
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: cardFormView({
          locale,
          channelId: content.channelId,
          rows: rowsFor(contact),
          contact,
          recipients: content.recipients,
        }),
      });
    } catch (error) {
      if (slackErrorCode(error) !== 'hash_conflict') throw error;
      deps.logger.info('preview changed before going back to the form; kept the newer view');
    }
  };
}
