import { contactToInput, rowsFor } from '../../form.js';
import { readPreviewContent } from '../../metadata.js';
import { cardFormView } from '../../views/card-form.js';
import type { ListenerDeps } from '../deps.js';
import { replaceView } from './replace-view.js';

/** "Edit" on the preview: back to the form, filled with the card and the people as they were validated. */
export function backToEdit(deps: ListenerDeps) {
  return replaceView(deps, 'back to edit', async ({ view, userId, locale }) => {
    const content = await readPreviewContent(deps.store, view.private_metadata, userId);
    const first = content?.contacts[0];
    if (!content || !first) return undefined;
    const contact = contactToInput(first);
    return cardFormView({
      locale,
      channelId: content.channelId,
      threadTs: content.threadTs,
      rows: rowsFor(contact),
      contact,
      recipients: content.recipients,
    });
  });
}
