import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { sendRefusal } from '../../access.js';
import { type Catalogue, catalogue } from '../../i18n/index.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Cancel on a send waiting out a Jelou outage: it stops waiting and fails, and Retry can bring it
 * back. Who may cancel is who may retry: its requester, or anyone on ALLOWED_USER_IDS when that
 * list is set. A click once the send is being tried again, or finished, does nothing: the message
 * shows that state already.
 */
export function cancelWaitingSend(deps: ListenerDeps) {
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
      deps.logger.info({ sendId }, 'refused a cancel: not the requester or not allowed');
      await refuse((t) => (refusal === 'not_allowed' ? t.command.notAllowed : t.retry.cancelNotYours));
      return;
    }
    const answer = await deps.delivery.cancelWaiting(sendId);
    deps.logger.info({ sendId, answer }, 'cancel requested');
    if (answer === 'not_found') await refuse((t) => t.retry.notFound);
  };
}
