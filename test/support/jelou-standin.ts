/**
 * A stand-in for Jelou's API on a real loopback HTTP server, for client tests, end-to-end tests
 * and demos. It records every request, answers like Jelou by default (send, history, user state),
 * and can be scripted to misbehave the ways networks do: error bodies, HTML pages, hanging, cutting
 * the connection mid-answer, resetting it, answering slowly, answering with megabytes.
 *
 * ```ts
 * const jelou = await startJelouStandIn();
 * jelou.script('messages', json(429, {}, { 'retry-after': '1' }), json(200, { success: true, messageId: 'm1' }));
 * // ... point the client at jelou.url ...
 * expect(jelou.requestsTo('messages')).toHaveLength(2);
 * await jelou.close();
 * ```
 */
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The Jelou endpoints the stand-in knows; anything else is `other` (404 by default). */
export type Route = 'messages' | 'history' | 'state' | 'templates' | 'hsm' | 'notifications' | 'other';

/** One request as it arrived. */
export interface RecordedRequest {
  /** 1-based arrival order across all routes. */
  readonly n: number;
  readonly method: string;
  /** The path as sent, still percent-encoded, without the query (e.g. `/v1/bots/bot%2F42%20x/messages`). */
  readonly path: string;
  readonly route: Route;
  /** Decoded path parameters: `botId` (messages, history), `userId` (state). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly body: unknown;
}

export interface BehaviourContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly request: RecordedRequest;
  readonly standIn: JelouStandIn;
  /** Resolves after `ms`, or never if the stand-in closes first (so nothing writes after close). */
  wait(ms: number): Promise<void>;
  /** Answers as the stand-in would without scripts or overrides (Jelou's normal behaviour). */
  answerAsJelou(): void | Promise<void>;
}

/** How to answer one request. Build them with the factories below, or write your own. */
export type Behaviour = (ctx: BehaviourContext) => void | Promise<void>;

/** A message in a stand-in conversation. */
export interface StandInMessage {
  readonly by: 'user' | 'bot' | 'operator';
  readonly at: Date;
  readonly text?: string;
}

/** A WhatsApp user and their messages with the bot, in any order. */
export interface StandInConversation {
  readonly userId: string;
  readonly name?: string;
  readonly messages: readonly StandInMessage[];
}

export interface StandInOptions {
  /** When set, requests for another bot get Jelou's 404 `bot_not_found`. */
  readonly botId?: string;
  /** When both are set, a wrong `Authorization` header gets Jelou's 401 `unauthorized`. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /**
   * When true, a send to a user who has not written within 24 hours (per the conversations) gets
   * Jelou's 400 `message_could_not_be_send`, as WhatsApp's window rule would.
   */
  readonly enforceWindow?: boolean;
  /** Clock for `enforceWindow`. */
  readonly now?: () => number;
}

/**
 * A template as `GET /v1/bots/{botId}/templates` lists it (../shared/jelou-api.md, "Templates";
 * https://docs.jelou.ai/en/api/campanas/envio-individual): `elementName`, `params`,
 * `paramsNumber`, `language`, `status`, and the text with `{{n}}` placeholders.
 */
export interface StandInTemplate {
  readonly elementName: string;
  readonly displayName?: string;
  readonly language: string;
  readonly status: 'APPROVED' | 'PENDING' | 'REJECTED';
  readonly category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  readonly template: string;
  readonly params: readonly string[];
}

/** Jelou's delivery statuses (docs.jelou.ai/en/api/campanas/notificaciones), furthest last. */
export type StandInStatus = 'CREATED' | 'DELIVERED_CHANNEL' | 'DELIVERED_USER' | 'READ' | 'REPLY' | 'FAILED';

/** A message Jelou took (a card or a template), as the notifications endpoint reports it. */
export interface StandInNotification {
  readonly messageId: string;
  readonly destination: string;
  readonly kind: 'message' | 'hsm';
  sentStatus: StandInStatus;
  readonly createdAt: string;
  deliveryChannelAt?: string;
  deliveryUserAt?: string;
  readAt?: string;
  wasRead: boolean;
  error?: { code: string; message: string };
}

