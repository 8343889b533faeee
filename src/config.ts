/**
 * The app's whole configuration: one zod schema over the environment, parsed once at start by
 * `loadConfig` and passed down from there. Nothing else in the app reads `process.env`.
 */
import { type CountryCode, isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { CodedError, ErrorCode, LOCALES, type Locale } from './errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const text = () => z.string({ error: 'is missing' }).trim().min(1, { error: 'is missing' });

const httpUrl = () =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.jelou.ai' })
    .transform((url) => url.replace(/\/+$/, ''));

/** A comma-separated list of Slack ids, e.g. `U012AB3CD,W0123`; blanks between commas are ignored. */
const idList = (kind: 'U' | 'C') =>
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().regex(kind === 'U' ? /^[UW][A-Z0-9]{2,}$/ : /^[CGD][A-Z0-9]{2,}$/, {
          error: `must be a comma-separated list of Slack ${kind === 'U' ? 'user' : 'channel'} ids`,
        }),
      ),
    );

/**
 * Each variable with what it is for. `.describe()` feeds the start-up error message, so a deployer
 * who gets one thing wrong learns what every variable in the message means.
 */
const envSchema = z.object({
  SLACK_BOT_TOKEN: text()
    .startsWith('xoxb-', { error: 'must be a bot token starting with xoxb-' })
    .describe('Bot token from the Slack app\'s "OAuth & Permissions" page.'),
  SLACK_SIGNING_SECRET: text()
    .optional()
    .describe('Signing secret from the Slack app\'s "Basic Information" page (required in HTTP mode).'),
  SLACK_APP_TOKEN: text()
    .startsWith('xapp-', { error: 'must be an app-level token starting with xapp-' })
    .optional()
    .describe('App-level token with connections:write; when set, the app runs in Socket Mode.'),
  PORT: z.coerce
    .number({ error: 'must be a whole number between 0 and 65535' })
    .int({ error: 'must be a whole number between 0 and 65535' })
    .min(0, { error: 'must be a whole number between 0 and 65535' })
    .max(65535, { error: 'must be a whole number between 0 and 65535' })
    .default(3000)
    .describe('HTTP port for Slack requests in HTTP mode (default 3000; 0 picks a free port).'),
  HEALTH_PORT: z.coerce
    .number({ error: 'must be a whole number between 0 and 65535' })
    .int({ error: 'must be a whole number between 0 and 65535' })
    .min(0, { error: 'must be a whole number between 0 and 65535' })
    .max(65535, { error: 'must be a whole number between 0 and 65535' })
    .default(3001)
    .describe(
      'Socket Mode only: port of /healthz, /readyz and /metrics (default 3001; HTTP mode serves them on PORT).',
    ),
  SHUTDOWN_GRACE_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds between 0 and 300' })
    .min(0, { error: 'must be a number of seconds between 0 and 300' })
    .max(300, { error: 'must be a number of seconds between 0 and 300' })
    .default(10)
    .describe('On SIGTERM, how long cards being sent may take to finish before the app exits (default 10).'),
  SLACK_API_URL: httpUrl()
    .optional()
    .describe(
      "Base URL of Slack's Web API, only to point the app elsewhere (e.g. GovSlack or a test stand-in).",
    ),
  JELOU_API_URL: httpUrl().default('https://api.jelou.ai').describe('Base URL of the Jelou API.'),
  JELOU_TIMEOUT_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds between 1 and 60' })
    .min(1, { error: 'must be a number of seconds between 1 and 60' })
    .max(60, { error: 'must be a number of seconds between 1 and 60' })
    .default(10)
    .describe(
      'Seconds to wait for Jelou to answer a send before saying it may or may not have arrived (default 10).',
    ),
  JELOU_RETRY_WINDOW_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes between 0 and 1440' })
    .min(0, { error: 'must be a number of minutes between 0 and 1440' })
    .max(1440, { error: 'must be a number of minutes between 0 and 1440' })
    .default(15)
    .describe(
      'Minutes a card keeps being tried while Jelou certainly does not take it (down, unreachable, 429), before it fails with Retry (default 15; 0 fails at once).',
    ),
  OUTBOX_LEASE_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds between 1 and 300' })
    .min(1, { error: 'must be a number of seconds between 1 and 300' })
    .max(300, { error: 'must be a number of seconds between 1 and 300' })
    .default(30)
    .describe(
      'Seconds a replica holds a card it is sending before another may settle it as cut off (renewed every third of it; default 30).',
    ),
  JELOU_TEMPLATES: z
    .string()
    .transform((names) =>
      names
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .optional()
    .describe(
      "Comma-separated template names (Jelou's elementName) staff may send ahead of a card when the customer's 24-hour window is closed; unset offers every approved template of the bot (each costs money).",
    ),
  JELOU_WEBHOOK_SECRET: z
    .string()
    .trim()
    .min(16, { error: 'must be at least 16 characters (a long random value, e.g. openssl rand -hex 32)' })
    .optional()
    .describe(
      "Shared secret Jelou's notification URL sends as a Bearer token (or an x-api-key header) to POST /jelou/events; unset turns that endpoint off (replies and receipts are then polled).",
    ),
  AWAIT_REPLY_HOURS: z.coerce
    .number({ error: 'must be a number of hours above 0, at most 720' })
    .gt(0, { error: 'must be a number of hours above 0, at most 720' })
    .max(720, { error: 'must be a number of hours above 0, at most 720' })
    .default(72)
    .describe(
      'Hours a card waits for the customer to answer its template before it fails with Retry (default 72).',
    ),
  JELOU_POLL_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds between 1 and 3600' })
    .min(1, { error: 'must be a number of seconds between 1 and 3600' })
    .max(3600, { error: 'must be a number of seconds between 1 and 3600' })
    .default(30)
    .describe(
      "Seconds between looks at the bot's history for customers a card awaits, and at receipts of recent cards (default 30; doubles while Jelou answers 429).",
    ),
  JELOU_BOT_ID: text().describe('Id of the Jelou bot that sends the WhatsApp messages.'),
  JELOU_CLIENT_ID: text().describe('Jelou API client id (issued by Jelou).'),
  JELOU_CLIENT_SECRET: text().describe('Jelou API client secret (issued by Jelou).'),
  DEFAULT_COUNTRY: z
    .string()
    .trim()
    .toUpperCase()
    .refine((code) => isSupportedCountry(code), {
      error: 'must be an ISO 3166-1 alpha-2 country code with a phone numbering plan, e.g. EC, MX, US',
    })
    .transform((code) => code as CountryCode)
    .optional()
    .describe('ISO country code (e.g. EC) for phone numbers typed without +; unset means + is required.'),
  DEFAULT_LOCALE: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` }))
    .default('en')
    .describe(
      'Language (en or es) for people whose Slack language the app does not speak or cannot read in time (default en).',
    ),
  ALLOWED_USER_IDS: idList('U')
    .optional()
    .describe(
      'Comma-separated Slack user ids allowed to send cards (e.g. U012AB3CD); unset allows everyone.',
    ),
  ALLOWED_CHANNEL_IDS: idList('C')
    .optional()
    .describe('Comma-separated Slack channel ids where cards may be sent from; unset allows every channel.'),
  JELOU_DRY_RUN: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1')
    .describe('When true, everything happens except the request to Jelou; notifications say so.'),
  DATABASE_URL: z
    .string()
    .trim()
    .default('file:./data/jelou-card.db')
    .describe(
      'Where every send is recorded: a SQLite file (default file:./data/jelou-card.db; its folder is created) for one replica, or postgres://… for several sharing one PostgreSQL database.',
    ),
  RETENTION_DAYS: z.coerce
    .number({ error: 'must be a whole number of days, at least 1' })
    .int({ error: 'must be a whole number of days, at least 1' })
    .min(1, { error: 'must be a whole number of days, at least 1' })
    .default(90)
    .describe(
      "Days a finished send is kept (it holds customers' personal data) before it is deleted (default 90).",
    ),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info')
    .describe('Log level (default info).'),
});

/** Names of every environment variable the app reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Config = Readonly<{
  slack: Readonly<{
    botToken: string;
    /** Absent only in Socket Mode, where Slack does not sign requests over the socket. */
    signingSecret: string | undefined;
    appToken: string | undefined;
    /** With a trailing slash, as Slack's WebClient expects. */
    apiUrl: string | undefined;
    mode: 'socket' | 'http';
  }>;
  http: Readonly<{ port: number; healthPort: number }>;
  shutdownGraceMs: number;
  /** How long a claim holds a send; renewed, and swept for expired ones, every third of it. */
  outboxLeaseMs: number;
  jelou: Readonly<{
    apiUrl: string;
    botId: string;
    clientId: string;
    clientSecret: string;
    timeoutMs: number;
    /** How long a send Jelou certainly did not take keeps being tried, from its first failure. */
    retryWindowMs: number;
    /** The templates staff may send; `undefined`: every approved one. */
    templates: ReadonlySet<string> | undefined;
    /** The notification URL's shared secret; `undefined` turns POST /jelou/events off. */
    webhookSecret: string | undefined;
    /** How long a card waits for the customer's answer to its template. */
    awaitReplyMs: number;
    /** Between polls of history (awaited customers) and notifications (receipts). */
    pollMs: number;
  }>;
  defaultCountry: CountryCode | undefined;
  /** The UI language when a person's own is not one the app speaks, or is not known in time. */
  defaultLocale: Locale;
  access: Readonly<{
    /** `undefined` means everyone may send. */
    userIds: ReadonlySet<string> | undefined;
    channelIds: ReadonlySet<string> | undefined;
  }>;
  dryRun: boolean;
  databaseUrl: string;
  retentionDays: number;
  logLevel: LogLevelName;
}>;

export type ConfigProblem = Readonly<{ variable: string; problem: string; purpose: string }>;

export class ConfigError extends CodedError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(ErrorCode.ConfigInvalid, formatProblems(problems));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type EnvKey = keyof typeof envSchema.shape;

function purposeOf(variable: string): string {
  return variable in envSchema.shape ? (envSchema.shape[variable as EnvKey].description ?? '') : '';
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const width = Math.max(...problems.map((p) => p.variable.length));
  const lines = problems.map((p) => `  ${p.variable.padEnd(width)}  ${p.problem}. ${p.purpose}`);
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [
    `jelou-card cannot start: its configuration has ${count}.`,
    ...lines,
    'Set these in the environment or in .env (see .env.example and README.md, "Install it for your workspace").',
    'No Slack or Jelou account yet? `npm run demo` runs the whole flow locally against stand-ins.',
  ].join('\n');
}

/** Empty strings (`FOO=` in a .env file) mean "not set", as deployers expect. */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') result[key] = value;
  }
  return result;
}

/**
 * Parses the environment once. Throws ConfigError listing every problem; the message names
 * variables and what they are for but never echoes a value, since several of them are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const present = withoutBlanks(env);
  const result = envSchema.safeParse(present);
  const problems: ConfigProblem[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? 'environment');
      // A list variable reports each bad item; the person needs to read it once.
      if (problems.some((p) => p.variable === variable && p.problem === issue.message)) continue;
      problems.push({ variable, problem: issue.message, purpose: purposeOf(variable) });
    }
  }
  if (present.SLACK_APP_TOKEN === undefined && present.SLACK_SIGNING_SECRET === undefined) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      problem: 'is missing (HTTP mode needs it; set SLACK_APP_TOKEN instead for Socket Mode)',
      purpose: purposeOf('SLACK_SIGNING_SECRET'),
    });
  }
  const parsed = result.success ? result.data : undefined;
  if (problems.length > 0 || !parsed) throw new ConfigError(problems);

  return {
    slack: {
      botToken: parsed.SLACK_BOT_TOKEN,
      signingSecret: parsed.SLACK_SIGNING_SECRET,
      appToken: parsed.SLACK_APP_TOKEN,
      apiUrl: parsed.SLACK_API_URL === undefined ? undefined : `${parsed.SLACK_API_URL}/`,
      mode: parsed.SLACK_APP_TOKEN === undefined ? 'http' : 'socket',
    },
    http: { port: parsed.PORT, healthPort: parsed.HEALTH_PORT },
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_SECONDS * 1000,
    outboxLeaseMs: parsed.OUTBOX_LEASE_SECONDS * 1000,
    jelou: {
      apiUrl: parsed.JELOU_API_URL,
      botId: parsed.JELOU_BOT_ID,
      clientId: parsed.JELOU_CLIENT_ID,
      clientSecret: parsed.JELOU_CLIENT_SECRET,
      timeoutMs: parsed.JELOU_TIMEOUT_SECONDS * 1000,
      retryWindowMs: parsed.JELOU_RETRY_WINDOW_MINUTES * 60_000,
      templates: parsed.JELOU_TEMPLATES?.length ? new Set(parsed.JELOU_TEMPLATES) : undefined,
      webhookSecret: parsed.JELOU_WEBHOOK_SECRET,
      awaitReplyMs: Math.round(parsed.AWAIT_REPLY_HOURS * 3_600_000),
      pollMs: parsed.JELOU_POLL_SECONDS * 1000,
    },
    defaultCountry: parsed.DEFAULT_COUNTRY,
    defaultLocale: parsed.DEFAULT_LOCALE,
    access: {
      userIds: parsed.ALLOWED_USER_IDS ? new Set(parsed.ALLOWED_USER_IDS) : undefined,
      channelIds: parsed.ALLOWED_CHANNEL_IDS ? new Set(parsed.ALLOWED_CHANNEL_IDS) : undefined,
    },
    dryRun: parsed.JELOU_DRY_RUN,
    databaseUrl: parsed.DATABASE_URL,
    retentionDays: parsed.RETENTION_DAYS,
    logLevel: parsed.LOG_LEVEL,
  };
}

/** Every secret value in the config, so the logger can scrub them from any line. */
export function secretsOf(config: Config): string[] {
  const { botToken, signingSecret, appToken } = config.slack;
  return [botToken, signingSecret, appToken, config.jelou.clientSecret, config.jelou.webhookSecret].filter(
    (value): value is string => value !== undefined,
  );
}
