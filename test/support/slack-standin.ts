/**
 * A loopback stand-in for Slack's Web API, for end-to-end tests and the local demo. The app's
 * WebClient is pointed here with `SLACK_API_URL`; every call is recorded with its decoded
 * arguments, and any method can be scripted to answer an error.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { messageLimitViolations, modalLimitViolations } from './block-kit-limits.js';

export type SlackRequest = Readonly<{
  method: string;
  args: Readonly<Record<string, unknown>>;
  authorization: string | undefined;
}>;

/** A recorded call: what the app sent, and what the stand-in answered. */
export type SlackCall = SlackRequest & Readonly<{ answer: SlackAnswer }>;

/**
 * What a scripted method answers: a Slack body (`ok` and the rest), an HTTP status with no body,
 * or either of those after a delay (a slow Slack).
 */
export type SlackAnswer =
  | Readonly<Record<string, unknown>>
  | { readonly httpStatus: number }
  | { readonly delayMs: number; readonly answer: SlackAnswer };

export type SlackHandler = (call: SlackRequest) => SlackAnswer | undefined;

export type SlackStandIn = Readonly<{
  /** Base for `clientOptions.slackApiUrl` / `SLACK_API_URL`, with the trailing slash. */
  apiUrl: string;
  /** A response_url to put in payloads; posts to it are recorded with method `response_url`. */
  responseUrl: string;
  calls: readonly SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Answers `method` with `handler`'s result; `undefined` from the handler falls back to the default. */
  on(method: string, handler: SlackHandler): void;
  /** The Slack locale `users.info` reports for `userId` when asked with `include_locale` (default `en-US`). */
  setLocale(userId: string, locale: string): void;
  /** Resolves with the first call (past or future) to `method` that matches. */
  waitFor(method: string, predicate?: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  close(): Promise<void>;
}>;

/** The `method` recorded for posts to a response_url. */
export const RESPONSE_URL = 'response_url';

export const STANDIN_TEAM_ID = 'T0STANDIN';
export const STANDIN_BOT_USER_ID = 'U0BOTUSER';

/** The locale `users.info` reports for a user no test gave one, as Slack does for most workspaces. */
export const STANDIN_DEFAULT_LOCALE = 'en-US';

/** WebClient sends form bodies whose nested values (view, blocks) are JSON strings. */
function decodeArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const calls: SlackCall[] = [];
  const handlers = new Map<string, SlackHandler>();
  const locales = new Map<string, string>();
  const waiters: {
    method: string;
    predicate: (call: SlackCall) => boolean;
    resolve: (call: SlackCall) => void;
  }[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  /** Slack refuses views and messages over its limits; so does the stand-in, loudly. */
  const limits = ({ method, args }: SlackRequest): Record<string, unknown> | undefined => {
    const problems = method.startsWith('views.')
      ? args.view === undefined
        ? []
        : modalLimitViolations(args.view)
      : method.startsWith('chat.')
        ? messageLimitViolations(args)
        : [];
    return problems.length > 0
      ? { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } }
      : undefined;
  };

  const defaults = (call: SlackRequest): Record<string, unknown> => {
    counter += 1;
    const { method, args } = call;
    switch (method) {
      case 'auth.test':
        return { ok: true, team_id: STANDIN_TEAM_ID, user_id: STANDIN_BOT_USER_ID, bot_id: 'B0BOT' };
      case 'views.open':
      case 'views.push':
      case 'views.update': {
        const view = (args.view ?? {}) as Record<string, unknown>;
        const id = typeof args.view_id === 'string' ? args.view_id : `V${counter}`;
        return { ok: true, view: { ...view, id, hash: `hash-${counter}` } };
      }
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: `1700000000.${String(counter).padStart(6, '0')}` };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000001.${String(counter).padStart(6, '0')}` };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'USER')}` } };
      case 'users.info': {
        // Like Slack, the locale is there only when asked for (form bodies carry booleans as text).
        const user = String(args.user ?? '');
        const withLocale = args.include_locale === true || args.include_locale === 'true';
        const locale = locales.get(user) ?? STANDIN_DEFAULT_LOCALE;
        return { ok: true, user: { id: user, ...(withLocale ? { locale } : {}), profile: {} } };
      }
      default:
        return { ok: true };
    }
  };

  const timers = new Set<NodeJS.Timeout>();
  const answer = (response: ServerResponse, body: SlackAnswer): void => {
    if ('delayMs' in body && typeof body.delayMs === 'number' && 'answer' in body) {
      const later = body.answer as SlackAnswer;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!response.destroyed) answer(response, later);
      }, body.delayMs);
      timers.add(timer);
      return;
    }
    if ('httpStatus' in body && typeof body.httpStatus === 'number') {
      response.writeHead(body.httpStatus).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // Anything outside /api/ is a response_url (what Bolt's respond() posts to).
      const url = request.url ?? '';
      const method = url.startsWith('/api/') ? (url.slice('/api/'.length).split('?')[0] ?? '') : RESPONSE_URL;
      const received = {
        method,
        args: decodeArgs(Buffer.concat(chunks).toString('utf8'), request.headers['content-type']),
        authorization: request.headers.authorization,
      };
      const reply = limits(received) ?? handlers.get(method)?.(received) ?? defaults(received);
      const call: SlackCall = { ...received, answer: reply };
      calls.push(call);
      for (const waiter of [...waiters]) {
        if (waiter.method === method && waiter.predicate(call)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(call);
        }
      }
      answer(response, reply);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    responseUrl: `http://127.0.0.1:${port}/respond`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    on: (method, handler) => {
      handlers.set(method, handler);
    },
    setLocale: (userId, locale) => {
      locales.set(userId, locale);
    },
    waitFor: (method, predicate = () => true, timeoutMs = 5_000) => {
      const seen = calls.find((call) => call.method === method && predicate(call));
      if (seen) return Promise.resolve(seen);
      return new Promise<SlackCall>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${method} call arrived within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          method,
          predicate,
          resolve: (call) => {
            clearTimeout(timer);
            resolve(call);
          },
        });
      });
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
