import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  buildContactsMessage,
  CardInvalidError,
  type ContactsMessage,
  describeCardIssue,
} from '../../../card/index.js';
import { isAllowed } from '../../access.js';
import { loadContacts } from '../../contacts.js';
import { blockIdForIssue, readCardForm } from '../../form.js';
import { catalogue } from '../../i18n/index.js';
import { BlockId } from '../../ids.js';
import { cardFormMetadataSchema, decodeMetadata, MAX_CARD_CONTACTS } from '../../metadata.js';
import type { ListenerDeps } from '../deps.js';
import { buildPreview } from '../preview.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The card form was submitted: validate it (cheap, in memory) and answer with inline errors or
 * the preview, all inside the acknowledgement. Nothing is sent from here. When the form adds a
 * contact to (or edits one of) those put together before, the preview shows them all.
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
    if (!isAllowed(deps.config.access, body.user.id, metadata.channelId)) {
      await ack({ response_action: 'errors', errors: { [BlockId.Recipient]: t.command.notAllowed } });
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
    const earlier = await loadContacts(deps.store, body.user.id, metadata.draftId);
    const { editing } = metadata;
    if (earlier === undefined || (editing !== undefined && editing >= earlier.length)) {
      await ack({ response_action: 'errors', errors: { [BlockId.FormattedName]: t.form.expired } });
      return;
    }
    const contacts =
      editing === undefined
        ? [...earlier, ...message.contacts]
        : earlier.map((contact, index) => (index === editing ? (message.contacts[0] ?? contact) : contact));
    if (contacts.length > MAX_CARD_CONTACTS) {
      await ack({
        response_action: 'errors',
        errors: { [BlockId.FormattedName]: t.vcf.full(MAX_CARD_CONTACTS) },
      });
      return;
    }
    const previewed = await buildPreview(deps.store, {
      locale,
      userId: body.user.id,
      channelId: metadata.channelId,
      recipient,
      contacts,
    });
    await ack({ response_action: 'update', view: previewed });
  };
}
