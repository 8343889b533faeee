import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { sendRefusal } from '../../access.js';
import { type Catalogue, catalogue } from '../../i18n/index.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Retry" on a failed send and "Send again anyway" on an unknown one: the stored card goes back
 * in the queue by send id. Its requester may do it; so may anyone on ALLOWED_USER_IDS (when that
 * list is set), as long as the send's channel is still allowed. A click while it is pending or in
 * flight does nothing. A refusal speaks the clicker's language; the notification keeps the
 * requester's, stored with the send.
 */
export function retrySend(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const sendId = action.value ?? '';
    const userId = body.user.id;
    const refuse = async (sentence: (t: Catalogue) => string) => {
      const t = catalogue(await deps.locales.localeOf(userId));
      await respond({ response_type: 'ephemeral', replace_original: false, text: sentence(t) });
    };
    const send = await deps.store.get(sendId);
    if (!send) {
      await refuse((t) => t.retry.notFound);
      return;
    }
    const { access } = deps.config;
    const refusal = sendRefusal(access, userId, send);
    if (refusal) {
      deps.logger.info({ sendId }, 'refused a retry: not the requester or not allowed');
      await refuse((t) => (refusal === 'not_allowed' ? t.command.notAllowed : t.retry.notYours));
      return;
    }
    const answer = await deps.delivery.requeue(sendId);
    deps.logger.info({ sendId, answer }, 'retry requested');
    if (answer === 'requeued') deps.outbox.kick();
    else if (answer === 'not_found') await refuse((t) => t.retry.notFound);
  };
}
