/**
 * The options every Web API client of the app is built with: how long a call may take, and how
 * it is retried.
 */
import type { webApi } from '@slack/bolt';

/**
 * Web API calls give up after a few retries within seconds. Bolt's default (10 retries over about
 * 30 minutes) would hold a listener, or a card's notification, for half an hour during an outage.
 */
const SLACK_RETRY = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 } as const;
const SLACK_TIMEOUT_MS = 10_000;

/**
 * Fresh objects each call: Bolt and the socket client both write into the options they are given
 * (the socket client sets 100 retries for reconnecting), which must not reach listeners' clients.
 */
export function webClientOptions(
  apiUrl: string | undefined,
  timeoutMs = SLACK_TIMEOUT_MS,
): webApi.WebClientOptions {
  return {
    retryConfig: { ...SLACK_RETRY },
    // Not web-api's own `timeout` (see timedFetch).
    fetch: timedFetch(timeoutMs),
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
  };
}

/** Statuses whose response has no body; `new Response` refuses one for them. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` that gives up after `timeoutMs`, headers and body together, and lets go of its timer as
 * soon as the answer has been read.
 *
 * @slack/web-api's own `timeout` option makes an `AbortSignal.timeout` per call. Node keeps that
 * timer for the whole limit, answered or not, and the timer keeps the async context it was made in
 * (here, the request's log context). At a few hundred calls a second that was thousands of timers
 * and contexts alive at once, so memory followed the send rate (BENCHMARKS.md, the soak).
 *
 * The body is read here, whole, so that the limit covers it too: the Web API answers with small
 * JSON, which web-api reads whole anyway.
 */
export function timedFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const limit = new AbortController();
    const timer = setTimeout(
      () => limit.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    const signal = init?.signal ? AbortSignal.any([init.signal, limit.signal]) : limit.signal;
    try {
      const response = await fetch(input, { ...init, signal });
      const body = await response.arrayBuffer();
      const copy = new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      // web-api reads the URL of one method's answer (admin.analytics.getFile).
      Object.defineProperty(copy, 'url', { value: response.url });
      return copy;
    } finally {
      clearTimeout(timer);
    }
  };
}
