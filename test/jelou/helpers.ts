/** Shared fixtures for the Jelou client tests. */
import { Buffer } from 'node:buffer';
import { pino } from 'pino';
import { expect } from 'vitest';
import { JelouClient, type JelouClientOptions, type JelouMessage } from '../../src/jelou/index.js';
import type { RecordedRequest } from '../support/jelou-standin.js';

/** A bot id that must be URL-encoded to stay one path segment. */
export const BOT_ID = 'bot/42 x';
export const ENCODED_BOT_ID = 'bot%2F42%20x';
export const CLIENT_ID = 'jelou-client-id';
export const CLIENT_SECRET = 's3cr3t-value-never-logged';
export const AUTHORIZATION = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
export const SEND_PATH = `/v1/bots/${ENCODED_BOT_ID}/messages`;

/** A contact card message as the card module builds it. */
export const CARD = {
  type: 'contacts',
  userId: '593991234567',
  contacts: [
    {
      name: { formatted_name: 'Juan Pérez', first_name: 'Juan', last_name: 'Pérez' },
      phones: [{ phone: '+593987654321', type: 'Mobile', wa_id: '593987654321' }],
      emails: [{ email: 'juan@example.com', type: 'Work' }],
    },
  ],
} as const satisfies JelouMessage;

export type LogLine = Readonly<Record<string, unknown>>;

/** A pino logger whose lines are kept, raw and parsed, as a log shipper would read them. */
export function captureLogs() {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line));
      },
    },
  );
  return { logger, raw, lines };
}

/** Small timeouts and retry delays so the suite stays fast; sleeps are recorded, not waited. */
export const TEST_TIMEOUTS = { connectMs: 500, headersMs: 250, bodyMs: 250 } as const;
export const TEST_RETRY = { maxAttempts: 3, baseDelayMs: 8, maxDelayMs: 40, maxRetryAfterMs: 2_000 } as const;

export function makeClient(baseUrl: string, overrides: Partial<JelouClientOptions> = {}) {
  const logs = captureLogs();
  const sleeps: number[] = [];
  const client = new JelouClient({
    baseUrl,
    botId: BOT_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    logger: logs.logger,
    timeouts: TEST_TIMEOUTS,
    retry: TEST_RETRY,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  /** Attempts as the client logged them (also counts attempts that never reached a server). */
  const attemptsLogged = () => logs.lines.filter((line) => line.msg === 'jelou send attempt').length;
  return { client, logs, sleeps, attemptsLogged };
}

/** Asserts one send request as it went over the wire. */
export function expectSendRequest(request: RecordedRequest | undefined, message: JelouMessage = CARD): void {
  expect(request).toBeDefined();
  expect(request?.method).toBe('POST');
  expect(request?.path).toBe(SEND_PATH);
  expect(request?.params).toEqual({ botId: BOT_ID });
  expect(request?.headers.authorization).toBe(AUTHORIZATION);
  expect(request?.headers['content-type']).toBe('application/json');
  expect(request?.body).toEqual(message);
}
