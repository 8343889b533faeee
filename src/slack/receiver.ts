/**
 * How Slack's requests reach the app: a socket to Slack (Socket Mode, when an app token is set) or
 * Slack's HTTP requests, each checked by the request guard (signature, age, replays) and timed to
 * its acknowledgement before Bolt sees it.
 */
import type { RequestListener } from 'node:http';
import { type Logger as BoltLogger, HTTPReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { Logger } from '../logging.js';
import { timeAcks } from '../ops/ack-timer.js';
import type { OpsRoute } from '../ops/health.js';
import type { Metrics } from '../ops/metrics.js';
import { type GuardOptions, guardSlackRequests } from './replay-guard.js';

/** Slack's largest payloads (a full view submission) are far below this; more is not Slack. */
const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** The Web API client options every client of the app uses, fresh each call (see app.ts). */
export type ClientOptions = () => webApi.WebClientOptions;

/** The Socket Mode receiver, with its own copy of the client options for apps.connections.open. */
export function createSocketReceiver(
  appToken: string,
  boltLogger: BoltLogger,
  clientOptions: ClientOptions,
): SocketModeReceiver {
  return new SocketModeReceiver({
    appToken,
    logger: boltLogger,
    logLevel: boltLogger.getLevel(),
    // The socket client's own copy (apps.connections.open at SLACK_API_URL); retryConfig is
    // left unset so it keeps its own persistent policy for reconnecting.
    installerOptions: { clientOptions: { ...clientOptions(), retryConfig: undefined } },
  });
}

export type HttpReceiverOptions = Readonly<{
  signingSecret: string;
  boltLogger: BoltLogger;
  logger: Logger;
  /** Served beside Slack's requests (health, readiness, metrics). */
  routes: readonly OpsRoute[];
  /**
   * POST routes that are not Slack's (Jelou's notification URL), each authenticating its own
   * callers; looked up per request, since they may be built after the receiver.
   */
  otherPosts?: (path: string) => RequestListener | undefined;
  metrics: Pick<Metrics, 'ackSeconds'>;
  /** Replicas share a PostgreSQL store's memory of signatures; one process remembers on its own. */
  shared: GuardOptions['shared'];
}>;

/** The HTTP receiver, every Slack request guarded and timed before Bolt sees it. */
export function createHttpReceiver(options: HttpReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    logger: options.boltLogger,
    logLevel: options.boltLogger.getLevel(),
    // Slack gets its answer the moment a listener calls ack(); the listener then carries on.
    processBeforeResponse: false,
    customRoutes: options.routes.map(({ path, handler }) => ({ path, method: ['GET'], handler })),
    bodyLimit: SLACK_BODY_LIMIT_BYTES,
    // The guard below verifies every POST before Bolt sees it; twice was waste.
    signatureVerification: false,
  });
  const guarded = guardSlackRequests(receiver.requestListener, {
    signingSecret: options.signingSecret,
    bodyLimit: SLACK_BODY_LIMIT_BYTES,
    logger: options.logger,
    shared: options.shared,
  });
  const timed = timeAcks(guarded, options.metrics);
  receiver.requestListener = (request, response) => {
    const path = request.method === 'POST' ? request.url?.split('?')[0] : undefined;
    const other = path === undefined ? undefined : options.otherPosts?.(path);
    if (other) return other(request, response);
    timed(request, response);
  };
  return receiver;
}
