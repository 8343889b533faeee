/**
 * The one connection pool to Jelou, with its base URL, credentials and timeouts. Everything that
 * talks to Jelou (sending, recipient look-ups) goes through one `JelouTransport`, so there is one
 * set of keep-alive sockets and one place that knows the Authorization header.
 */
import { Buffer } from 'node:buffer';
import type { Readable } from 'node:stream';
import { type Dispatcher, Pool } from 'undici';

/**
 * Timeouts for one HTTP exchange with Jelou, in milliseconds. undici checks the headers and body
 * timeouts on a coarse clock (about 0.5 s ticks), so they fire up to about a second late.
 */
export interface JelouTimeouts {
  /** TCP (and TLS) connect. A timeout here means nothing was sent, so it is safe to retry. */
  readonly connectMs: number;
  /** From writing the request to receiving the status line and headers. */
  readonly headersMs: number;
  /** Longest silence between two chunks of the response body. */
  readonly bodyMs: number;
}

/**
 * 3 s to connect: a healthy API answers the handshake in well under a second from anywhere; past
 * 3 s the host is most likely unreachable, and failing fast leaves room for the retries that a
 * connect failure (safe: nothing was written) allows.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
/**
 * 10 s for the answer's headers: Jelou hands the message to WhatsApp before answering, which can
 * take a few seconds. Beyond 10 s a person is still watching "sending…", and we would rather say
 * "may have been sent, check with the customer" than keep them waiting.
 */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** 10 s of silence inside a body: answers are a few hundred bytes of JSON, so any gap is trouble. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export const DEFAULT_TIMEOUTS: JelouTimeouts = Object.freeze({
  connectMs: DEFAULT_CONNECT_TIMEOUT_MS,
  headersMs: DEFAULT_HEADERS_TIMEOUT_MS,
  bodyMs: DEFAULT_BODY_TIMEOUT_MS,
});

/**
 * Keep idle sockets 4 s (undici's default, stated here on purpose): shorter than Node's and most
 * proxies' 5 s server-side keep-alive, so we drop an idle socket before the server does. A server
 * closing a socket just as we reuse it would turn a send into an "unknown" outcome.
 */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;
/** A burst of sends from many agents shares at most this many sockets; the rest queue briefly. */
const MAX_CONNECTIONS = 16;

/** Where Jelou is, who we are, and how long to wait. */
export interface JelouTransportOptions {
  /** e.g. `https://api.jelou.ai`; a path prefix and a trailing slash are allowed. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeouts: JelouTimeouts;
}

/** One request to Jelou; the transport adds the base path, credentials and Accept header. */
export interface JelouRequest {
  readonly method: 'GET' | 'POST';
  /** Path below the base URL, starting with `/`, path segments already URL-encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly json?: string;
  readonly signal?: AbortSignal;
}

/** Status, headers and body stream of an answer. The caller must read or destroy the body. */
export type JelouResponse = Dispatcher.ResponseData;

export class JelouTransport {
  readonly #pool: Pool;
  readonly #prefix: string;
  readonly #authorization: string;

  constructor(options: JelouTransportOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new TypeError(`Jelou base URL must be http(s), got ${base.protocol}`);
    }
    // undici pools are per origin; a path prefix (a proxy in front of Jelou) is prepended per request.
    this.#prefix = base.pathname.replace(/\/+$/, '');
    // Computed once; never logged.
    this.#authorization = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64')}`;
    this.#pool = new Pool(base.origin, {
      connect: { timeout: options.timeouts.connectMs },
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyMs,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connections: MAX_CONNECTIONS,
    });
  }

  /**
   * Sends one request. undici resolves for every status code, so status handling is the caller's;
   * it rejects only for transport trouble (connect, timeouts, sockets, abort) with a coded error.
   */
  request(request: JelouRequest): Promise<JelouResponse> {
    const query = request.query
      ? `?${new URLSearchParams(Object.entries(request.query).map(([k, v]): [string, string] => [k, String(v)]))}`
      : '';
    const headers: Record<string, string> = {
      authorization: this.#authorization,
      accept: 'application/json',
    };
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    return this.#pool.request({
      method: request.method,
      path: `${this.#prefix}${request.path}${query}`,
      headers,
      body: request.json,
      signal: request.signal,
    });
  }

  /** Closes the pool gracefully: requests in flight finish (bounded by the timeouts), then sockets close. */
  /** Aborts requests still open and closes every socket at once. */
  async destroy(): Promise<void> {
    if (!this.#pool.destroyed) await this.#pool.destroy();
  }

  async close(): Promise<void> {
    if (!this.#pool.closed) await this.#pool.close();
  }
}

/** A body read up to a byte limit. */
export type BoundedBody =
  | { readonly kind: 'complete'; readonly text: string }
  | { readonly kind: 'too_large'; readonly bytesRead: number };

/**
 * Reads a response body as UTF-8, but never more than `maxBytes`: past the limit (or when the
 * Content-Length already announces more) it stops and destroys the stream, so a runaway answer
 * cannot fill memory. Rejects with the stream's error (body timeout, socket cut, abort).
 */
export async function readBounded(
  body: Readable,
  maxBytes: number,
  contentLength?: string | readonly string[],
): Promise<BoundedBody> {
  const announced = Number(typeof contentLength === 'string' ? contentLength : contentLength?.[0]);
  if (Number.isFinite(announced) && announced > maxBytes) {
    body.destroy();
    return { kind: 'too_large', bytesRead: 0 };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > maxBytes) {
      // Leaving the loop makes the async iterator destroy the stream; say so explicitly anyway.
      body.destroy();
      return { kind: 'too_large', bytesRead: size };
    }
    chunks.push(buffer);
  }
  return { kind: 'complete', text: Buffer.concat(chunks).toString('utf8') };
}

/** Small bodies are drained so the keep-alive socket can be reused; past this, the socket is dropped. */
const DISCARD_LIMIT_BYTES = 16 * 1024;

/** Throws away a body we do not need, without waiting for a large one to arrive. Never rejects. */
export async function discard(body: JelouResponse['body']): Promise<void> {
  try {
    await body.dump({ limit: DISCARD_LIMIT_BYTES });
  } catch {
    // The body's own error (timeout, reset) changes nothing for a body we were throwing away.
  }
}
