/**
 * Builds the running app from its configuration: the store, the Jelou client, delivery, and Bolt
 * in Socket Mode (when an app token is set) or HTTP mode. Only builds, registers and starts.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CodedError as BoltError, HTTPReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Config } from './config.js';
import { AwaitingReplies } from './delivery/awaiting.js';
import { Outbox } from './delivery/outbox.js';
import { DeliveryService } from './delivery/service.js';
import { JelouClient } from './jelou/index.js';
import { JELOU_EVENTS_PATH, jelouEventsEndpoint } from './jelou/webhook.js';
import { BoltPinoLogger, type Logger, withLogContext } from './logging.js';
import { Health, type OpsRoute, opsRoutes } from './ops/health.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { registerListeners } from './slack/listeners/index.js';
import { LocaleResolver, slackLocaleLookup } from './slack/locale.js';
import { Notifier } from './slack/notifier.js';
import { guardSlackRequests } from './slack/replay-guard.js';
import { StepCompleter, withoutSilentSteps } from './slack/workflow-step.js';
import { openStore } from './store/open.js';

/** The few fields every Slack request may carry that are worth putting on each log line. */
const requestShape = z
  .object({
    type: z.string().optional(),
    command: z.string().optional(),
    team_id: z.string().optional(),
    user_id: z.string().optional(),
    team: z.object({ id: z.string() }).loose().nullish(),
    user: z.object({ id: z.string() }).loose().nullish(),
  })
  .loose();

function requestContext(body: unknown) {
  const parsed = requestShape.safeParse(body);
  const fields = parsed.success ? parsed.data : {};
  return {
    requestId: randomUUID().slice(0, 8),
    slackType: fields.command ?? fields.type,
    teamId: fields.team?.id ?? fields.team_id,
    userId: fields.user?.id ?? fields.user_id,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Often enough that a draft (customers' names and numbers) outlives its modal by an hour at most. */
const PRUNE_EVERY_MS = HOUR_MS;
/** Held a little less than a round, so the holder renews it each round and another takes over after it is gone. */
const PRUNE_LEASE_MS = PRUNE_EVERY_MS - 5 * 60 * 1000;
/**
 * A draft holds a modal's cards and recipients between its views. Two hours covers any modal a
 * person is still working in; a Send on an older one says the form is out of date.
 */
const DRAFT_MAX_AGE_MS = 2 * HOUR_MS;

export type Runtime = Readonly<{
  app: App;
  metrics: Metrics;
  /**
   * Checks the bot token with Slack, starts taking requests and delivering. Resolves with the
   * port Slack's requests arrive on (HTTP mode) and the health port (Socket Mode).
   */
  start(): Promise<{ port: number | undefined; healthPort: number | undefined }>;
  /** Reports not ready, takes no new work, waits up to `graceMs` for sends in flight, closes everything. */
  stop(graceMs?: number): Promise<void>;
}>;

/**
 * Web API calls give up after a few retries within seconds. Bolt's default (10 retries over about
 * 30 minutes) would hold a listener, or a card's notification, for half an hour during an outage.
 */
const SLACK_RETRY = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 } as const;
const SLACK_TIMEOUT_MS = 10_000;
const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Serves the ops routes on a port of their own (Socket Mode has no HTTP server otherwise). */
async function startOpsServer(
  port: number,
  routes: readonly OpsRoute[],
  jelouEvents: RequestListener | undefined,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    // Jelou's notification URL: Socket Mode has no other public HTTP port (issue 15).
    if (jelouEvents && path === JELOU_EVENTS_PATH) return jelouEvents(request, response);
    const route = request.method === 'GET' ? routes.find((r) => r.path === path) : undefined;
    if (route) route.handler(request, response);
    else response.writeHead(404).end();
  });
  server.listen(port);
  await once(server, 'listening');
  return server;
}

