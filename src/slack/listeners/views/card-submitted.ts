import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import {
  buildContactsMessage,
  CardInvalidError,
  type CardIssue,
  type ContactsMessage,
  describeCardIssue,
  parseRecipient,
} from '../../../card/index.js';

import { ErrorCode, sentenceFor } from '../../../errors.js';
import { isAllowed, isUserAllowed } from '../../access.js';
import { blockIdForIssue, readCardForm, readResultChannel } from '../../form.js';
import { catalogue, type Locale } from '../../i18n/index.js';

import { BlockId } from '../../ids.js';
import {
  cardFormMetadataSchema,
  channelIdSchema,
  decodeMetadata,
  MAX_RECIPIENTS,
  type PreviewContent,
  type Recipient,
} from '../../metadata.js';
import { carryPreviewContent } from '../../preview-content.js';
import { previewView } from '../../views/preview.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** An issue about one of several recipients says which one. */
function recipientProblem(issue: CardIssue, recipient: Recipient, several: boolean, locale: Locale): string {
  const sentence = describeCardIssue(issue, locale);
  return several ? `${recipient.label}: ${sentence}` : sentence;
}

/**
 * The card form was submitted: validate it (cheap, in memory) and answer with inline errors or
 * the preview, all inside the acknowledgement. Nothing is sent from here. The preview's content
 * travels in its metadata, or (too large for that) in a draft saved here; one local SQLite write.
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
    const several = form.recipients.length > 1;
    if (form.recipientCount === 0) errors[BlockId.Recipient] = t.form.recipientRequired;
    // Slack's picker stops at MAX_RECIPIENTS; only a forged payload gets here with more.
    if (form.recipientCount > MAX_RECIPIENTS)
      errors[BlockId.Recipient] = t.form.tooManyRecipients(MAX_RECIPIENTS, form.recipientCount);
    const [first, ...others] = form.recipients;
    let message: ContactsMessage | undefined;
    try {
      // Picker values are user ids (digits without '+'); the '+' makes them read as international.
      message = buildContactsMessage(first ? `+${first.id}` : '', [form.contact], {
        defaultCountry: deps.config.defaultCountry,
      });
    } catch (error) {
      if (!(error instanceof CardInvalidError)) throw error;
      for (const issue of error.issues) {
        const problem =
          first && issue.path[0] === 'recipient'
            ? recipientProblem(issue, first, several, locale)
            : describeCardIssue(issue, locale);
        errors[blockIdForIssue(issue, metadata.rows)] ??= problem;
      }
    }
    // Every other recipient is checked the same way and named by its WhatsApp id, once each.
    const recipients = new Map<string, Recipient>();
    if (first && message) recipients.set(message.userId, { id: message.userId, label: first.label });
    for (const recipient of others) {
      try {
        const id = parseRecipient(`+${recipient.id}`, { defaultCountry: deps.config.defaultCountry });
        if (!recipients.has(id)) recipients.set(id, { id, label: recipient.label });
      } catch (error) {
        if (!(error instanceof CardInvalidError)) throw error;
        for (const issue of error.issues)
          errors[BlockId.Recipient] ??= recipientProblem(issue, recipient, several, locale);
      }
    }
    if (!message || Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const content: PreviewContent = {
      channelId,
      recipients: [...recipients.values()],
      contacts: message.contacts,
    };
    let privateMetadata: string;
    try {
      privateMetadata = await carryPreviewContent(deps.store, content, body.user.id);
    } catch (error) {
      // The draft could not be saved: say so on the form rather than let Slack time out.
      deps.logger.error({ err: error }, 'could not save a draft of the preview');
      const sentence = sentenceFor(ErrorCode.Unexpected)[locale];
      await ack({ response_action: 'errors', errors: { [BlockId.Recipient]: sentence } });
      return;
    }
    await ack({
      response_action: 'update',
      view: previewView({
        locale,
        recipientLabels: content.recipients.map((recipient) => recipient.label),
        contacts: message.contacts,
        privateMetadata,
      }),
    });
  };
}
