/**
 * A loopback stand-in for Slack's Web API, for end-to-end tests and the local demo. The app's
 * WebClient is pointed here with `SLACK_API_URL`; every call is recorded with its decoded
 * arguments, and any method can be scripted to answer an error.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { messageLimitViolations, modalLimitViolations } from './block-kit-limits.js';
import { type Conversation, type SlackModel, SlackWorld } from './slack-model.js';

export type { Conversation, SlackModel } from './slack-model.js';

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
  | { readonly httpStatus: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly delayMs: number; readonly answer: SlackAnswer };

export type SlackHandler = (call: SlackRequest) => SlackAnswer | undefined;

/** How the stand-in serves one file (see `serveFile`). */
export type ServeFileOptions = Readonly<{
  /** The only Bearer token the file is given to; any other gets Slack's redirect to sign in. */
  token: string;
  name?: string;
  mimetype?: string;
  /** Wait this long before answering (a slow download). */
  delayMs?: number;
  /** Answer this status with no body instead of the file (404 for a deleted file). */
  httpStatus?: number;
}>;

/** The file object Slack puts in a `file_input`'s state, for a file the stand-in serves. */
export type StandInFile = Readonly<{
  id: string;
  name: string;
  mimetype: string;
  size: number;
  url_private: string;
  url_private_download: string;
}>;

/** A file the app uploaded (files.getUploadURLExternal, the upload, files.completeUploadExternal). */
export type SlackUpload = Readonly<{
  fileId: string;
  filename: string;
  title: string | undefined;
  bytes: Buffer;
  channelId: string | undefined;
  threadTs: string | undefined;
  /** The Authorization header of files.completeUploadExternal. */
  authorization: string | undefined;
}>;

/** One run of a custom workflow step, as the stand-in tracks it (see `startFunctionExecution`). */
export type FunctionExecution = Readonly<{
  executionId: string;
  /** The short-lived `bot_access_token` the event carries. */
  token: string;
  /** The `event_callback` body Slack delivers: POST it as JSON (HTTP) or in an `events_api` envelope (socket). */
  envelope: Readonly<Record<string, unknown>>;
  /** `running` until functions.completeSuccess / completeError succeeds. */
  state(): 'running' | 'completed' | 'failed';
  /** Expires the step's token now, as 15 minutes passing would. */
  expireToken(): void;
}>;

