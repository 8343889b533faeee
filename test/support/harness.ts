/**
 * The real app in HTTP mode, wired to a loopback Slack Web API and a loopback Jelou, with a real
 * SQLite file and every log line captured. End-to-end tests talk to it only through signed HTTP
 * requests, as Slack would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRuntime, type Runtime } from '../../src/app.js';
import { type Config, loadConfig, secretsOf } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { type JelouStandIn, startJelouStandIn } from './jelou-standin.js';
import { type SlackDriver, slackDriver } from './slack-driver.js';
import { type SlackStandIn, startSlackStandIn } from './slack-standin.js';

export const SECRETS = {
  botToken: 'xoxb-0000000000-1111111111-harnessBotTokenValue',
  signingSecret: 'harness-signing-secret-8f1c2e9a77b4',
  clientSecret: 'harness-jelou-client-secret-5d3e',
  /** JELOU_WEBHOOK_SECRET, for the tests that set it. */
  webhookSecret: 'harness-jelou-webhook-secret-7c41a9e2',
} as const;

/** Every value that must never reach a log line, including the Basic credential sent to Jelou. */
export function forbiddenInLogs(): string[] {
  return [
    ...Object.values(SECRETS),
    Buffer.from(`${JELOU_CLIENT_ID}:${SECRETS.clientSecret}`).toString('base64'),
  ];
}

/** The log lines that leak a secret (each shown cut short). */
export function secretLeaks(lines: readonly string[]): string[] {
  const forbidden = forbiddenInLogs();
  return lines
    .filter((line) => forbidden.some((secret) => line.includes(secret)))
    .map((line) => line.slice(0, 200));
}

export const JELOU_BOT = 'bot-e2e';
export const JELOU_CLIENT_ID = 'client-e2e';

export type Harness = SlackDriver &
  Readonly<{
    slack: SlackStandIn;
    jelou: JelouStandIn;
    config: Config;
    /** `POST /slack/events` of the running app. */
    eventsUrl: string;
    /** `POST /jelou/events` of the running app: its notification URL in Jelou. */
    jelouEventsUrl: string;
    logLines: readonly string[];
    stop(): Promise<void>;
  }>;

/** The environment of an app wired to the stand-ins, with its SQLite file at `databaseFile`. */
export function standInEnv(
  slack: SlackStandIn,
  jelou: JelouStandIn,
  databaseFile: string,
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: SECRETS.botToken,
    SLACK_SIGNING_SECRET: SECRETS.signingSecret,
    PORT: '0',
    SLACK_API_URL: slack.apiUrl,
    JELOU_API_URL: jelou.url,
    JELOU_BOT_ID: JELOU_BOT,
    JELOU_CLIENT_ID: JELOU_CLIENT_ID,
    JELOU_CLIENT_SECRET: SECRETS.clientSecret,
    DEFAULT_COUNTRY: 'EC',
    DATABASE_URL: `file:${databaseFile}`,
    // Waiting out an outage takes minutes; tests of it set their own window. The rest see what
    // the end of the window does: the send fails, with Retry.
    JELOU_RETRY_WINDOW_MINUTES: '0',
    LOG_LEVEL: 'trace',
  };
}

/** Loopback Slack and Jelou stand-ins, Jelou checking this app's credentials and bot. */
export async function startStandIns(): Promise<{ slack: SlackStandIn; jelou: JelouStandIn }> {
  const slack = await startSlackStandIn();
  const jelou = await startJelouStandIn({
    botId: JELOU_BOT,
    clientId: JELOU_CLIENT_ID,
    clientSecret: SECRETS.clientSecret,
  });
  return { slack, jelou };
}

/** Starts stand-ins and the app; `env` adds or overrides environment variables. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const { slack, jelou } = await startStandIns();
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-e2e-'));
  const config = loadConfig({ ...standInEnv(slack, jelou, join(dir, 'sends.db')), ...env });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config), destination });
  const runtime: Runtime = createRuntime(config, logger);
  const { port } = await runtime.start();
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  let stopped = false;

  return {
    ...slackDriver(eventsUrl, SECRETS.signingSecret, slack),
    slack,
    jelou,
    config,
    eventsUrl,
    jelouEventsUrl: `http://127.0.0.1:${port}/jelou/events`,
    logLines,
    async stop() {
      // Idempotent: a test's afterEach may meet a harness an earlier test already stopped.
      if (stopped) return;
      stopped = true;
      await runtime.stop();
      // Every end-to-end test runs at LOG_LEVEL=trace: none of its lines may carry a secret.
      const leaks = secretLeaks(logLines);
      if (leaks.length > 0) throw new Error(`secrets reached the logs:\n${leaks.join('\n')}`);
      await Promise.all([slack.close(), jelou.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
