/**
 * Plays Slack's side of the HTTP receiver for the benchmark: signed form posts over one keep-alive
 * undici pool (cheaper per request than fetch, so the driver takes less of the CPU the app needs),
 * with a timeout on every request so that nothing can hang.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { signatureFor } from '../test/support/slack-requests.js';

/** Generous: on a busy shared machine an answer can take seconds; the figures show how long. */
const REQUEST_TIMEOUT_MS = 30_000;

export type Posted = Readonly<{ status: number; text: string; startedAt: number; ms: number }>;

export type SignedClient = Readonly<{
  /** POSTs a signed form body; `ms` is from the request leaving to the whole answer read. */
  post(body: string): Promise<Posted>;
  close(): Promise<void>;
}>;

export function signedClient(eventsUrl: string, signingSecret: string, connections = 64): SignedClient {
  const url = new URL(eventsUrl);
  const pool = new Pool(url.origin, {
    connections,
    keepAliveTimeout: 4_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  return {
    async post(body) {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signatureFor(signingSecret, timestamp, body),
      };
      const startedAt = performance.now();
      const response = await pool.request({
        method: 'POST',
        path: url.pathname,
        headers,
        body,
      });
      const text = await response.body.text();
      return { status: response.statusCode, text, startedAt, ms: performance.now() - startedAt };
    },
    async close() {
      await pool.destroy();
    },
  };
}

/** Runs `task(i)` for i in 0..count-1 on `workers` workers taking the next index as they free up. */
export async function workPool(
  count: number,
  workers: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, count) }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await task(index);
      }
    }),
  );
}
