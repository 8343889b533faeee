/**
 * Logging: pino JSON lines with the current request's context on every line, and two layers of
 * protection for secrets: path-based `redact` for the fields we know, and a value scrubber for
 * secrets that end up somewhere unexpected (an error message, a URL, a Bolt debug dump).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Fields added to every line logged while handling one request (one Slack event, one send). */
export type LogContext = Readonly<Record<string, string | number | boolean | undefined>>;

const contextStorage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to every log line written inside it, across awaits. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  const outer = contextStorage.getStore();
  return contextStorage.run(outer ? { ...outer, ...context } : context, fn);
}

const REDACTED = '[redacted]';

/** Field paths that hold secrets wherever they appear in a logged object. */
const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'clientSecret',
  'signingSecret',
  'password',
  'authorization',
  'Authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.clientSecret',
  '*.signingSecret',
  '*.password',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers["x-slack-signature"]',
];

/**
 * Token shapes that must never reach a log whatever field they hide in: Slack tokens, Slack
 * request signatures, and HTTP Basic/Bearer credentials (the scheme is kept, it helps debugging).
 */
const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g, REDACTED],
  [/\bv0=[0-9a-f]{64}\b/g, REDACTED],
  [/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{8,}/gi, `$1 ${REDACTED}`],
];

const MAX_SCRUB_DEPTH = 8;

/** Replaces secrets in a string: exact known values first, then the generic token shapes. */
function scrubString(value: string, secrets: readonly string[]): string {
  let result = value;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** Deep copy with every string scrubbed; depth-bounded so a cyclic or huge object cannot stall logging. */
function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_SCRUB_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  if (value instanceof Error) return scrubValue(pino.stdSerializers.err(value), secrets, depth + 1);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = scrubValue(item, secrets, depth + 1);
  return copy;
}

export type LoggerOptions = Readonly<{
  level: Level | 'silent';
  /** Exact secret values (tokens, client secret) to scrub from every line. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}>;

/** The root logger. Create one at start and pass it (or its children) down. */
export function createLogger(options: LoggerOptions): Logger {
  // Short values could collide with ordinary words and blank the logs; real secrets are long.
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
  return pino(
    {
      name: 'jelou-card',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      mixin: () => ({ ...contextStorage.getStore() }),
      serializers: {
        err: (error: unknown) =>
          scrubValue(error instanceof Error ? pino.stdSerializers.err(error) : error, secrets),
      },
      formatters: {
        log: (object) => scrubValue(object, secrets) as Record<string, unknown>,
      },
      hooks: {
        // The message string is not passed through `formatters.log`, so scrub it here.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubString(arg, secrets) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/**
 * Bolt's and the Web API client's debug lines dump whole payloads (customers' names and phone
 * numbers typed into the form), so they are written at pino's `trace`: LOG_LEVEL=debug stays free
 * of personal data, and trace is the documented level that may hold it.
 */
const BOLT_TO_PINO: Record<LogLevel, Level> = {
  [LogLevel.DEBUG]: 'trace',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

function pinoToBolt(level: string): LogLevel {
  switch (level) {
    case 'trace':
      return LogLevel.DEBUG;
    case 'debug':
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}

/**
 * Bolt's `Logger` over pino. Bolt and the Web API client log like the console (`error(msg, err)`,
 * several strings, objects); pino wants `(object, message)`. Errors go to `err` so their stack is
 * kept; other objects go to `details`; strings become the message.
 */
export class BoltPinoLogger implements BoltLogger {
  private readonly parent: Logger;
  private logger: Logger;

  constructor(parent: Logger, name = 'bolt') {
    this.parent = parent;
    // A child of its own, so Bolt's setLevel() cannot change the app's level.
    this.logger = parent.child({ component: name });
  }

  debug(...message: unknown[]): void {
    this.write(BOLT_TO_PINO[LogLevel.DEBUG], message);
  }

  info(...message: unknown[]): void {
    this.write('info', message);
  }

  warn(...message: unknown[]): void {
    this.write('warn', message);
  }

  error(...message: unknown[]): void {
    this.write('error', message);
  }

  setLevel(level: LogLevel): void {
    this.logger.level = BOLT_TO_PINO[level];
  }

  getLevel(): LogLevel {
    return pinoToBolt(this.logger.level);
  }

  setName(name: string): void {
    const level = this.logger.level;
    this.logger = this.parent.child({ component: name });
    this.logger.level = level;
  }

  private write(level: Level, message: readonly unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const texts: string[] = [];
    const errors: Error[] = [];
    const details: unknown[] = [];
    for (const part of message) {
      if (part instanceof Error) errors.push(part);
      else if (typeof part === 'string') texts.push(part);
      else if (typeof part === 'object' && part !== null) details.push(part);
      else texts.push(String(part));
    }
    const [first, ...more] = errors;
    const fields: Record<string, unknown> = {};
    if (first) fields.err = first;
    if (more.length > 0) fields.errors = more;
    if (details.length > 0) fields.details = details;
    const text = texts.join(' ') || first?.message || 'bolt';
    this.logger[level](fields, text);
  }
}
