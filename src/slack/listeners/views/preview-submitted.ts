import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { contactsMessageSchema } from '../../../card/index.js';
import { isAllowed } from '../../access.js';
import { decodeMetadata, previewMetadataSchema } from '../../metadata.js';
import { strings } from '../../strings.js';
import { messageView } from '../../views/message.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Send was pressed on the preview. The send is committed to the store before Slack is answered,
 * so an acknowledged card is never lost; Jelou is called only after the acknowledgement.
 */
export function previewSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body }: Args): Promise<void> => {
    const metadata = decodeMetadata(previewMetadataSchema, view.private_metadata);
    const message = metadata
      ? contactsMessageSchema.safeParse({
          type: 'contacts',
          userId: metadata.recipient.id,
          contacts: metadata.contacts,
        })
      : undefined;
    if (!metadata || !message?.success) {
      await ack({ response_action: 'update', view: messageView(strings.form.expired) });
      return;
    }
    if (!isAllowed(deps.config.access, body.user.id, metadata.channelId)) {
      deps.logger.warn(
        { channelId: metadata.channelId },
        'refused a card submission: not on the allowed list',
      );
      await ack({ response_action: 'update', view: messageView(strings.command.notAllowed) });
      return;
    }
    const [first, ...others] = message.data.contacts;
    const cardName =
      others.length > 0
        ? `${first?.name.formatted_name} +${others.length}`
        : (first?.name.formatted_name ?? '');
    const send = await deps.delivery.record({
      teamId: body.team?.id,
      requestedBy: body.user.id,
      channelId: metadata.channelId,
      recipientId: message.data.userId,
      recipientLabel: metadata.recipient.label,
      cardName,
      body: JSON.stringify(message.data),
    });
    await ack({ response_action: 'clear' });
    await deps.delivery.deliver(send.id);
  };
}