/**
 * What the stand-in posts to a notification URL. Jelou does not publish the payload in text
 * (docs.jelou.ai/en/connect/settings/notification-urls shows only the events: Read, Failed, Reply,
 * All): the stand-in posts the notification's own fields (same names as the notifications
 * endpoint) with the event's name, and the app parses it defensively.
 */
export type StandInEvent = Readonly<{
  event: StandInStatus;
  botId: string;
  messageId: string;
  destination: string;
  timestamp: string;
  error?: { code: string; message: string };
}>;

/** Approved templates a bot typically has, and one awaiting approval (which Jelou will not send). */
export const STAND_IN_TEMPLATES: readonly StandInTemplate[] = [
  {
    elementName: 'card_follow_up',
    displayName: 'Card follow-up',
    language: 'es',
    status: 'APPROVED',
    category: 'UTILITY',
    template:
      'Hola {{1}}, {{2}} quiere enviarte una tarjeta de contacto. Responde a este mensaje para recibirla.',
    params: ['{{1}}', '{{2}}'],
  },
  {
    elementName: 'hello_again',
    displayName: 'Hello again',
    language: 'en',
    status: 'APPROVED',
    category: 'UTILITY',
    template: 'Hi {{1}}! Reply to this message to continue.',
    params: ['{{1}}'],
  },
  {
    elementName: 'spring_sale',
    language: 'es',
    status: 'PENDING',
    category: 'MARKETING',
    template: 'Oferta de primavera para {{1}}',
    params: ['{{1}}'],
  },
];

