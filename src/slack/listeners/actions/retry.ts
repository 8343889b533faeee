import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isUserAllowed } from '../../access.js';
import { strings } from '../../strings.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Retry" on a failed send and "Send again anyway" on an unknown one: the stored card goes back
 * in the queue by send id. Only its requester may do it; a click while it is in flight does nothing.
 */
export function retrySend(deps: ListenerDeps) {
  return async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const sendId = action.value ?? '';
    const refuse = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    if (!isUserAllowed(deps.config.access, body.user.id)) {
      await refuse(strings.command.notAllowed);
      return;
    }
    const answer = await deps.delivery.retry(sendId, body.user.id);
    deps.logger.info({ sendId, answer }, 'retry requested');
    if (answer === 'requeued') await deps.delivery.deliver(sendId);
    else if (answer === 'not_allowed') await refuse(strings.retry.notYours);
    else if (answer === 'not_found') await refuse(strings.retry.notFound);
  };
}
