import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, secretsOf } from '../src/config.js';
import { ErrorCode } from '../src/errors.js';

const BOT_TOKEN = 'xoxb-1111-2222-abcdefSECRETbot';
const SIGNING_SECRET = 'signing-secret-0123456789abcdef';
const APP_TOKEN = 'xapp-1-A111-2222-appSECRETtoken';
const CLIENT_SECRET = 'jelou-client-SECRET-value';

const httpEnv = {
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  JELOU_BOT_ID: 'bot-123',
  JELOU_CLIENT_ID: 'client-abc',
  JELOU_CLIENT_SECRET: CLIENT_SECRET,
};

function problemsFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to reject this environment');
}

describe('loadConfig', () => {
  it('reads an HTTP-mode environment with defaults', () => {
    expect(loadConfig(httpEnv)).toEqual({
      slack: {
        botToken: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        appToken: undefined,
        apiUrl: undefined,
        mode: 'http',
      },
      http: { port: 3000, healthPort: 3001 },
      shutdownGraceMs: 10_000,
      outboxLeaseMs: 30_000,
      jelou: {
        apiUrl: 'https://api.jelou.ai',
        botId: 'bot-123',
        clientId: 'client-abc',
        clientSecret: CLIENT_SECRET,
        timeoutMs: 10_000,
        retryWindowMs: 15 * 60_000,
        templates: undefined,
        webhookSecret: undefined,
        awaitReplyMs: 72 * 60 * 60_000,
        pollMs: 30_000,
      },
      defaultCountry: undefined,
      defaultLocale: 'en',
      access: { userIds: undefined, channelIds: undefined },
      dryRun: false,
      databaseUrl: 'file:./data/jelou-card.db',
      retentionDays: 90,
      logLevel: 'info',
    });
  });

  it('reads the allow-lists, dry run and database location', () => {
    const config = loadConfig({
      ...httpEnv,
      ALLOWED_USER_IDS: 'U012AB3CD, W0456 ,,',
      ALLOWED_CHANNEL_IDS: 'C0123ABC',
      JELOU_DRY_RUN: 'true',
      DATABASE_URL: 'file:/var/lib/jelou-card/sends.db',
      RETENTION_DAYS: '30',
    });
    expect(config.retentionDays).toBe(30);
    expect(config.access.userIds).toEqual(new Set(['U012AB3CD', 'W0456']));
    expect(config.access.channelIds).toEqual(new Set(['C0123ABC']));
    expect(config.dryRun).toBe(true);
    expect(config.databaseUrl).toBe('file:/var/lib/jelou-card/sends.db');
  });

  it('reads DEFAULT_LOCALE in any case, and refuses a language the UI does not speak', () => {
    expect(loadConfig({ ...httpEnv, DEFAULT_LOCALE: ' ES ' }).defaultLocale).toBe('es');
    const error = problemsFor({ ...httpEnv, DEFAULT_LOCALE: 'pt-BR' });
    expect(error.problems).toEqual([
      expect.objectContaining({ variable: 'DEFAULT_LOCALE', problem: 'must be one of en, es' }),
    ]);
  });

  it('rejects malformed allow-lists and dry-run values', () => {
    const error = problemsFor({
      ...httpEnv,
      ALLOWED_USER_IDS: 'alice,bob',
      ALLOWED_CHANNEL_IDS: 'U123',
      JELOU_DRY_RUN: 'yes',
    });
    expect(error.problems.map((p) => [p.variable, p.problem])).toEqual([
      ['ALLOWED_USER_IDS', 'must be a comma-separated list of Slack user ids'],
      ['ALLOWED_CHANNEL_IDS', 'must be a comma-separated list of Slack channel ids'],
      ['JELOU_DRY_RUN', 'must be true or false'],
    ]);
  });

  it('switches to Socket Mode when SLACK_APP_TOKEN is set, without needing a signing secret', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...socketEnv } = httpEnv;
    const config = loadConfig({ ...socketEnv, SLACK_APP_TOKEN: APP_TOKEN });
    expect(config.slack.mode).toBe('socket');
    expect(config.slack.appToken).toBe(APP_TOKEN);
    expect(config.slack.signingSecret).toBeUndefined();
  });

  it('coerces and normalises values', () => {
    const config = loadConfig({
      ...httpEnv,
      PORT: '8080',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      JELOU_API_URL: 'http://127.0.0.1:9998/',
      DEFAULT_COUNTRY: ' ec ',
      LOG_LEVEL: 'debug',
    });
    expect(config.http.port).toBe(8080);
    // Slack's WebClient joins method names onto this base, so it needs the trailing slash.
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.jelou.apiUrl).toBe('http://127.0.0.1:9998');
    expect(config.defaultCountry).toBe('EC');
    expect(config.logLevel).toBe('debug');
  });

  it('treats blank values, as in `FOO=` lines of a .env file, as unset', () => {
    const config = loadConfig({ ...httpEnv, SLACK_APP_TOKEN: '', PORT: ' ', DEFAULT_COUNTRY: '' });
    expect(config.slack.mode).toBe('http');
    expect(config.http.port).toBe(3000);
    expect(config.defaultCountry).toBeUndefined();
  });

  it('reads OUTBOX_LEASE_SECONDS, and refuses a lease outside 1–300 seconds', () => {
    expect(loadConfig({ ...httpEnv, OUTBOX_LEASE_SECONDS: '2.5' }).outboxLeaseMs).toBe(2_500);
    for (const bad of ['0', '301', 'soon']) {
      expect(problemsFor({ ...httpEnv, OUTBOX_LEASE_SECONDS: bad }).problems).toEqual([
        expect.objectContaining({
          variable: 'OUTBOX_LEASE_SECONDS',
          problem: 'must be a number of seconds between 1 and 300',
        }),
      ]);
    }
  });

  it('reads the template settings, and refuses a short webhook secret or a wait of no time', () => {
    const config = loadConfig({
      ...httpEnv,
      JELOU_TEMPLATES: ' card_follow_up, hello_again ,',
      JELOU_WEBHOOK_SECRET: '0123456789abcdef0123',
      AWAIT_REPLY_HOURS: '0.5',
      JELOU_POLL_SECONDS: '5',
    });
    expect(config.jelou).toMatchObject({
      templates: new Set(['card_follow_up', 'hello_again']),
      webhookSecret: '0123456789abcdef0123',
      awaitReplyMs: 30 * 60_000,
      pollMs: 5_000,
    });
    expect(secretsOf(config)).toContain('0123456789abcdef0123');
    expect(
      problemsFor({ ...httpEnv, JELOU_WEBHOOK_SECRET: 'short', AWAIT_REPLY_HOURS: '0' }).problems,
    ).toEqual([
      expect.objectContaining({ variable: 'JELOU_WEBHOOK_SECRET' }),
      expect.objectContaining({ variable: 'AWAIT_REPLY_HOURS' }),
    ]);
  });

  it('lists every problem at once, with what each variable is for', () => {
    const error = problemsFor({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      DEFAULT_COUNTRY: 'XX',
      RETENTION_DAYS: '0',
    });
    expect(error.code).toBe(ErrorCode.ConfigInvalid);
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'DEFAULT_COUNTRY',
      'JELOU_BOT_ID',
      'JELOU_CLIENT_ID',
      'JELOU_CLIENT_SECRET',
      'LOG_LEVEL',
      'PORT',
      'RETENTION_DAYS',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
    ]);
    for (const problem of error.problems) {
      expect(problem.purpose.length, problem.variable).toBeGreaterThan(10);
      expect(error.message).toContain(problem.variable);
      expect(error.message).toContain(problem.purpose);
    }
    expect(error.message).toMatch(/9 problems/);
    expect(error.message).toMatch(/PORT\s+must be a whole number between 0 and 65535/);
    expect(error.message).toMatch(/SLACK_BOT_TOKEN\s+is missing/);
  });

  it('never prints the value of a secret, even a malformed one', () => {
    const leakyValues = {
      SLACK_BOT_TOKEN: 'xoxp-user-token-LEAK1',
      SLACK_APP_TOKEN: 'not-an-app-token-LEAK2',
      SLACK_SIGNING_SECRET: 'LEAK3-signing',
      JELOU_CLIENT_SECRET: 'LEAK4-secret',
      JELOU_API_URL: 'ftp://LEAK5@example.com',
    };
    const error = problemsFor({ ...httpEnv, ...leakyValues });
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'JELOU_API_URL',
      'SLACK_APP_TOKEN',
      'SLACK_BOT_TOKEN',
    ]);
    expect(error.message).not.toMatch(/LEAK/);
    expect(JSON.stringify(error.problems)).not.toMatch(/LEAK/);
  });

  it('rejects an app token of the wrong kind and a bad URL', () => {
    const error = problemsFor({ ...httpEnv, SLACK_APP_TOKEN: 'xoxb-wrong', SLACK_API_URL: 'slack.com/api' });
    expect(error.problems).toEqual([
      expect.objectContaining({
        variable: 'SLACK_APP_TOKEN',
        problem: 'must be an app-level token starting with xapp-',
      }),
      expect.objectContaining({ variable: 'SLACK_API_URL', problem: expect.stringMatching(/http\(s\) URL/) }),
    ]);
  });

  it('collects the secrets the logger must scrub', () => {
    expect(secretsOf(loadConfig({ ...httpEnv, SLACK_APP_TOKEN: APP_TOKEN })).sort()).toEqual(
      [BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, CLIENT_SECRET].sort(),
    );
  });
});

