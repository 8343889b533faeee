/**
 * Refuses a Slack request that is unsigned, forged, stale, seen before, or dated in the future.
 * A signature check alone (Bolt's) accepts any timestamp under 5 minutes old, so within those
 * 5 minutes a captured request could be sent again and, for instance, press Retry a second time;
 * and a request dated ahead would stay "fresh" for longer than we remember it. A signature covers the timestamp and the
 * whole body, so a legitimate request never repeats one (Slack's own retries are signed anew).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../logging.js';

/** Slack rejects timestamps older than this, so a signature need not be remembered longer. */
const WINDOW_MS = 5 * 60 * 1000;

/** What Slack's signature looks like: a version and an HMAC-SHA256 in hex. */
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/**
 * What is remembered of a signature. Memory holds every request of the last five minutes, so its
 * entries should be small: a signature's first 13 hex digits (52 bits, exact in a number) take
 * about 16 bytes where the whole string takes about 90. Two genuine requests share them by chance
 * once in 2^52 / (requests in five minutes); an attacker cannot choose them without the secret.
 */
function keyOf(signature: string): string | number {
  return SIGNATURE.test(signature) ? Number.parseInt(signature.slice(3, 16), 16) : signature;
}

/**
 * Signatures are kept in one set per 10 s of arrival; a whole set is dropped once everything in
 * it is older than the window. Dropping whole sets spares the per-entry timestamps and the
 * deletions that left a single map's table about four times the entries it held (heap snapshots
 * of the soak: 1.8 MB for 34,000 signatures). A signature is kept 5 minutes to 5 minutes 10 s,
 * never less.
 */
const BUCKET_MS = 10_000;

export class ReplayGuard {
  /** 10 s period → keys first seen in it; insertion order is arrival order. */
  readonly #buckets = new Map<number, Set<string | number>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True the first time `signature` is seen within the window; false for a replay. */
  firstSighting(signature: string): boolean {
    const now = this.now();
    for (const period of this.#buckets.keys()) {
      if (now - (period + 1) * BUCKET_MS < WINDOW_MS) break;
      this.#buckets.delete(period);
    }
    const key = keyOf(signature);
    for (const keys of this.#buckets.values()) if (keys.has(key)) return false;
    const period = Math.floor(now / BUCKET_MS);
    let keys = this.#buckets.get(period);
    if (!keys) {
      keys = new Set();
      this.#buckets.set(period, keys);
    }
    keys.add(key);
    return true;
  }

  /** Signatures remembered now: at most those of the last five minutes (and 10 s), however long it runs. */
  get remembered(): number {
    let count = 0;
    for (const keys of this.#buckets.values()) count += keys.size;
    return count;
  }
}

export type GuardOptions = Readonly<{
  signingSecret: string;
  bodyLimit: number;
  logger: Logger;
  now?: () => number;
  /**
   * Signatures seen by every replica sharing a store: a replay sent to another replica behind the
   * load balancer is refused there too. Absent for one replica, whose own memory is enough.
   */
  shared?: { rememberSignature(signature: string, expiresAt: Date): Promise<boolean> } | undefined;
}>;

/**
 * Whether a verified body is something Bolt can take: an object, as JSON or in a form's `payload`.
 * Bolt reads fields of whatever it parses, so a signed `payload=null` would crash the process.
 * Mirrors Bolt's parseHTTPRequestBody without parsing the JSON a second time (a Send's payload
 * carries the whole preview): JSON that starts with `{` is an object if it parses at all, and JSON
 * that does not parse is Bolt's own 400. Following Bolt's choice of what to parse also refuses a
 * signed `null` sent as text/plain, which the old check read as a form and let through.
 */
function wellFormed(body: string, contentType: string | undefined): boolean {
  const json =
    contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(body).get('payload') : body;
  // A form without a payload (a slash command) is parsed into an object of its fields.
  return json === null || /^[ \t\n\r]*\{/.test(json);
}

function refuse(response: ServerResponse, status: number): void {
  response.writeHead(status).end();
}

/**
 * Wraps Bolt's request listener, and is the only signature check: the receiver is built with
 * `signatureVerification: false`, because checking every request twice cost a measurable share
 * of each acknowledgement (BENCHMARKS.md). Every POST must carry a genuine signature; other
 * methods (the GET health routes) pass through. The body is read once here (within `bodyLimit`)
 * and left on the request, where Bolt picks it up. Only a request whose signature is genuine is remembered, so a
 * forgery that copies a real request's signature cannot get the real one refused.
 */
export function guardSlackRequests(listener: RequestListener, options: GuardOptions): RequestListener {
  const now = options.now ?? Date.now;
  const replays = new ReplayGuard(now);
  return (request: IncomingMessage, response: ServerResponse) => {
    const signature = request.headers['x-slack-signature'];
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    if (request.method !== 'POST') {
      listener(request, response);
      return;
    }
    if (typeof signature !== 'string') {
      refuse(response, 401);
      return;
    }
    HTTPModuleFunctions.bufferIncomingMessage(request, options.bodyLimit).then(
      (buffered) => {
        const genuine = isValidSlackRequest({
          signingSecret: options.signingSecret,
          body: buffered.rawBody.toString(),
          headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        });
        if (!genuine) {
          options.logger.info({ path: request.url }, 'refused a Slack request with a bad signature');
          refuse(response, 401);
        } else if (timestamp * 1000 - now() > WINDOW_MS) {
          options.logger.warn({ path: request.url }, 'refused a Slack request dated in the future');
          refuse(response, 401);
        } else if (!wellFormed(buffered.rawBody.toString(), request.headers['content-type'])) {
          options.logger.warn({ path: request.url }, 'refused a signed Slack request that is not an object');
          refuse(response, 400);
        } else if (!replays.firstSighting(signature)) {
          options.logger.warn({ path: request.url }, 'refused a replayed Slack request');
          refuse(response, 401);
        } else if (options.shared) {
          const expiresAt = new Date(Math.max(now(), timestamp * 1000) + WINDOW_MS);
          options.shared.rememberSignature(signature, expiresAt).then(
            (first) => {
              if (first) listener(buffered, response);
              else {
                options.logger.warn({ path: request.url }, 'refused a request another replica already took');
                refuse(response, 401);
              }
            },
            (error: unknown) => {
              // The database is down: this replica's own memory still refuses replays sent here,
              // and refusing Slack's genuine requests would lose them.
              options.logger.error({ err: error }, 'could not check the shared replay memory');
              listener(buffered, response);
            },
          );
        } else {
          listener(buffered, response);
        }
      },
      (error: unknown) =>
        refuse(response, HTTPModuleFunctions.isRawBodyError(error) ? error.statusCode : 400),
    );
  };
}
