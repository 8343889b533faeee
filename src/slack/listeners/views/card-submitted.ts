import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import {
  buildContactsMessage,
  CardInvalidError,
  type ContactsMessage,
  describeCardIssue,
} from '../../../card/index.js';
import { ErrorCode, sentenceFor } from '../../../errors.js';
import { blockIdForIssue, readCardForm } from '../../form.js';
import { catalogue } from '../../i18n/index.js';
import { BlockId } from '../../ids.js';
import { cardFormMetadataSchema, decodeMetadata, loadContacts, MAX_CARD_CONTACTS } from '../../metadata.js';
import type { ListenerDeps } from '../deps.js';
import {
  buildPreview,
  channelRefusal,
  checkChosenChannel,
  checkRecipients,
  checkResultChannel,
} from '../preview.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The card form was submitted: validate it (cheap, in memory) and answer with inline errors or
 * the preview, all inside the acknowledgement. Nothing is sent from here. When the form adds a
 * contact to (or edits one of) those put together before, the preview shows them all. The
 * preview's content travels in its metadata, or (too large for that) in a draft saved here.
 */
export function cardSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client }: Args): Promise<void> => {
    // Remembered since the form opened, in all but rare cases; otherwise looked up within a short budget.
    const locale = await deps.locales.localeOf(body.user.id);
    const t = catalogue(locale);
    const metadata = decodeMetadata(cardFormMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack({ response_action: 'errors', errors: { [BlockId.FormattedName]: t.form.expired } });
      return;
    }
    const channel = checkResultChannel(
      deps.config.access,
      body.user.id,
      metadata.channelId,
      view.state.values,
      t,
    );
    if (!channel.ok) {
      await ack({ response_action: 'errors', errors: channel.errors });
      return;
    }
    const { channelId } = channel;
    const refused = channelRefusal(
      await checkChosenChannel(client, metadata.channelId, view.state.values, deps.logger),
      t,
    );
    if (refused) {
      await ack({ response_action: 'errors', errors: refused });
      return;
    }
    const form = readCardForm(view.state.values);
    const errors: Record<string, string> = {};
    const picked = checkRecipients(form, locale);
    if (!picked.ok) errors[BlockId.Recipient] = picked.error;
    let message: ContactsMessage | undefined;
    try {
      // The recipients were checked above; the first stands in for them while the card is checked.
      const first = picked.ok ? picked.recipients[0] : undefined;
      message = buildContactsMessage(first ? { userId: first.id } : '', [form.contact], {
        defaultCountry: deps.config.defaultCountry,
      });
    } catch (error) {
      if (!(error instanceof CardInvalidError)) throw error;
      for (const issue of error.issues) {
        errors[blockIdForIssue(issue, metadata.rows, metadata.generation)] ??= describeCardIssue(
          issue,
          locale,
        );
      }
    }
    if (!message || !picked.ok || Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    // The contacts put together before ("Add another contact", "Edit"): this one joins them.
    const earlier = await loadContacts(deps.store, body.user.id, metadata.draftId);
    const { editing } = metadata;
    if (earlier === undefined || (editing !== undefined && editing >= earlier.length)) {
      await ack({ response_action: 'errors', errors: { [BlockId.FormattedName]: t.form.expired } });
      return;
    }
    const [typed] = message.contacts;
    const contacts =
      editing === undefined || typed === undefined
        ? [...earlier, ...message.contacts]
        : earlier.map((contact, index) => (index === editing ? typed : contact));
    if (contacts.length > MAX_CARD_CONTACTS) {
      await ack({
        response_action: 'errors',
        errors: { [BlockId.FormattedName]: t.vcf.full(MAX_CARD_CONTACTS) },
      });
      return;
    }
    let previewed: ModalView;
    try {
      previewed = await buildPreview(deps, {
        locale,
        userId: body.user.id,
        content: {
          channelId,
          ...(metadata.threadTs === undefined ? {} : { threadTs: metadata.threadTs }),
          recipients: picked.recipients,
          contacts,
        },
      });
    } catch (error) {
      // The draft could not be saved: say so on the form rather than let Slack time out.
      deps.logger.error({ err: error }, 'could not save a draft of the preview');
      const sentence = sentenceFor(ErrorCode.Unexpected)[locale];
      await ack({ response_action: 'errors', errors: { [BlockId.Recipient]: sentence } });
      return;
    }
    await ack({ response_action: 'update', view: previewed });
  };
}
