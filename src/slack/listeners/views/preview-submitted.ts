import { randomUUID } from 'node:crypto';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { type ContactsMessage, contactsMessageSchema } from '../../../card/index.js';
import { ErrorCode, sentenceFor } from '../../../errors.js';
import { isAllowed } from '../../access.js';
import { cardNameOf } from '../../contacts.js';
import { catalogue } from '../../i18n/index.js';
import { readPreviewContent } from '../../preview-content.js';
import { messageView } from '../../views/message.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Send was pressed on the preview: one send per recipient. They are committed to the store
 * together (all or none) before Slack is answered, so an acknowledged card is never lost or half
 * sent; Jelou is called only after the acknowledgement. The requester's language is stored with
 * each, so every later notification speaks it without Slack. Sends to several people share a
 * batch id, and with it one notification that summarises them; a send to one person has none and
 * is notified exactly as before batches existed. Contacts too many for `private_metadata` come
 * from the preview's draft, the requester's own.
 */
export function previewSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body }: Args): Promise<void> => {
    const locale = await deps.locales.localeOf(body.user.id);
    const t = catalogue(locale);
    let content: Awaited<ReturnType<typeof readPreviewContent>>;
    try {
      content = await readPreviewContent(deps.store, view.private_metadata, body.user.id);
    } catch (error) {
      deps.logger.error({ err: error }, 'could not read the draft of a preview');
      content = undefined;
    }
    const messages: ContactsMessage[] = [];
    for (const recipient of content?.recipients ?? []) {
      const parsed = contactsMessageSchema.safeParse({
        type: 'contacts',
        userId: recipient.id,
        contacts: content?.contacts,
      });
      if (parsed.success) messages.push(parsed.data);
    }
    if (!content || messages.length !== content.recipients.length) {
      await ack({ response_action: 'update', view: messageView(t.form.expired, locale) });
      return;
    }
    if (!isAllowed(deps.config.access, body.user.id, content.channelId)) {
      deps.logger.warn(
        { channelId: content.channelId },
        'refused a card submission: not on the allowed list',
      );
      await ack({ response_action: 'update', view: messageView(t.command.notAllowed, locale) });
      return;
    }
    const cardName = cardNameOf(content.contacts);
    const several = content.recipients.length > 1;
    const batchId = several ? randomUUID() : undefined;
    const labels = new Map(content.recipients.map((recipient) => [recipient.id, recipient.label]));
    let created: boolean;
    try {
      const recorded = await deps.delivery.recordMany(
        messages.map((message) => ({
          // The same view and hash arriving twice (a double click, a retried request) is one send
          // per recipient; a send to one person keeps the key it had before batches existed.
          submissionKey: several ? `${view.id}:${view.hash}:${message.userId}` : `${view.id}:${view.hash}`,
          batchId,
          teamId: body.team?.id,
          requestedBy: body.user.id,
          channelId: content.channelId,
          threadTs: content.threadTs,
          recipientId: message.userId,
          recipientLabel: labels.get(message.userId) ?? message.userId,
          cardName,
          body: JSON.stringify(message),
          locale,
        })),
      );
      created = recorded.some((result) => result.created);
    } catch (error) {
      // Not recorded means not sent: say so in the modal rather than let Slack time out.
      deps.logger.error({ err: error }, 'could not record a send');
      await ack({
        response_action: 'update',
        view: messageView(sentenceFor(ErrorCode.Unexpected)[locale], locale),
      });
      return;
    }
    await ack({ response_action: 'clear' });
    if (created) deps.outbox.kick();
  };
}
