/**
 * Liveness and readiness. Alive means the process answers; ready means it can do its job: the
 * store answers, Slack accepted the bot token at start, the socket is connected (Socket Mode),
 * and it is not shutting down (so a load balancer stops sending it work first).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

export type ReadinessChecks = Readonly<{
  store: () => Promise<void>;
  /** Socket Mode only: whether the socket to Slack is open. */
  socket?: () => boolean;
}>;

export type Readiness = Readonly<{ ready: boolean; checks: Readonly<Record<string, boolean>> }>;

export class Health {
  #authChecked = false;
  #shuttingDown = false;

  constructor(private readonly checks: ReadinessChecks) {}

  /** Slack answered auth.test for the bot token. */
  markAuthChecked(): void {
    this.#authChecked = true;
  }

  /** From now on the app reports not ready, while it finishes what it has. */
  markShuttingDown(): void {
    this.#shuttingDown = true;
  }

  async readiness(): Promise<Readiness> {
    let store = true;
    try {
      await this.checks.store();
    } catch {
      store = false;
    }
    const checks: Record<string, boolean> = {
      store,
      slackAuth: this.#authChecked,
      accepting: !this.#shuttingDown,
    };
    if (this.checks.socket) checks.socket = this.checks.socket();
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}

export type OpsRoute = Readonly<{
  path: string;
  handler: (request: IncomingMessage, response: ServerResponse) => void;
}>;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** GET /healthz, /readyz and /metrics, for Bolt's custom routes or the Socket Mode health server. */
export function opsRoutes(health: Health, metrics: Metrics): OpsRoute[] {
  return [
    { path: '/healthz', handler: (_request, response) => json(response, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      handler: (_request, response) => {
        void health.readiness().then((readiness) => json(response, readiness.ready ? 200 : 503, readiness));
      },
    },
    {
      path: '/metrics',
      handler: (_request, response) => {
        void metrics.registry.metrics().then((text) => {
          response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
        });
      },
    },
  ];
}
