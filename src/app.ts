/**
 * Builds the running app from its configuration: the store, the Jelou client, delivery, and Bolt
 * in Socket Mode (when an app token is set) or HTTP mode. Only builds, registers and starts.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CodedError as BoltError } from '@slack/bolt';
import { z } from 'zod';
import type { Config } from './config.js';
import { Outbox } from './delivery/outbox.js';
import { DeliveryService } from './delivery/service.js';
import { JelouClient } from './jelou/index.js';
import { BoltPinoLogger, type Logger, withLogContext } from './logging.js';
import { registerListeners } from './slack/listeners/index.js';
import { Notifier } from './slack/notifier.js';
import { SqliteSendStore } from './store/sqlite.js';

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
const PRUNE_EVERY_MS = 6 * 60 * 60 * 1000;

/** How long a stop waits for sends in flight; under a typical orchestrator's 30 s before SIGKILL. */
export const SHUTDOWN_GRACE_MS = 10_000;

export type Runtime = Readonly<{
  app: App;
  /** Starts taking requests and delivering; in HTTP mode resolves with the port it listens on. */
  start(): Promise<{ port: number | undefined }>;
  /** Takes no new work, waits up to `graceMs` for sends in flight, then closes everything. */
  stop(graceMs?: number): Promise<void>;
}>;

/**
 * Web API calls give up after a few retries within seconds. Bolt's default (10 retries over about
 * 30 minutes) would hold a listener, or a card's notification, for half an hour during an outage.
 */
const SLACK_RETRY = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 } as const;
const SLACK_TIMEOUT_MS = 10_000;

export function createRuntime(config: Config, logger: Logger): Runtime {
  const boltLogger = new BoltPinoLogger(logger);
  // Fresh objects each time: Bolt and the socket client both write into the options they are given
  // (the socket client sets 100 retries for reconnecting), which must not reach listeners' clients.
  const clientOptions = () => ({
    retryConfig: { ...SLACK_RETRY },
    timeout: SLACK_TIMEOUT_MS,
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
  });
  const app =
    config.slack.mode === 'socket'
      ? new App({
          token: config.slack.botToken,
          appToken: config.slack.appToken,
          socketMode: true,
          logger: boltLogger,
          // Passing the level Bolt would otherwise force (INFO) keeps the app's own choice.
          logLevel: boltLogger.getLevel(),
          clientOptions: clientOptions(),
          // The socket client's own copy (apps.connections.open at SLACK_API_URL); retryConfig is
          // left unset so it keeps its own persistent policy for reconnecting.
          installerOptions: { clientOptions: { ...clientOptions(), retryConfig: undefined } },
          extendedErrorHandler: true,
        })
      : new App({
          token: config.slack.botToken,
          signingSecret: config.slack.signingSecret,
          logger: boltLogger,
          logLevel: boltLogger.getLevel(),
          clientOptions: clientOptions(),
          // Slack gets its answer the moment a listener calls ack(); the listener then carries on.
          processBeforeResponse: false,
          extendedErrorHandler: true,
        });

  const store = new SqliteSendStore(config.databaseUrl);
  const jelou = new JelouClient({
    baseUrl: config.jelou.apiUrl,
    botId: config.jelou.botId,
    clientId: config.jelou.clientId,
    clientSecret: config.jelou.clientSecret,
    logger,
  });
  const notifier = new Notifier(app.client, logger.child({ component: 'notifier' }));
  const delivery = new DeliveryService({ store, jelou, notifier, logger, dryRun: config.dryRun });
  const outbox = new Outbox({ store, delivery, notifier, logger });

  const prune = async () => {
    const removed = await store.deleteOlderThan(new Date(Date.now() - config.retentionDays * DAY_MS));
    if (removed > 0) logger.info({ removed, retentionDays: config.retentionDays }, 'removed old sends');
  };
  let pruning: NodeJS.Timeout | undefined;

  app.use(async ({ body, next }) => withLogContext(requestContext(body), next));
  registerListeners(app, { config, delivery, outbox, store, recipients: jelou, logger });
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
    async start() {
      let port: number | undefined;
      if (config.slack.mode === 'socket') {
        await app.start();
      } else {
        // Bolt types start()'s result loosely; the HTTP receiver resolves with its node:http server.
        const server = (await app.start(config.http.port)) as Server;
        port = (server.address() as AddressInfo).port;
      }
      // After Bolt: recovery updates notifications of sends a crash interrupted.
      await outbox.start();
      await prune();
      pruning = setInterval(
        () => void prune().catch((error: unknown) => logger.error({ err: error }, 'pruning failed')),
        PRUNE_EVERY_MS,
      );
      pruning.unref();
      return { port };
    },
    async stop(graceMs = SHUTDOWN_GRACE_MS) {
      clearInterval(pruning);
      // Stop taking requests first, then let sends in flight finish within the grace period.
      await app.stop();
      await outbox.stop(graceMs);
      await jelou.close();
      await store.close();
    },
  };
}