export function createRuntime(config: Config, logger: Logger): Runtime {
  const boltLogger = new BoltPinoLogger(logger);
  // Fresh objects each time: Bolt and the socket client both write into the options they are given
  // (the socket client sets 100 retries for reconnecting), which must not reach listeners' clients.
  const clientOptions = () => ({
    retryConfig: { ...SLACK_RETRY },
    timeout: SLACK_TIMEOUT_MS,
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
  });

  const store = openStore(config.databaseUrl, {
    leaseMs: config.outboxLeaseMs,
    onError: (error) => logger.warn({ err: error }, 'a database connection was lost'),
  });
  const metrics = createMetrics(() => store.backlog());
  const socketReceiver =
    config.slack.mode === 'socket'
      ? new SocketModeReceiver({
          appToken: config.slack.appToken ?? '',
          logger: boltLogger,
          logLevel: boltLogger.getLevel(),
          // The socket client's own copy (apps.connections.open at SLACK_API_URL); retryConfig is
          // left unset so it keeps its own persistent policy for reconnecting.
          installerOptions: { clientOptions: { ...clientOptions(), retryConfig: undefined } },
        })
      : undefined;
  const health = new Health({
    store: () => store.ping(),
    ...(socketReceiver ? { socket: () => socketReceiver.client.websocket?.isActive() === true } : {}),
  });
  const routes = opsRoutes(health, metrics);
  const httpReceiver = socketReceiver
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        logger: boltLogger,
        logLevel: boltLogger.getLevel(),
        // Slack gets its answer the moment a listener calls ack(); the listener then carries on.
        processBeforeResponse: false,
        customRoutes: routes.map(({ path, handler }) => ({ path, method: ['GET'], handler })),
        // Slack's largest payloads (a full view submission) are far below this; more is not Slack.
        bodyLimit: SLACK_BODY_LIMIT_BYTES,
        // guardSlackRequests below verifies every POST before Bolt sees it; twice was waste.
        signatureVerification: false,
      });
  if (httpReceiver) {
    const guarded = guardSlackRequests(httpReceiver.requestListener, {
      signingSecret: config.slack.signingSecret ?? '',
      bodyLimit: SLACK_BODY_LIMIT_BYTES,
      logger,
      // Replicas share a PostgreSQL store; one process on a SQLite file remembers on its own.
      shared: store.dialect === 'postgres' ? store : undefined,
    });
    httpReceiver.requestListener = (request, response) => {
      // Jelou's events carry its shared secret, not Slack's signature: they skip the Slack guard.
      if (jelouEvents && request.url?.split('?')[0] === JELOU_EVENTS_PATH)
        return jelouEvents(request, response);
      // The acknowledgement is the HTTP response: timing the response is timing what Slack sees.
      const stopTimer = metrics.ackSeconds.startTimer();
      if (request.url?.startsWith('/slack/')) response.once('finish', () => stopTimer());
      guarded(request, response);
    };
  }
  const app = new App({
    token: config.slack.botToken,
    receiver: socketReceiver ?? httpReceiver,
    logger: boltLogger,
    // Passing the level Bolt would otherwise force (INFO) keeps the app's own choice.
    logLevel: boltLogger.getLevel(),
    clientOptions: clientOptions(),
    extendedErrorHandler: true,
    // Bolt's conversation store keeps per-conversation state in memory on every event; nothing
    // here reads it, so it was pure overhead on each request.
    convoStore: false,
    // Bolt would otherwise check the token in its constructor and leave a rejected promise nobody
    // awaits when the token is bad; init() in start() checks it once, awaited, with Slack's reason.
    deferInitialization: true,
  });

  const jelou = new JelouClient({
    baseUrl: config.jelou.apiUrl,
    botId: config.jelou.botId,
    clientId: config.jelou.clientId,
    clientSecret: config.jelou.clientSecret,
    timeouts: { headersMs: config.jelou.timeoutMs, bodyMs: config.jelou.timeoutMs },
    logger,
    templates: config.jelou.templates,
  });
  // Each purpose its own WebClient: @slack/web-api pauses a client's whole queue on a 429, so a
  // busy batch summary must not hold up language look-ups or the modals (Bolt's app.client).
  // The notifier's client rejects a 429 at once and the notifier waits out just that call.
  const notifierClient = new webApi.WebClient(config.slack.botToken, {
    ...clientOptions(),
    logger: boltLogger,
    rejectRateLimitedCalls: true,
  });
  const lookupClient = new webApi.WebClient(config.slack.botToken, {
    ...clientOptions(),
    logger: boltLogger,
  });
  const notifier = new Notifier(notifierClient, logger.child({ component: 'notifier' }), store);
  // A workflow step's send is completed with the bot token (app.client), whenever it finishes.
  const steps = new StepCompleter(app.client, logger.child({ component: 'workflow-step' }));
  const delivery = new DeliveryService({
    store,
    jelou,
    notifier: withoutSilentSteps(notifier),
    logger,
    dryRun: config.dryRun,
    metrics,
    onFinished: (send) => steps.finished(send),
    retryWindowMs: config.jelou.retryWindowMs,
    notificationLeaseMs: config.outboxLeaseMs,
  });
  // Renewed three times per lease, so one late renewal never loses it; swept as often, so a send
  // cut off at a vanished replica is settled within about a lease and a third.
  const outbox = new Outbox({
    store,
    delivery,
    logger,
    metrics,
    renewMs: config.outboxLeaseMs / 3,
    sweepMs: config.outboxLeaseMs / 3,
  });

  // Cards waiting for a customer's reply to a template, and receipts (issue 15).
  const awaiting = new AwaitingReplies({
    store,
    templates: jelou.templates,
    events: jelou.events,
    delivery,
    wake: () => outbox.kick(),
    logger,
    awaitReplyMs: config.jelou.awaitReplyMs,
    pollMs: config.jelou.pollMs,
  });
  const jelouEvents = config.jelou.webhookSecret
    ? jelouEventsEndpoint({
        secret: config.jelou.webhookSecret,
        onEvents: (events) => awaiting.handle(events),
        logger,
      })
    : undefined;

  const prune = async () => {
    // Once across the cluster: the replica holding the lease prunes; the others skip this round.
    if (!(await store.tryLease('prune', PRUNE_LEASE_MS))) return;
    const removed = await store.deleteOlderThan(new Date(Date.now() - config.retentionDays * DAY_MS));
    if (removed > 0) logger.info({ removed, retentionDays: config.retentionDays }, 'removed old sends');
    const drafts = await store.deleteDraftsOlderThan(new Date(Date.now() - DRAFT_MAX_AGE_MS));
    await store.forgetExpiredSignatures();
    if (drafts > 0) logger.info({ removed: drafts }, 'removed abandoned drafts');
  };
  let pruning: NodeJS.Timeout | undefined;
  let opsServer: Server | undefined;
  let appStarted = false;

  app.use(async ({ body, next }) => withLogContext(requestContext(body), next));
  const locales = new LocaleResolver({
    lookup: slackLocaleLookup(lookupClient),
    defaultLocale: config.defaultLocale,
    logger,
  });
  registerListeners(app, {
    config,
    delivery,
    outbox,
    store,
    recipients: jelou,
    locales,
    logger,
    awaiting,
    templates: jelou.templates,
  });
  app.error(async ({ error, body }: { error: BoltError; body: unknown }) => {
    // The error handler runs outside the middleware that set the context: rebuild it from the body.
    // Bolt wraps listener errors; the original carries the stack worth reading.
    const original = 'original' in error ? error.original : undefined;
    withLogContext(requestContext(body), () =>
      logger.error({ err: original ?? error, code: error.code }, 'a Slack listener failed'),
    );
  });

  return {
    app,
    metrics,
    async start() {
      // A wrong or revoked token stops the start with Slack's reason instead of failing every request.
      await app.init();
      health.markAuthChecked();
      let port: number | undefined;
      let healthPort: number | undefined;
      if (socketReceiver) {
        opsServer = await startOpsServer(config.http.healthPort, routes, jelouEvents);
        healthPort = (opsServer.address() as AddressInfo).port;
        await app.start();
        appStarted = true;
      } else {
        // Bolt types start()'s result loosely; the HTTP receiver resolves with its node:http server.
        const server = (await app.start(config.http.port)) as Server;
        appStarted = true;
        port = (server.address() as AddressInfo).port;
      }
      // After Bolt: recovery updates notifications of sends a crash interrupted.
      await outbox.start();
      awaiting.start();
      await prune();
      pruning = setInterval(
        () => void prune().catch((error: unknown) => logger.error({ err: error }, 'pruning failed')),
        PRUNE_EVERY_MS,
      );
      pruning.unref();
      return { port, healthPort };
    },
    async stop(graceMs = config.shutdownGraceMs) {
      health.markShuttingDown();
      clearInterval(pruning);
      // Stop taking requests first, then let sends in flight finish within the grace period.
      if (appStarted) await app.stop();
      await outbox.stop(graceMs);
      await awaiting.stop();
      await delivery.settle(graceMs);
      // Close the store before aborting what is still in flight: those sends then cannot record a
      // result now, so they stay 'sending' and the next start marks them unknown (never re-sent).
      await store.close();
      await jelou.destroy();
      opsServer?.close();
    },
  };
}
