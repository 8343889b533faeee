import type { ListenerDeps } from '../deps.js';
import { sendButton } from './send-button.js';

/**
 * Cancel on a send waiting out a Jelou outage: it stops waiting and fails, and Retry can bring it
 * back. Who may cancel is who may retry (sendButton's one rule). A click once the send is being
 * tried again, or finished, does nothing: the message shows that state already.
 */
export function cancelWaitingSend(deps: ListenerDeps) {
  return sendButton(
    deps,
    { what: 'cancel', notFound: (t) => t.retry.notFound, notYours: (t) => t.retry.cancelNotYours },
    async ({ send, tell }) => {
      const answer = await deps.delivery.cancelWaiting(send.id);
      deps.logger.info({ sendId: send.id, answer }, 'cancel requested');
      if (answer === 'not_found') await tell((t) => t.retry.notFound);
    },
  );
}
