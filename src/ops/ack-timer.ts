/**
 * Times how long Slack waits for each acknowledgement. In HTTP mode the acknowledgement is the
 * HTTP response (Bolt answers the moment a listener calls ack()), so timing the response is
 * timing what Slack sees, guard and all.
 */
import type { RequestListener } from 'node:http';
import type { Metrics } from './metrics.js';

/** `listener`, with each Slack request's time to its response observed in `ackSeconds`. */
export function timeAcks(listener: RequestListener, metrics: Pick<Metrics, 'ackSeconds'>): RequestListener {
  return (request, response) => {
    const stopTimer = metrics.ackSeconds.startTimer();
    // Only Slack's requests: the health and metrics routes are not acknowledgements.
    if (request.url?.startsWith('/slack/')) response.once('finish', () => stopTimer());
    listener(request, response);
  };
}