describe('.env.example', () => {
  const lines = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');

  it('lists every variable the app reads, each under a comment that explains it', () => {
    const assignments = lines
      .map((line, index) => ({ name: /^([A-Z_]+)=/.exec(line)?.[1], above: lines[index - 1] ?? '' }))
      .filter((entry): entry is { name: string; above: string } => entry.name !== undefined);
    expect(assignments.map((a) => a.name).sort()).toEqual([...CONFIG_VARIABLES].sort());
    for (const { name, above } of assignments) expect(above, name).toMatch(/^# \S/);
  });

  it("loads through Node's own .env parser (node --env-file) once the blanks are filled", () => {
    const filled = lines
      .map((line) => (/^[A-Z_]+=$/.test(line) ? `${line}${fillFor(line.slice(0, -1))}` : line))
      .join('\n');
    const config = loadConfig(parseEnv(filled));
    expect(config.slack.mode).toBe('http');
    expect(config.jelou.apiUrl).toBe('https://api.jelou.ai');
    expect(config.logLevel).toBe('info');
  });
});

function fillFor(variable: string): string {
  const values: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    JELOU_BOT_ID: 'bot-1',
    JELOU_CLIENT_ID: 'client-1',
    JELOU_CLIENT_SECRET: CLIENT_SECRET,
  };
  return values[variable] ?? '';
}
