import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { ErrorCode, sentenceFor } from '../../../errors.js';
import { isAllowed } from '../../access.js';
import { catalogue } from '../../i18n/index.js';
import { readPreviewContent } from '../../metadata.js';
import { messageView } from '../../views/message.js';
import type { ListenerDeps } from '../deps.js';
import { previewSubmission } from '../preview.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Send was pressed on the preview: the preview's content, checked again (it comes back from
 * Slack), becomes one submission with a message per recipient, handed to delivery, which records
 * it before Slack is answered and delivers it after (DeliveryService.submit). The requester's
 * language goes with it, so every later notification speaks it without Slack. Contacts too many
 * for `private_metadata` come from the preview's draft, the requester's own.
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
    const submission =
      content &&
      previewSubmission(content, {
        // The same view and hash arriving twice (a double click, a retried request) is one send per
        // recipient; "Send a template first" on this preview uses the same key, so only one of them records.
        key: `${view.id}:${view.hash}`,
        teamId: body.team?.id,
        requestedBy: body.user.id,
        locale,
      });
    if (!content || !submission) {
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
    const submitted = await deps.delivery.submit(submission, () => ack({ response_action: 'clear' }));
    if (!submitted.recorded) {
      // Not recorded means not sent: say so in the modal rather than let Slack time out.
      await ack({
        response_action: 'update',
        view: messageView(sentenceFor(ErrorCode.Unexpected)[locale], locale),
      });
    }
  };
}
