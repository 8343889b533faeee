/**
 * `POST /jelou/events`: the endpoint an admin sets as the bot's notification URL in Jelou
 * (Settings → Notification URLs, docs.jelou.ai/en/connect/settings/notification-urls), with the
 * authentication Jelou lets them pick: a Bearer token (or an `x-api-key` header) holding
 * JELOU_WEBHOOK_SECRET. Served on PORT in HTTP mode and on HEALTH_PORT in Socket Mode.
 *
 * Anything without the secret gets 401 and changes nothing; the comparison takes the same time
 * whatever the guess. The events are handled before the answer, so a failure (the database down)
 * answers 500 and Jelou may deliver them again; handling them twice is harmless.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type JelouEvent, readEvents } from './events.js';
import { parseJson } from './schemas.js';

export const JELOU_EVENTS_PATH = '/jelou/events';

/** Events are small JSON objects; a batch of them is still far below this. */
const MAX_BODY_BYTES = 256 * 1024;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time: both sides are hashed to the same length first, so a guess's length leaks nothing. */
function sameSecret(offered: string | undefined, secret: string): boolean {
  if (offered === undefined) return false;
  return timingSafeEqual(digest(offered), digest(secret));
}

function offeredSecret(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const bearer = /^Bearer\s+(.+)$/iu.exec(authorization.trim());
    return bearer?.[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type JelouEventsEndpointOptions = Readonly<{
  secret: string;
  onEvents: (events: readonly JelouEvent[]) => Promise<void>;
  logger: Logger;
}>;

/** The handler of `POST /jelou/events`. */
export function jelouEventsEndpoint(options: JelouEventsEndpointOptions) {
  const logger = options.logger.child({ component: 'jelou-events' });
  return (request: IncomingMessage, response: ServerResponse): void => {
    const answer = (status: number) => {
      if (!response.headersSent) response.writeHead(status, { 'content-length': '0' }).end();
    };
    if (request.method !== 'POST') {
      answer(405);
      return;
    }
    if (!sameSecret(offeredSecret(request), options.secret)) {
      // Never the header itself: it may be a real secret sent to the wrong place.
      logger.warn(
        { remote: request.socket.remoteAddress },
        'refused a Jelou event without the shared secret',
      );
      request.resume();
      answer(401);
      return;
    }
    readBody(request)
      .then(async (text) => {
        if (text === undefined) {
          answer(413);
          return;
        }
        const { events, unreadable } = readEvents(parseJson(text));
        // What did not fit is logged by its keys only: values carry customers' numbers.
        if (unreadable > 0) logger.info({ unreadable }, 'jelou events the app does not read; ignored');
        await options.onEvents(events);
        answer(200);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'could not handle Jelou events');
        answer(500);
      });
  };
}
