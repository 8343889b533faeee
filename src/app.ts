/**
 * Builds the running app from its configuration: the store, the Jelou client, delivery, and Bolt
 * in Socket Mode (when an app token is set) or HTTP mode. Only builds, registers and starts.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { z } from 'zod';
import type { Config } from './config.js';
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

export type Runtime = Readonly<{
  app: App;
  /** Starts taking requests; in HTTP mode resolves with the port it listens on. */
  start(): Promise<{ port: number | undefined }>;
  stop(): Promise<void>;
}>;

export function createRuntime(config: Config, logger: Logger): Runtime {
  const boltLogger = new BoltPinoLogger(logger);
  const clientOptions = config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {};
  const app =
    config.slack.mode === 'socket'
      ? new App({
          token: config.slack.botToken,
          appToken: config.slack.appToken,
          socketMode: true,
          logger: boltLogger,
          logLevel: boltLogger.getLevel(),
          clientOptions,
          // The socket client takes its Web API options from here (apps.connections.open).
          installerOptions: { clientOptions },
        })
      : new App({
          token: config.slack.botToken,
          signingSecret: config.slack.signingSecret,
          logger: boltLogger,
          logLevel: boltLogger.getLevel(),
          clientOptions,
          // Slack gets its answer the moment a listener calls ack(); the listener then carries on.
          processBeforeResponse: false,
        });

  const store = new SqliteSendStore(config.databaseUrl);
  const jelou = new JelouClient({
    baseUrl: config.jelou.apiUrl,
    botId: config.jelou.botId,
    clientId: config.jelou.clientId,
    clientSecret: config.jelou.clientSecret,
    logger,
  });
  const delivery = new DeliveryService({
    store,
    jelou,
    notifier: new Notifier(app.client, logger.child({ component: 'notifier' })),
    logger,
    dryRun: config.dryRun,
  });

  app.use(async ({ body, next }) => withLogContext(requestContext(body), next));
  registerListeners(app, { config, delivery, recipients: jelou, logger });
  app.error(async (error) => {
    // Bolt wraps listener errors; the original carries the stack worth reading.
    const original = 'original' in error ? error.original : undefined;
    logger.error({ err: original ?? error, code: error.code }, 'a Slack listener failed');
  });

  return {
    app,
    async start() {
      if (config.slack.mode === 'socket') {
        await app.start();
        return { port: undefined };
      }
      const server = (await app.start(config.http.port)) as Server;
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      await app.stop();
      await jelou.close();
      await store.close();
    },
  };
}