export interface JelouStandIn {
  /** Base URL to give the client, e.g. `http://127.0.0.1:43210`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Requests to one route. */
  requestsTo(route: Route): RecordedRequest[];
  /** Queues behaviours for the next requests to `route`, one each; then the default applies again. */
  script(route: Route, ...behaviours: Behaviour[]): void;
  /** Replaces the default behaviour for every route (scripts still go first); undefined restores it. */
  respondWith(handler: Behaviour | undefined): void;
  /** The conversations the history and state endpoints serve (and `enforceWindow` checks). */
  setConversations(conversations: readonly StandInConversation[]): void;
  /** Serve these raw history entries (newest first) instead of ones built from conversations. */
  setHistoryEntries(entries: readonly unknown[]): void;
  /** Override one user's state answer: a body for 200, or null for 404. */
  setUserState(userId: string, body: unknown): void;
  /** Turns WhatsApp's 24-hour window rule on or off (see `enforceWindow`). */
  enforceWindow(on: boolean): void;
  /** The bot's templates, all statuses (default {@link STAND_IN_TEMPLATES}). */
  setTemplates(templates: readonly StandInTemplate[]): void;
  /**
   * Where Jelou posts events for this bot, and the authentication header the admin configured
   * (docs.jelou.ai/en/connect/settings/notification-urls: a URL per bot, its events, its
   * authentication). Undefined stops posting.
   */
  setNotificationUrl(url: string | undefined, headers?: Readonly<Record<string, string>>): void;
  /** Every message Jelou took, by message id, as the notifications endpoint reports it. */
  readonly notifications: ReadonlyMap<string, StandInNotification>;
  /**
   * The customer writes to the bot now: history shows it, and a REPLY event goes to the
   * notification URL for the newest message the bot sent them (unless `notify` is false).
   * Resolves with the notification URL's HTTP status, when one was posted.
   */
  customerWrites(userId: string, options?: { notify?: boolean; text?: string }): Promise<number | undefined>;
  /**
   * Moves a message Jelou took to `status` (its notifications answer says so from now on) and posts
   * the event to the notification URL unless `notify` is false; resolves with that URL's status.
   */
  advance(
    messageId: string,
    status: StandInStatus,
    options?: { notify?: boolean; error?: { code: string; message: string } },
  ): Promise<number | undefined>;
  /** Posts any body to the notification URL with `headers` (a forged or malformed event); resolves with the status. */
  postToNotificationUrl(body: unknown, headers?: Readonly<Record<string, string>>): Promise<number>;
  /** Stops the server, destroying open sockets and pending timers so no test hangs. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Behaviours

function alive(res: ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded && !res.socket?.destroyed;
}

/** Answer with a JSON body. */
export function json(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Behaviour {
  return raw(status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

/** Answer with any text, e.g. an HTML error page from a proxy. */
export function raw(
  status: number,
  text: string,
  contentType: string,
  headers: Readonly<Record<string, string>> = {},
): Behaviour {
  return ({ res }) => {
    if (!alive(res)) return;
    res.writeHead(status, { 'content-type': contentType, ...headers });
    res.end(text);
  };
}

/** Answer with a status and no body at all. */
export function empty(status: number, headers: Readonly<Record<string, string>> = {}): Behaviour {
  return ({ res }) => {
    if (!alive(res)) return;
    res.writeHead(status, { 'content-length': '0', ...headers });
    res.end();
  };
}

/** Never answer: the client's headers timeout (or its abort signal) has to end it. */
export function hangHeaders(): Behaviour {
  return () => {};
}

/** Send the status, headers and part of a JSON body, then destroy the socket. */
export function destroyMidBody(status = 200): Behaviour {
  return async ({ res, wait }) => {
    if (!alive(res)) return;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': '200' });
    res.write('{"success":true,"mess');
    // Let the partial answer reach the client before cutting the connection.
    await wait(20);
    res.socket?.destroy();
  };
}

/** Send the status, headers and part of a body, then go silent: the client's body timeout ends it. */
export function stallMidBody(status = 200): Behaviour {
  return ({ res }) => {
    if (!alive(res)) return;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': '200' });
    res.write('{"success":true,"mess');
  };
}

/** Read the request, then reset the TCP connection (RST) without answering. */
export function resetBeforeResponse(): Behaviour {
  return ({ res }) => {
    res.socket?.resetAndDestroy();
  };
}

/** Answer as Jelou normally would; useful in a script, e.g. "first page fine, second page hangs". */
export function passThrough(): Behaviour {
  return (ctx) => ctx.answerAsJelou();
}

/** Wait `ms`, then behave as `then`. */
export function slow(ms: number, then: Behaviour): Behaviour {
  return async (ctx) => {
    await ctx.wait(ms);
    await then(ctx);
  };
}

/**
 * Stream `bytes` of a JSON-looking body in 64 KiB chunks, honouring back-pressure and stopping as
 * soon as the client hangs up. Without Content-Length by default, so the client must enforce its
 * own limit while reading.
 */
export function huge(bytes: number, options: { status?: number; contentLength?: boolean } = {}): Behaviour {
  return async ({ res }) => {
    if (!alive(res)) return;
    res.writeHead(options.status ?? 200, {
      'content-type': 'application/json',
      ...(options.contentLength ? { 'content-length': String(bytes) } : {}),
    });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    while (sent < bytes && alive(res)) {
      const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      sent += piece.length;
      if (!res.write(piece)) {
        // Abort the loser of the race, or every chunk would leave a listener behind.
        const waiting = new AbortController();
        const { signal } = waiting;
        await Promise.race([once(res, 'drain', { signal }), once(res, 'close', { signal })]).finally(() =>
          waiting.abort(),
        );
      }
    }
    if (alive(res)) res.end();
  };
}

// ---------------------------------------------------------------------------------------------
// Customers as WhatsApp and Jelou identify them

/**
 * A bot's customers from the countries the app serves, each under the id Jelou would give
 * (WhatsApp's own id: https://docs.jelou.ai/en/api/introduction, "userId ... without symbols"),
 * written relative to `now`. The ids follow WhatsApp, not E.164 (docs/whatsapp-ids.md):
 * Mexico's mobile is reported as 521 + 10 digits, Argentina's as 549 + 10, an older Brazilian
 * mobile without the ninth digit, and a customer who adopted a username has only a
 * business-scoped id (https://docs.jelou.ai/en/connect/getting-started/bsuid).
 */
export function whatsAppCustomers(now: number): StandInConversation[] {
  const ago = (minutes: number) => new Date(now - minutes * 60_000);
  return [
    { userId: '593991234567', name: 'María López', messages: [{ by: 'user', at: ago(5) }] },
    { userId: '5215512345678', name: 'Juan Pérez', messages: [{ by: 'user', at: ago(10) }] },
    { userId: '5491123456789', name: 'Sofía Fernández', messages: [{ by: 'user', at: ago(15) }] },
    { userId: '551181234567', name: 'João Silva', messages: [{ by: 'user', at: ago(20) }] },
    { userId: '573101234567', name: 'Camila Rojas', messages: [{ by: 'user', at: ago(25) }] },
    { userId: '51912345678', name: 'Pedro Quispe', messages: [{ by: 'user', at: ago(30) }] },
    { userId: '34612345678', name: 'Lucía García', messages: [{ by: 'user', at: ago(35) }] },
    { userId: '14155550123', name: 'Emily Clark', messages: [{ by: 'user', at: ago(40) }] },
    { userId: 'US.13491208655302741918', name: 'Alex', messages: [{ by: 'user', at: ago(45) }] },
    // Wrote 26 hours ago, answered by an agent since: outside WhatsApp's 24-hour window.
    {
      userId: '593997654321',
      name: 'Rosa Andrade',
      messages: [
        { by: 'user', at: ago(26 * 60) },
        { by: 'operator', at: ago(60) },
      ],
    },
  ];
}

/**
 * Customers of the same bot on other channels, whose ids look numeric or are not phones at all:
 * a Facebook page-scoped id (16 digits), an Instagram-scoped id (17) and a web-widget session id.
 * Jelou documents no field that names the channel in history, so the stand-in names none (the
 * harsher reading): only the id tells them apart.
 */
export function otherChannelCustomers(now: number): StandInConversation[] {
  const at = new Date(now - 2 * 60_000);
  return [
    { userId: '7012345678901234', name: 'FB Visitor', messages: [{ by: 'user', at }] },
    { userId: '17841400000000000', name: 'IG Visitor', messages: [{ by: 'user', at }] },
    { userId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', name: 'Web Visitor', messages: [{ by: 'user', at }] },
  ];
}

// ---------------------------------------------------------------------------------------------
// Defaults: what Jelou itself would answer

const DAY_MS = 24 * 60 * 60 * 1000;
const BOT_NAME = 'Stand-in bot';

/**
 * Builds history entries in Jelou's shape from conversations, newest first: `results[]{recipient
 * {id, names}, sender{id, name, type}, by, messageId, status, bubble{type, text}, createdAt}` as
 * Jelou documents `GET /v1/external/messages/history/{botId}` (../shared/jelou-api.md, "Finding
 * WhatsApp users"; https://docs.jelou.ai/en/api/introduction). The values of `by` and
 * `sender.type` are not documented: `user` for the customer as in Jelou's webhooks
 * (`owner: "user"`, https://docs.jelou.ai/webhook/messages-events), else the author's role.
 */
export function historyEntries(botId: string, conversations: readonly StandInConversation[]): unknown[] {
  const entries: { at: number; entry: unknown }[] = [];
  let n = 0;
  for (const conversation of conversations) {
    for (const message of conversation.messages) {
      n++;
      const user = { id: conversation.userId, name: conversation.name ?? '', type: 'user' };
      const bot = { id: botId, name: BOT_NAME, type: message.by };
      entries.push({
        at: message.at.getTime(),
        entry: {
          recipient:
            message.by === 'user'
              ? { id: botId, names: BOT_NAME }
              : { id: user.id, names: conversation.name ?? '' },
          sender: message.by === 'user' ? user : bot,
          by: message.by,
          messageId: `hist_${n}`,
          status: 'delivered_user',
          bubble: { type: 'text', text: message.text ?? '' },
          createdAt: message.at.toISOString(),
        },
      });
    }
  }
  return entries.sort((a, b) => b.at - a.at).map((e) => e.entry);
}

function parseQuery(search: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of search) query[key] = value;
  return query;
}

function parseJsonOrUndefined(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function route(pathname: string): { route: Route; params: Record<string, string> } {
  // Suffix matches, so a base URL with a path prefix (a proxy) works too.
  const patterns: [Route, RegExp, string][] = [
    ['messages', /\/v1\/bots\/([^/]+)\/messages$/, 'botId'],
    ['history', /\/v1\/external\/messages\/history\/([^/]+)$/, 'botId'],
    ['state', /\/v1\/users\/([^/]+)\/state$/, 'userId'],
    ['templates', /\/v1\/bots\/([^/]+)\/templates$/, 'botId'],
    ['hsm', /\/v2\/whatsapp\/([^/]+)\/hsm$/, 'botId'],
    ['notifications', /\/v1\/external\/bots\/([^/]+)\/notifications$/, 'botId'],
  ];
  for (const [name, pattern, param] of patterns) {
    const match = pattern.exec(pathname);
    const value = match?.[1];
    if (value !== undefined) {
      let decoded = value;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        // Leave an undecodable segment as sent.
      }
      return { route: name, params: { [param]: decoded } };
    }
  }
  return { route: 'other', params: {} };
}

// ---------------------------------------------------------------------------------------------
// The server

/** Starts the stand-in on 127.0.0.1 on a free port. */
export async function startJelouStandIn(options: StandInOptions = {}): Promise<JelouStandIn> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map<Route, Behaviour[]>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let override: Behaviour | undefined;
  let conversations: readonly StandInConversation[] = [];
  let rawHistory: readonly unknown[] | undefined;
  const userStates = new Map<string, unknown>();
  let sentCount = 0;
  let hsmCount = 0;
  let closed = false;
  let windowRule = options.enforceWindow === true;
  let templates: readonly StandInTemplate[] = STAND_IN_TEMPLATES;
  let notificationUrl: { url: string; headers: Readonly<Record<string, string>> } | undefined;
  const notifications = new Map<string, StandInNotification>();
  const conversationsExtra = new Map<string, StandInMessage[]>();
  const now = options.now ?? Date.now;
  const expectedAuth =
    options.clientId !== undefined && options.clientSecret !== undefined
      ? `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`
      : undefined;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  // Jelou's error table (https://docs.jelou.ai/en/api/introduction): 401 `unauthorized` for bad
  // credentials, 404 `bot_not_found` for a bot the company may not use.
  const guard = (request: RecordedRequest): Behaviour | undefined => {
    if (expectedAuth !== undefined && request.headers.authorization !== expectedAuth) {
      return json(401, { code: 'unauthorized', message: 'Unauthorized' });
    }
    const botId = request.params.botId;
    if (options.botId !== undefined && botId !== undefined && botId !== options.botId) {
      return json(404, { code: 'bot_not_found', message: 'Bot not found' });
    }
    return undefined;
  };

  const defaultBehaviour: Behaviour = (ctx) => {
    const { request } = ctx;
    const refusal = guard(request);
    if (refusal) return refusal(ctx);
    switch (request.route) {
      case 'messages':
        return answerSend(ctx);
      case 'history':
        return answerHistory(ctx);
      case 'state':
        return answerState(ctx);
      case 'templates':
        return answerTemplates(ctx);
      case 'hsm':
        return answerHsm(ctx);
      case 'notifications':
        return answerNotifications(ctx);
      default:
        return json(404, { code: 'not_found', message: `No route for ${request.method} ${request.path}` })(
          ctx,
        );
    }
  };

  // POST /v1/bots/{botId}/messages (https://docs.jelou.ai/api/envia-mensajes/texto.md): 200
  // `{success: true, messageId}`; `userId` is taken verbatim, whatever WhatsApp id it is.
  const answerSend: Behaviour = (ctx) => {
    const body = ctx.request.body;
    const userId =
      typeof body === 'object' &&
      body !== null &&
      'userId' in body &&
      typeof body.userId === 'string' &&
      body.userId !== ''
        ? body.userId
        : undefined;
    if (userId === undefined) {
      return json(422, { code: 'unprocessable_entity', message: 'userId is required' })(ctx);
    }
    if (windowRule) {
      const lastUser = Math.max(
        Number.NEGATIVE_INFINITY,
        ...messagesOf(userId)
          .filter((m) => m.by === 'user')
          .map((m) => m.at.getTime()),
      );
      if (now() - lastUser >= DAY_MS) {
        // Jelou's error table gives this code and "the message could not be sent due to a bad
        // request" (https://docs.jelou.ai/en/api/introduction); it does not say the window is
        // the cause, so the stand-in does not either (the harsher reading).
        return json(400, {
          code: 'message_could_not_be_send',
          message: 'The message could not be sent due to a bad request',
        })(ctx);
      }
    }
    sentCount++;
    const messageId = `msg_${sentCount}`;
    took(messageId, userId, 'message');
    return json(200, { success: true, messageId })(ctx);
  };

  /** Records a message Jelou took: `CREATED` until it moves on (docs.jelou.ai/en/api/campanas/notificaciones). */
  const took = (messageId: string, destination: string, kind: 'message' | 'hsm') => {
    notifications.set(messageId, {
      messageId,
      destination,
      kind,
      sentStatus: 'CREATED',
      createdAt: new Date(now()).toISOString(),
      wasRead: false,
    });
  };

  const messagesOf = (userId: string): StandInMessage[] => [
    ...(conversations.find((c) => c.userId === userId)?.messages ?? []),
    ...(conversationsExtra.get(userId) ?? []),
  ];

  const addMessage = (userId: string, message: StandInMessage) => {
    conversationsExtra.set(userId, [...(conversationsExtra.get(userId) ?? []), message]);
  };

  /** Conversations with what happened since they were set (template sends, customers' replies). */
  const allConversations = (): StandInConversation[] => {
    const known = conversations.map((c) => ({ ...c, messages: messagesOf(c.userId) }));
    for (const [userId, messages] of conversationsExtra) {
      if (!conversations.some((c) => c.userId === userId)) known.push({ userId, messages });
    }
    return known;
  };

  // GET /v1/bots/{botId}/templates?query=&status=APPROVED&category= (../shared/jelou-api.md,
  // "Templates"). The answer's envelope is not documented; the stand-in uses the history's
  // (`pagination`, `results`), and filters by status and category as the query asks.
  const answerTemplates: Behaviour = (ctx) => {
    const { status, category, query } = ctx.request.query;
    const results = templates.filter(
      (t) =>
        (status === undefined || status === '' || t.status === status) &&
        (category === undefined || category === '' || t.category === category) &&
        (query === undefined || query === '' || t.elementName.includes(query)),
    );
    return json(200, {
      pagination: { limit: 50, page: 1, total: results.length, offset: 0, totalPages: 1 },
      results: results.map((t) => ({ ...t, paramsNumber: t.params.length })),
    })(ctx);
  };

  // POST /v2/whatsapp/{botId}/hsm with `{elementName, destinations, language, parameters, type}`,
  // answering `[{id, destination}]`; a missing or unapproved template answers `{"message":
  // ["Template does not exist"], "status": "failed"}` (../shared/jelou-api.md, "Templates";
  // https://docs.jelou.ai/en/api/campanas/envio-individual). The page gives no HTTP status for
  // the refusal: the stand-in answers 400 (the harsher reading: it must be read as a refusal).
  // Parameters "may be at most 15 characters" per the same page: longer ones are refused too.
  // Not documented, and modelled as the harsher reading, in the documented refusal's shape (the
  // message texts are the stand-in's own): a template asked for in a language it is not approved
  // in is "Template does not exist", and no destination or a wrong number of parameters is refused.
  const answerHsm: Behaviour = (ctx) => {
    const body = ctx.request.body as
      | { elementName?: unknown; destinations?: unknown; language?: unknown; parameters?: unknown }
      | undefined;
    const refuse = (message: string) => json(400, { message: [message], status: 'failed', error: {} })(ctx);
    const template = templates.find(
      (t) => t.elementName === body?.elementName && t.status === 'APPROVED' && t.language === body?.language,
    );
    if (!template) return refuse('Template does not exist');
    const destinations = Array.isArray(body?.destinations)
      ? body.destinations.filter((d): d is string => typeof d === 'string' && d !== '')
      : [];
    if (destinations.length === 0) return refuse('destinations is required');
    const parameters = Array.isArray(body?.parameters) ? body.parameters : [];
    if (parameters.length !== template.params.length) return refuse('Wrong number of parameters');
    if (parameters.some((p) => typeof p !== 'string' || p.length > 15)) {
      return refuse('Parameters must be at most 15 characters');
    }
    return json(
      200,
      destinations.map((destination) => {
        hsmCount++;
        const id = `hsm_${hsmCount}`;
        took(id, destination, 'hsm');
        return { id, destination };
      }),
    )(ctx);
  };

  // GET /v1/external/bots/{botId}/notifications?messageId=&limit=&page= (docs.jelou.ai/en/api/
  // campanas/notificaciones): the statuses of messages Jelou took. Whether it covers messages sent
  // with /messages is not documented; the stand-in covers them (the app handles "none" as well).
  const answerNotifications: Behaviour = (ctx) => {
    const { messageId } = ctx.request.query;
    const results = [...notifications.values()].filter(
      (n) => messageId === undefined || messageId === '' || n.messageId === messageId,
    );
    return json(200, {
      pagination: { limit: 50, page: 1, total: results.length, offset: 0, totalPages: 1 },
      // Only the fields the page lists (`sentStatus`, not `status`); `kind` is the stand-in's own.
      results: results.map(({ kind: _kind, ...n }) => n),
    })(ctx);
  };

  const postToNotificationUrl = async (
    body: unknown,
    headers: Readonly<Record<string, string>> = notificationUrl?.headers ?? {},
  ): Promise<number> => {
    if (!notificationUrl) throw new Error('the stand-in has no notification URL to post to');
    const response = await fetch(notificationUrl.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  };

  const postEvent = async (
    notification: StandInNotification,
    event: StandInStatus,
  ): Promise<number | undefined> => {
    if (!notificationUrl) return undefined;
    const payload: StandInEvent = {
      event,
      botId: options.botId ?? 'bot',
      messageId: notification.messageId,
      destination: notification.destination,
      timestamp: new Date(now()).toISOString(),
      ...(notification.error ? { error: notification.error } : {}),
    };
    return postToNotificationUrl(payload);
  };

  const advance: JelouStandIn['advance'] = async (messageId, status, advanceOptions = {}) => {
    const notification = notifications.get(messageId);
    if (!notification) throw new Error(`the stand-in never took message ${messageId}`);
    const at = new Date(now()).toISOString();
    notification.sentStatus = status;
    if (status === 'DELIVERED_CHANNEL') notification.deliveryChannelAt = at;
    if (status === 'DELIVERED_USER') notification.deliveryUserAt = at;
    if (status === 'READ') {
      notification.readAt = at;
      notification.wasRead = true;
    }
    if (status === 'FAILED' && advanceOptions.error) notification.error = advanceOptions.error;
    return advanceOptions.notify === false ? undefined : postEvent(notification, status);
  };

  // GET /v1/external/messages/history/{botId}?limit&page: `limit` at most 50, `pagination` and
  // `results` (../shared/jelou-api.md, "Finding WhatsApp users").
  const answerHistory: Behaviour = (ctx) => {
    const limit = Number(ctx.request.query.limit ?? '10');
    const page = Number(ctx.request.query.page ?? '1');
    if (!Number.isInteger(limit) || limit < 1 || limit > 50 || !Number.isInteger(page) || page < 1) {
      return json(422, { code: 'unprocessable_entity', message: 'limit must be 1..50 and page ≥ 1' })(ctx);
    }
    const entries = rawHistory ?? historyEntries(ctx.request.params.botId ?? '', allConversations());
    const total = entries.length;
    const offset = (page - 1) * limit;
    return json(200, {
      pagination: { limit, page, total, offset, totalPages: Math.ceil(total / limit) },
      _metadata: {},
      results: entries.slice(offset, offset + limit),
    })(ctx);
  };

  // GET /v1/users/{userId}/state: `{id, names, botId, groupId, state}`, 404 when the user is
  // unknown (../shared/jelou-api.md, "Finding WhatsApp users"). Only the exact id is known: Jelou
  // does not document matching another form of the same number, so the stand-in does not (harsher).
  const answerState: Behaviour = (ctx) => {
    const userId = ctx.request.params.userId ?? '';
    if (userStates.has(userId)) {
      const body = userStates.get(userId);
      return body === null
        ? json(404, { code: 'user_not_found', message: 'User not found' })(ctx)
        : json(200, body)(ctx);
    }
    const conversation = conversations.find((c) => c.userId === userId);
    if (conversation === undefined)
      return json(404, { code: 'user_not_found', message: 'User not found' })(ctx);
    return json(200, {
      id: conversation.userId,
      names: conversation.name ?? '',
      botId: options.botId ?? 'bot',
      groupId: 'group_1',
      state: 'bot',
    })(ctx);
  };

  const address = { url: '', port: 0 };
  const standIn: JelouStandIn = {
    get url() {
      return address.url;
    },
    get port() {
      return address.port;
    },
    requests,
    requestsTo: (r) => requests.filter((request) => request.route === r),
    script: (r, ...behaviours) => {
      scripts.set(r, [...(scripts.get(r) ?? []), ...behaviours]);
    },
    respondWith: (handler) => {
      override = handler;
    },
    setConversations: (value) => {
      conversations = value;
      rawHistory = undefined;
    },
    setHistoryEntries: (entries) => {
      rawHistory = entries;
    },
    setUserState: (userId, body) => {
      userStates.set(userId, body);
    },
    enforceWindow: (on) => {
      windowRule = on;
    },
    setTemplates: (value) => {
      templates = value;
    },
    setNotificationUrl: (url, headers = {}) => {
      notificationUrl = url === undefined ? undefined : { url, headers };
    },
    notifications,
    customerWrites: async (userId, writeOptions = {}) => {
      addMessage(userId, {
        by: 'user',
        at: new Date(now()),
        ...(writeOptions.text ? { text: writeOptions.text } : {}),
      });
      // The event's payload is not published (../shared/jelou-api.md, "Delivery status and
      // replies"): here a REPLY names the newest message the bot sent this customer and carries
      // the customer as its destination, which is what the app matches a reply by.
      const answered = [...notifications.values()].filter((n) => n.destination === userId).at(-1);
      if (!answered || writeOptions.notify === false) return undefined;
      return advance(answered.messageId, 'REPLY');
    },
    advance: (messageId, status, advanceOptions) => advance(messageId, status, advanceOptions),
    postToNotificationUrl: (body, headers) => postToNotificationUrl(body, headers),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer(async (req, res) => {
    // A client that gave up leaves a socket error behind; it is expected here.
    req.on('error', () => {});
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    } catch {
      return;
    }
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const { route: r, params } = route(url.pathname);
    const request: RecordedRequest = {
      n: requests.length + 1,
      method: req.method ?? '',
      path: url.pathname,
      route: r,
      params,
      query: parseQuery(url.searchParams),
      headers: req.headers,
      rawBody,
      body: parseJsonOrUndefined(rawBody),
    };
    requests.push(request);
    const behaviour = scripts.get(r)?.shift() ?? override ?? defaultBehaviour;
    try {
      const ctx: BehaviourContext = {
        req,
        res,
        request,
        standIn,
        wait,
        answerAsJelou: () => defaultBehaviour(ctx),
      };
      await behaviour(ctx);
    } catch {
      if (alive(res)) res.socket?.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  address.port = portOf(server.address());
  address.url = `http://127.0.0.1:${address.port}`;
  return standIn;
}

function portOf(address: AddressInfo | string | null): number {
  if (address === null || typeof address === 'string') throw new Error('stand-in is not listening on TCP');
  return address.port;
}

/** A local port nobody listens on: connecting to it is refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = portOf(server.address());
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
