import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { contactsMessageSchema } from '../../../card/index.js';
import { ErrorCode, sentenceFor } from '../../../errors.js';
import { isAllowed } from '../../access.js';
import { catalogue } from '../../i18n/index.js';
import { anyPreviewMetadataSchema, decodeMetadata } from '../../metadata.js';
import { messageView } from '../../views/message.js';
import type { ListenerDeps } from '../deps.js';
import { previewContacts } from '../preview.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Send was pressed on the preview. The send is committed to the store before Slack is answered,
 * so an acknowledged card is never lost; Jelou is called only after the acknowledgement. The
 * requester's language is stored with it, so every later notification speaks it without Slack.
 * Contacts too many for `private_metadata` come from the preview's draft, the requester's own.
 */
export function previewSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body }: Args): Promise<void> => {
    const locale = await deps.locales.localeOf(body.user.id);
    const t = catalogue(locale);
    const metadata = decodeMetadata(anyPreviewMetadataSchema, view.private_metadata);
    const contacts = metadata ? await previewContacts(deps.store, body.user.id, metadata) : undefined;
    const message =
      metadata && contacts
        ? contactsMessageSchema.safeParse({ type: 'contacts', userId: metadata.recipient.id, contacts })
        : undefined;
    if (!metadata || !message?.success) {
      await ack({ response_action: 'update', view: messageView(t.form.expired, locale) });
      return;
    }
    if (!isAllowed(deps.config.access, body.user.id, metadata.channelId)) {
      deps.logger.warn(
        { channelId: metadata.channelId },
        'refused a card submission: not on the allowed list',
      );
      await ack({ response_action: 'update', view: messageView(t.command.notAllowed, locale) });
      return;
    }
    const names = message.data.contacts.map((contact) => contact.name.formatted_name);
    const cardName = names.length > 1 ? `${names[0] ?? ''} +${names.length - 1}` : (names[0] ?? '');
    let created: boolean;
    try {
      ({ created } = await deps.delivery.record({
        // The same view and hash arriving twice (a double click, a retried request) is one send.
        submissionKey: `${view.id}:${view.hash}`,
        teamId: body.team?.id,
        requestedBy: body.user.id,
        channelId: metadata.channelId,
        recipientId: message.data.userId,
        recipientLabel: metadata.recipient.label,
        cardName,
        body: JSON.stringify(message.data),
        locale,
      }));
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
