import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  buildContactsMessage,
  CardInvalidError,
  type ContactsMessage,
  describeCardIssue,
} from '../../../card/index.js';
import { isAllowed, isUserAllowed } from '../../access.js';
import { blockIdForIssue, readCardForm, readResultChannel } from '../../form.js';
import { catalogue } from '../../i18n/index.js';
import { BlockId } from '../../ids.js';
import {
  cardFormMetadataSchema,
  channelIdSchema,
  decodeMetadata,
  encodeMetadata,
  type PreviewMetadata,
} from '../../metadata.js';
import { previewView } from '../../views/preview.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The card form was submitted: validate it (cheap, in memory) and answer with inline errors or
 * the preview, all inside the acknowledgement. Nothing is sent from here.
 */
export function cardSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body }: Args): Promise<void> => {
    // Remembered since the form opened, in all but rare cases; otherwise looked up within a short budget.
    const locale = await deps.locales.localeOf(body.user.id);
    const t = catalogue(locale);
    const metadata = decodeMetadata(cardFormMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack({ response_action: 'errors', errors: { [BlockId.FormattedName]: t.form.expired } });
      return;
    }
    // The command's channel, or (from the shortcut) the channel chosen, else a DM to the sender.
    const channelId = metadata.channelId ?? readResultChannel(view.state.values) ?? body.user.id;
    if (!isUserAllowed(deps.config.access, body.user.id)) {
      await ack({ response_action: 'errors', errors: { [BlockId.Recipient]: t.command.notAllowed } });
      return;
    }
    if (
      !channelIdSchema.safeParse(channelId).success ||
      !isAllowed(deps.config.access, body.user.id, channelId)
    ) {
      const block = metadata.channelId === undefined ? BlockId.ResultChannel : BlockId.Recipient;
      const sentence = metadata.channelId === undefined ? t.form.channelNotAllowed : t.command.notAllowed;
      await ack({ response_action: 'errors', errors: { [block]: sentence } });
      return;
    }
    const form = readCardForm(view.state.values);
    const errors: Record<string, string> = {};
    if (!form.recipient) errors[BlockId.Recipient] = t.form.recipientRequired;
    let message: ContactsMessage | undefined;
    try {
      // Picker values are user ids (digits without '+'); the '+' makes them read as international.
      const recipient = form.recipient ? `+${form.recipient.id}` : '';
      message = buildContactsMessage(recipient, [form.contact], {
        defaultCountry: deps.config.defaultCountry,
      });
    } catch (error) {
      if (!(error instanceof CardInvalidError)) throw error;
      for (const issue of error.issues) {
        errors[blockIdForIssue(issue, metadata.rows)] ??= describeCardIssue(issue, locale);
      }
    }
    if (!message || !form.recipient || Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const recipient = { id: message.userId, label: form.recipient.label };
    const preview: PreviewMetadata = { channelId, recipient, contacts: message.contacts };
    const privateMetadata = encodeMetadata(preview);
    if (!privateMetadata) {
      await ack({ response_action: 'errors', errors: { [BlockId.FormattedName]: t.preview.tooLarge } });
      return;
    }
    await ack({
      response_action: 'update',
      view: previewView({
        locale,
        recipientLabel: recipient.label,
        contacts: message.contacts,
        privateMetadata,
      }),
    });
  };
}
