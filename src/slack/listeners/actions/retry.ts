import type { ListenerDeps } from '../deps.js';
import { sendButton } from './send-button.js';

/**
 * "Retry" on a failed send and "Send again anyway" on an unknown one: the stored card goes back
 * in the queue by send id. Who may press it is sendButton's one rule. A click while it is pending
 * or in flight does nothing. A refusal speaks the clicker's language; the notification keeps the
 * requester's, stored with the send.
 */
export function retrySend(deps: ListenerDeps) {
  return sendButton(
    deps,
    { what: 'retry', notFound: (t) => t.retry.notFound, notYours: (t) => t.retry.notYours },
    async ({ send, tell }) => {
      const answer = await deps.delivery.requeue(send.id);
      deps.logger.info({ sendId: send.id, answer }, 'retry requested');
      if (answer === 'not_found') await tell((t) => t.retry.notFound);
    },
  );
}
