/**
 * Builds the running app from its configuration: the store, the Jelou client, delivery, and Bolt
 * in Socket Mode (when an app token is set) or HTTP mode. Only builds, registers and starts.
 */
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { App, webApi } from '@slack/bolt';
import type { Config } from './config.js';
import { AwaitingReplies } from './delivery/awaiting.js';
import { Outbox } from './delivery/outbox.js';
import { DeliveryService } from './delivery/service.js';
import { JelouClient } from './jelou/index.js';
import { JELOU_EVENTS_PATH, jelouEventsEndpoint } from './jelou/webhook.js';
import { BoltPinoLogger, type Logger } from './logging.js';
import { Health, opsRoutes } from './ops/health.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { startOpsServer } from './ops/server.js';
import { registerListeners } from './slack/listeners/index.js';
import { LocaleResolver, slackLocaleLookup } from './slack/locale.js';
import { Notifier } from './slack/notifier.js';
import { createHttpReceiver, createSocketReceiver } from './slack/receiver.js';
import { logRequests } from './slack/request-context.js';
import { webClientOptions } from './slack/web-client.js';
import { StepCompleter, withoutSilentSteps } from './slack/workflow-step.js';
import { openStore } from './store/open.js';
import { startPruning } from './store/pruning.js';

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

export function createRuntime(config: Config, logger: Logger): Runtime {
  const boltLogger = new BoltPinoLogger(logger);
  const clientOptions = () => webClientOptions(config.slack.apiUrl);

  const store = openStore(config.databaseUrl, {
    leaseMs: config.outboxLeaseMs,
    onError: (error) => logger.warn({ err: error }, 'a database connection was lost'),
  });
  const metrics = createMetrics(() => store.backlog());
  const socketReceiver =
    config.slack.mode === 'socket'
      ? createSocketReceiver(config.slack.appToken ?? '', boltLogger, clientOptions)
      : undefined;
  const health = new Health({
    store: () => store.ping(),
    ...(socketReceiver ? { socket: () => socketReceiver.client.websocket?.isActive() === true } : {}),
  });
  const routes = opsRoutes(health, metrics);
  // Jelou's notification URL (issue 15) carries Jelou's shared secret, not Slack's signature. It
  // is built once delivery is, after the receiver: looked up per request.
  let jelouEvents: RequestListener | undefined;
  const otherPosts = (path: string) => (path === JELOU_EVENTS_PATH ? jelouEvents : undefined);
  const receiver =
    socketReceiver ??
    createHttpReceiver({
      signingSecret: config.slack.signingSecret ?? '',
      boltLogger,
      logger,
      routes,
      otherPosts,
      metrics,
      // Replicas share a PostgreSQL store; one process on a SQLite file remembers on its own.
      shared: store.dialect === 'postgres' ? store : undefined,
    });
  const app = new App({
    token: config.slack.botToken,
    receiver,
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
    // The outbox is built next, with this service; sends are recorded only once the app has started.
    wake: () => outbox.kick(),
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
  jelouEvents = config.jelou.webhookSecret
    ? jelouEventsEndpoint({
        secret: config.jelou.webhookSecret,
        onEvents: (events) => awaiting.handle(events),
        logger,
      })
    : undefined;

  let stopPruning: (() => Promise<void>) | undefined;
  let opsServer: Server | undefined;
  let appStarted = false;

  logRequests(app, logger);
  const locales = new LocaleResolver({
    lookup: slackLocaleLookup(lookupClient),
    defaultLocale: config.defaultLocale,
    logger,
  });
  registerListeners(app, {
    config,
    delivery,
    store,
    recipients: jelou,
    locales,
    logger,
    awaiting,
    templates: jelou.templates,
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
        opsServer = await startOpsServer(config.http.healthPort, routes, otherPosts);
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
      stopPruning = startPruning({ store, retentionDays: config.retentionDays, logger });
      return { port, healthPort };
    },
    async stop(graceMs = config.shutdownGraceMs) {
      const deadline = Date.now() + graceMs;
      health.markShuttingDown();
      // No new round from now; the one under way, if any, ends before the store closes.
      const pruned = stopPruning?.();
      // Stop taking requests first, then let sends in flight finish within the grace period.
      if (appStarted) await app.stop();
      // Within the grace: sends in flight, then results still on their way to Slack.
      await outbox.stop(graceMs);
      await awaiting.stop();
      // Close the store before aborting what is still in flight: those sends then cannot record a
      // result now, so they stay 'sending' and the next start marks them unknown (never re-sent).
      // Within what is left of the grace: a long first round must not hold the stop past it.
      if (pruned) {
        const left = new AbortController();
        await Promise.race([
          pruned,
          delay(Math.max(0, deadline - Date.now()), undefined, { signal: left.signal }).catch(() => {}),
        ]);
        left.abort();
      }
      await store.close();
      await jelou.destroy();
      opsServer?.close();
    },
  };
}