export type FunctionExecutionOptions = Readonly<{
  callbackId: string;
  inputs: Readonly<Record<string, unknown>>;
  /** Output names Slack requires in completeSuccess (the manifest's required outputs). */
  requiredOutputs?: readonly string[];
}>;

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
  /** The `profile` `users.info` reports for `userId` (default: empty), as Slack's fields are named. */
  setProfile(userId: string, profile: Record<string, string>): void;
  /** Serves `content` as a Slack file at a loopback `url_private_download` that needs `options.token`. */
  serveFile(content: string | Buffer, options: ServeFileOptions): StandInFile;
  /** Every file upload the app completed, in order. */
  uploads: readonly SlackUpload[];
  /** Starts a run of a workflow step: its `function_executed` event and its short-lived token. */
  startFunctionExecution(options: FunctionExecutionOptions): FunctionExecution;
  /** Resolves with the first call (past or future) to `method` that matches. */
  waitFor(method: string, predicate?: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** The documented behaviours the stand-in applies (see slack-model.ts); flip one per test. */
  model: SlackModel;
  /** Describes conversation `id` (membership, privacy, archival, restrictions, Slack Connect). */
  describeConversation(id: string, conversation: Conversation): void;
  /** Someone deleted the message: `chat.update` of it answers `message_not_found`. */
  deleteMessage(channel: string, ts: string): void;
  /** A view now on screen by a `response_action` (Slack gives it a new hash); answers that hash. */
  showView(id: string, view: ModalView): string;
  /** What the person typed into view `id` (as sent with a click), which `views.update` may keep. */
  typed(id: string, values: Readonly<Record<string, Readonly<Record<string, object>>>>): void;
  /** View `id` as the person sees it now, with whatever Slack kept across `views.update`. */
  shownView(id: string): (ModalView & { id: string; hash: string }) | undefined;
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
  const profiles = new Map<string, Record<string, string>>();
  const waiters: {
    method: string;
    predicate: (call: SlackCall) => boolean;
    resolve: (call: SlackCall) => void;
  }[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;
  let base = '';
  const served = new Map<string, { bytes: Buffer; options: ServeFileOptions; file: StandInFile }>();
  const pendingUploads = new Map<string, { filename: string; bytes: Buffer | undefined }>();
  const uploads: SlackUpload[] = [];
  const world = new SlackWorld();

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
      // docs.slack.dev/reference/methods/views.open and /views.push: both answer the view with its
      // id and hash. Slack allows two pushes over an opened modal (push_limit_reached after); not
      // modelled, since the app pushes at most one view (the template form over the preview).
      case 'views.open':
      case 'views.push': {
        const view = (args.view ?? {}) as ModalView;
        const id = `V${counter}`;
        return { ok: true, view: { ...view, id, hash: world.show(id, view) } };
      }
      case 'views.update': {
        const view = (args.view ?? {}) as ModalView;
        const id = typeof args.view_id === 'string' ? args.view_id : `V${counter}`;
        const updated = world.update(id, args.hash, view);
        return updated.answer ?? { ok: true, view: { ...updated.view, id, hash: updated.hash } };
      }
      case 'chat.postMessage':
        return {
          ok: true,
          channel: world.landsIn(String(args.channel ?? '')),
          ts: `1700000000.${String(counter).padStart(6, '0')}`,
        };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'conversations.info':
        return world.info(String(args.channel ?? ''));
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000001.${String(counter).padStart(6, '0')}` };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'USER')}` } };
      case 'users.info': {
        // Like Slack, the locale is there only when asked for (form bodies carry booleans as text).
        const user = String(args.user ?? '');
        const withLocale = args.include_locale === true || args.include_locale === 'true';
        const locale = locales.get(user) ?? STANDIN_DEFAULT_LOCALE;
        const profile = profiles.get(user) ?? {};
        return { ok: true, user: { id: user, ...(withLocale ? { locale } : {}), profile } };
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F0UP${String(counter).padStart(6, '0')}`;
        pendingUploads.set(fileId, { filename: String(args.filename ?? ''), bytes: undefined });
        return { ok: true, upload_url: `${base}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal':
        return completeUploads(call);
      default:
        return { ok: true };
    }
  };

  /** Slack refuses to complete a file whose bytes never arrived; so does the stand-in. */
  const completeUploads = ({ args, authorization }: SlackRequest): Record<string, unknown> => {
    const listed = z.array(z.object({ id: z.string(), title: z.string().optional() })).safeParse(args.files);
    if (!listed.success) return { ok: false, error: 'invalid_arguments' };
    const files: Record<string, unknown>[] = [];
    for (const { id, title } of listed.data) {
      const pending = pendingUploads.get(id);
      if (pending?.bytes === undefined) return { ok: false, error: 'file_not_found' };
      pendingUploads.delete(id);
      uploads.push({
        fileId: id,
        filename: pending.filename,
        title,
        bytes: pending.bytes,
        channelId: typeof args.channel_id === 'string' ? args.channel_id : undefined,
        threadTs: typeof args.thread_ts === 'string' ? args.thread_ts : undefined,
        authorization,
      });
      files.push({
        id,
        name: pending.filename,
        title: title ?? pending.filename,
        size: pending.bytes.length,
      });
    }
    return { ok: true, files };
  };

  const workflowSteps = workflowStepSection();

  const timers = new Set<NodeJS.Timeout>();
  const later = (delayMs: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, delayMs);
    timers.add(timer);
  };

  /** `GET /files/{id}/{name}`: the file for its own token, Slack's sign-in redirect for any other. */
  const serve = (request: IncomingMessage, response: ServerResponse, id: string): void => {
    const entry = served.get(id);
    const reply = () => {
      if (response.destroyed) return;
      if (entry === undefined) {
        response.writeHead(404).end();
      } else if (request.headers.authorization !== `Bearer ${entry.options.token}`) {
        response.writeHead(302, { location: `${base}/signin` }).end();
      } else if (entry.options.httpStatus !== undefined) {
        response.writeHead(entry.options.httpStatus).end();
      } else {
        response
          .writeHead(200, { 'content-type': entry.file.mimetype, 'content-length': entry.bytes.length })
          .end(entry.bytes);
      }
    };
    const delayMs = entry?.options.delayMs;
    if (delayMs === undefined) reply();
    else later(delayMs, reply);
  };

  /** `POST /upload/{id}`: the WebClient sends the bytes as the multipart field `body`. */
  const receiveUpload = async (request: IncomingMessage, raw: Buffer, id: string): Promise<number> => {
    const pending = pendingUploads.get(id);
    if (pending === undefined) return 404;
    const type = request.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const part = form.get('body');
      if (!(part instanceof Blob)) return 400;
      pending.bytes = Buffer.from(await part.arrayBuffer());
    } else {
      pending.bytes = raw;
    }
    return 200;
  };
  /**
   * What Slack would refuse before doing anything (see slack-model.ts for each rule's doc page):
   * an expired trigger, a rate limit, a conversation the bot cannot post in, a deleted message.
   */
  const modelled = ({ method, args }: SlackRequest): SlackAnswer | undefined => {
    const channel = typeof args.channel === 'string' ? args.channel : undefined;
    switch (method) {
      case 'views.open':
        return world.open(args.trigger_id);
      case 'chat.postMessage':
        return world.limit(method, channel) ?? world.refusePost(channel ?? '');
      case 'chat.postEphemeral':
        return world.refusePost(channel ?? '', String(args.user ?? ''));
      case 'chat.update':
        return world.limit(method, channel) ?? world.refuseUpdate(channel ?? '', String(args.ts ?? ''));
      default:
        return undefined;
    }
  };

  /** Remembers each message Slack accepted, whoever scripted the answer, for later updates. */
  const remember = (method: string, reply: SlackAnswer): void => {
    if (method !== 'chat.postMessage' || !('ok' in reply) || reply.ok !== true) return;
    if (typeof reply.channel === 'string' && typeof reply.ts === 'string')
      world.posted(reply.channel, reply.ts);
  };

  const answer = (response: ServerResponse, body: SlackAnswer): void => {
    if ('delayMs' in body && typeof body.delayMs === 'number' && 'answer' in body) {
      const delayed = body.answer as SlackAnswer;
      later(body.delayMs, () => {
        if (!response.destroyed) answer(response, delayed);
      });
      return;
    }
    if ('httpStatus' in body && typeof body.httpStatus === 'number') {
      const headers = 'headers' in body ? (body.headers as Record<string, string>) : {};
      response.writeHead(body.httpStatus, headers).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = request.url ?? '';
      const file = /^\/files\/([^/]+)\//u.exec(url)?.[1];
      if (request.method === 'GET' && file !== undefined) {
        serve(request, response, file);
        return;
      }
      const upload = /^\/upload\/([^/?]+)/u.exec(url)?.[1];
      if (request.method === 'POST' && upload !== undefined) {
        receiveUpload(request, Buffer.concat(chunks), upload).then(
          (status) => response.writeHead(status).end(status === 200 ? 'OK' : ''),
          () => response.writeHead(400).end(),
        );
        return;
      }
      // Anything else outside /api/ is a response_url (what Bolt's respond() posts to).
      const method = url.startsWith('/api/') ? (url.slice('/api/'.length).split('?')[0] ?? '') : RESPONSE_URL;
      const received = {
        method,
        args: decodeArgs(Buffer.concat(chunks).toString('utf8'), request.headers['content-type']),
        authorization: request.headers.authorization,
      };
      const reply =
        limits(received) ??
        handlers.get(method)?.(received) ??
        workflowSteps.answer(received) ??
        modelled(received) ??
        withMessageMetadata(received, defaults);
      remember(method, reply);
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
  base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    responseUrl: `http://127.0.0.1:${port}/respond`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    serveFile: (content, options) => {
      counter += 1;
      const id = `F0SRV${String(counter).padStart(6, '0')}`;
      const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
      const name = options.name ?? 'contact.vcf';
      const url = `${base}/files/${id}/${encodeURIComponent(name)}`;
      const file: StandInFile = {
        id,
        name,
        mimetype: options.mimetype ?? 'text/vcard',
        size: bytes.length,
        url_private: url,
        url_private_download: `${url}?download=1`,
      };
      served.set(id, { bytes, options, file });
      return file;
    },
    uploads,
    on: (method, handler) => {
      handlers.set(method, handler);
    },
    model: world.model,
    describeConversation: (id, conversation) => world.describe(id, conversation),
    deleteMessage: (channel, ts) => world.deleteMessage(channel, ts),
    showView: (id, view) => world.show(id, view),
    typed: (id, values) => world.typed(id, values as Record<string, Record<string, Record<string, unknown>>>),
    shownView: (id) => world.shown(id),
    setLocale: (userId, locale) => {
      locales.set(userId, locale);
    },
    setProfile: (userId, profile) => {
      profiles.set(userId, profile);
    },
    startFunctionExecution: (options) => workflowSteps.start(options),
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

/**
 * Custom workflow steps (Workflow Builder). Slack sends `function_executed` with a
 * `bot_access_token` (https://docs.slack.dev/reference/events/function_executed) that expires 15
 * minutes after it was issued or when the step completes (a Slack maintainer in
 * https://github.com/slackapi/bolt-python/issues/1075): any call with it after that answers
 * `token_revoked` (what apps see in https://github.com/slackapi/bolt-js/issues/2288).
 * functions.completeSuccess / completeError take any bot token of the app, with no scope
 * (https://docs.slack.dev/reference/methods/functions.completeSuccess,
 * https://docs.slack.dev/reference/methods/functions.completeError), and answer
 * `function_execution_not_found`, `execution_not_in_running_state` (completed already) or
 * `parameter_validation_failed` (outputs that do not match the step's output parameters).
 */
function workflowStepSection() {
  type Run = {
    token: string;
    state: 'running' | 'completed' | 'failed';
    tokenExpired: boolean;
    requiredOutputs: readonly string[];
  };
  const runs = new Map<string, Run>();
  const byToken = new Map<string, Run>();
  let count = 0;

  const complete = (run: Run, state: 'completed' | 'failed') => {
    run.state = state;
    run.tokenExpired = true;
  };

  const answer = ({ method, args, authorization }: SlackRequest): Record<string, unknown> | undefined => {
    const bearer = authorization?.replace(/^Bearer /u, '');
    const tokenRun = bearer === undefined ? undefined : byToken.get(bearer);
    if (tokenRun?.tokenExpired) return { ok: false, error: 'token_revoked' };
    if (method !== 'functions.completeSuccess' && method !== 'functions.completeError') return undefined;
    // A step's own token or a bot token of the app; anything else is not this app.
    if (tokenRun === undefined && !bearer?.startsWith('xoxb-')) return { ok: false, error: 'invalid_auth' };
    const run = runs.get(String(args.function_execution_id ?? ''));
    if (run === undefined) return { ok: false, error: 'function_execution_not_found' };
    if (run.state !== 'running') return { ok: false, error: 'execution_not_in_running_state' };
    if (method === 'functions.completeError') {
      if (typeof args.error !== 'string' || args.error === '')
        return { ok: false, error: 'invalid_arguments' };
      complete(run, 'failed');
      return { ok: true };
    }
    const outputs = args.outputs;
    if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs))
      return { ok: false, error: 'invalid_arguments' };
    const missing = run.requiredOutputs.filter((name) => !(name in outputs));
    if (missing.length > 0) return { ok: false, error: 'parameter_validation_failed' };
    complete(run, 'completed');
    return { ok: true };
  };

  const start = (options: FunctionExecutionOptions): FunctionExecution => {
    count += 1;
    const executionId = `Fx0STEP${String(count).padStart(5, '0')}`;
    const token = `xwfp-standin-${count}-stepTokenValue`;
    const run: Run = {
      token,
      state: 'running',
      tokenExpired: false,
      requiredOutputs: options.requiredOutputs ?? [],
    };
    runs.set(executionId, run);
    byToken.set(token, run);
    const now = Math.floor(Date.now() / 1000);
    const envelope = {
      token: 'standin-verification-token',
      team_id: STANDIN_TEAM_ID,
      api_app_id: 'A0JELOUCARD',
      type: 'event_callback',
      event_id: `Ev0STEP${count}`,
      event_time: now,
      event: {
        type: 'function_executed',
        function: {
          id: 'Fn0STANDIN',
          callback_id: options.callbackId,
          title: options.callbackId,
          type: 'app',
          input_parameters: [],
          output_parameters: [],
          app_id: 'A0JELOUCARD',
          date_created: now,
          date_updated: now,
          date_deleted: 0,
        },
        inputs: options.inputs,
        function_execution_id: executionId,
        workflow_execution_id: `Wx0STEP${count}`,
        event_ts: `${now}.000100`,
        bot_access_token: token,
      },
    };
    return {
      executionId,
      token,
      envelope,
      state: () => run.state,
      expireToken: () => {
        run.tokenExpired = true;
      },
    };
  };

  return { answer, start };
}

/**
 * Message metadata on chat.postMessage / chat.update
 * (https://docs.slack.dev/messaging/message-metadata): an object with an `event_type` and an
 * `event_payload` object. Anything else is refused with `invalid_metadata_format` (the method
 * pages' error list). An `event_type` with characters other than letters, numbers, underscores and
 * hyphens is accepted with the warning `invalid_metadata_schema` and the metadata ignored.
 */
function withMessageMetadata(
  call: SlackRequest,
  answer: (call: SlackRequest) => Record<string, unknown>,
): Record<string, unknown> {
  const { method, args } = call;
  if ((method !== 'chat.postMessage' && method !== 'chat.update') || args.metadata === undefined)
    return answer(call);
  const shape = z
    .object({ event_type: z.string().min(1), event_payload: z.record(z.string(), z.unknown()) })
    .safeParse(args.metadata);
  if (!shape.success) return { ok: false, error: 'invalid_metadata_format' };
  const answered = answer(call);
  return /^[A-Za-z0-9_-]+$/u.test(shape.data.event_type)
    ? answered
    : { ...answered, warning: 'invalid_metadata_schema' };
}
