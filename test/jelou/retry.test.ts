import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type JelouClient,
  parseRetryAfterMs,
  type RetryPolicy,
} from '../../src/jelou/index.js';
import {
  closedPort,
  empty,
  type JelouStandIn,
  json,
  passThrough,
  raw,
  startJelouStandIn,
} from '../support/jelou-standin.js';
import { CARD, expectSendRequest, makeClient, TEST_RETRY } from './helpers.js';

describe('JelouClient.send: retries against a real server', () => {
  let jelou: JelouStandIn;
  let harness: ReturnType<typeof makeClient>;
  let client: JelouClient;

  beforeEach(async () => {
    jelou = await startJelouStandIn();
    harness = makeClient(jelou.url);
    client = harness.client;
  });

  afterEach(async () => {
    await client.close();
    await jelou.close();
  });

  it('429 with Retry-After: 1, then success → sent after 2 attempts, waited 1000 ms', async () => {
    jelou.script('messages', json(429, { code: 'too_many_requests' }, { 'retry-after': '1' }));

    const outcome = await client.send(CARD);

    expect(outcome).toEqual({ kind: 'sent', messageId: 'msg_1', attempts: 2 });
    expect(harness.sleeps).toEqual([1000]);
    expect(jelou.requests).toHaveLength(2);
    for (const request of jelou.requests) expectSendRequest(request);
    expect(harness.attemptsLogged()).toBe(2);
  });

  it('429 with a Retry-After HTTP-date is honoured relative to the injected clock', async () => {
    await client.close();
    const now = Date.parse('2026-01-01T00:00:00Z');
    harness = makeClient(jelou.url, { now: () => now });
    client = harness.client;
    jelou.script('messages', json(429, {}, { 'retry-after': 'Thu, 01 Jan 2026 00:00:01 GMT' }));

    expect(await client.send(CARD)).toMatchObject({ kind: 'sent', attempts: 2 });
    expect(harness.sleeps).toEqual([1000]);
  });

  it('429 asking to wait longer than the cap → failed rate_limited at once, 1 attempt', async () => {
    jelou.script('messages', json(429, {}, { 'retry-after': '30' }));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'failed', status: 429, code: 'rate_limited', attempts: 1 });
    expect(harness.sleeps).toEqual([]);
    expect(jelou.requests).toHaveLength(1);
  });

  it('429 without Retry-After → exponential backoff with jitter', async () => {
    jelou.script('messages', empty(429), empty(429));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'sent', attempts: 3 });
    // random() = 0.5: half of 8 ms, then half of 16 ms.
    expect(harness.sleeps).toEqual([4, 8]);
    expect(jelou.requests).toHaveLength(3);
  });

  it('429 every time → failed rate_limited after maxAttempts', async () => {
    jelou.respondWith(json(429, {}, { 'retry-after': '0' }));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'failed', status: 429, code: 'rate_limited', attempts: 3 });
    expect(harness.sleeps).toEqual([0, 0]);
    expect(jelou.requests).toHaveLength(3);
  });

  it('503 then success → sent after 2 attempts', async () => {
    jelou.script('messages', json(503, { code: 'service_unavailable' }), passThrough());

    const outcome = await client.send(CARD);

    expect(outcome).toEqual({ kind: 'sent', messageId: 'msg_1', attempts: 2 });
    expect(harness.sleeps).toEqual([4]);
    expect(jelou.requests).toHaveLength(2);
    for (const request of jelou.requests) expectSendRequest(request);
  });

  it("503 with Jelou's own error body every time → failed unavailable after maxAttempts", async () => {
    jelou.respondWith(json(503, { code: 'service_unavailable', message: 'Service unavailable' }));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({
      kind: 'failed',
      status: 503,
      code: 'unavailable',
      attempts: TEST_RETRY.maxAttempts,
    });
    expect(jelou.requests).toHaveLength(TEST_RETRY.maxAttempts);
    expect(harness.logs.lines.find((line) => line.msg === 'jelou send did not go through')).toMatchObject({
      attempts: 3,
      why: 'attempts_exhausted',
    });
  });

  // A proxy in front of Jelou may answer 503 after forwarding the request (jelou-api.md, "Errors").
  it.each([
    ['an empty 503', empty(503)],
    [
      "a proxy's HTML 503",
      raw(503, '<html><h1>503 Service Temporarily Unavailable</h1></html>', 'text/html'),
    ],
    ["a 503 with JSON that is not Jelou's", json(503, { ok: false })],
  ])('%s proves nothing: unknown, never retried', async (_, behaviour) => {
    jelou.respondWith(behaviour);

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'unknown', status: 503, code: 'unavailable_unknown', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
    expect(harness.sleeps).toEqual([]);
  });

  it('500 internal_server_error is never retried (a configuration problem)', async () => {
    jelou.respondWith(json(500, { code: 'internal_server_error' }));
    expect(await client.send(CARD)).toMatchObject({ kind: 'failed', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
  });

  it('a bare 500 is never retried (the card may have been delivered)', async () => {
    jelou.respondWith(empty(500));
    expect(await client.send(CARD)).toMatchObject({ kind: 'unknown', code: 'server_error', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
  });

  it('maxAttempts 1 turns retries off', async () => {
    await client.close();
    harness = makeClient(jelou.url, { retry: { maxAttempts: 1 } });
    client = harness.client;
    jelou.respondWith(json(503, { code: 'service_unavailable' }));

    expect(await client.send(CARD)).toMatchObject({ kind: 'failed', code: 'unavailable', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
  });
});

describe('JelouClient.send: connection refused', () => {
  it('is failed unreachable after maxAttempts attempts, with backoff between them', async () => {
    const port = await closedPort();
    const { client, sleeps, attemptsLogged, logs } = makeClient(`http://127.0.0.1:${port}`);
    try {
      const outcome = await client.send(CARD);

      expect(outcome).toEqual({
        kind: 'failed',
        code: 'unreachable',
        reason: expect.objectContaining({ en: expect.stringContaining('nothing was sent') }),
        attempts: 3,
      });
      expect(attemptsLogged()).toBe(3);
      expect(sleeps).toEqual([4, 8]);
      expect(logs.lines.find((line) => line.msg === 'jelou send attempt')).toMatchObject({
        errorCode: 'ECONNREFUSED',
        outcome: 'failed',
      });
    } finally {
      await client.close();
    }
  });
});

describe('retry policy (pure)', () => {
  const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
  const transient = { kind: 'failed', transient: true } as const;

  it('has the documented defaults', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 3,
      baseDelayMs: 250,
      maxDelayMs: 4_000,
      maxRetryAfterMs: 10_000,
    });
  });

  it('never retries an unknown outcome, a success or a permanent failure', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (attempt, r) => {
          for (const result of [
            { kind: 'unknown' },
            { kind: 'sent' },
            { kind: 'failed', transient: false },
          ] as const) {
            expect(decideRetry(result, attempt, policy, () => r).retry).toBe(false);
          }
        },
      ),
    );
  });

  it('full jitter stays within [0, min(maxDelay, base·2^(n-1)))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelayMs(attempt, policy, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
        },
      ),
    );
  });

  it('retries transient failures until maxAttempts', () => {
    expect(decideRetry(transient, 1, policy, () => 0.5)).toEqual({ retry: true, delayMs: 50 });
    expect(decideRetry(transient, 3, policy, () => 0.5)).toEqual({ retry: true, delayMs: 200 });
    expect(decideRetry(transient, 4, policy, () => 0.5)).toEqual({ retry: false, why: 'attempts_exhausted' });
  });

  it('Retry-After wins over backoff, up to the cap', () => {
    expect(decideRetry({ ...transient, retryAfterMs: 2_000 }, 1, policy, () => 0.5)).toEqual({
      retry: true,
      delayMs: 2_000,
    });
    expect(decideRetry({ ...transient, retryAfterMs: 5_001 }, 1, policy, () => 0.5)).toEqual({
      retry: false,
      why: 'retry_after_too_long',
    });
  });

  it('parses Retry-After seconds and HTTP-dates, ignores junk', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs(['2', '9'], now)).toBe(2_000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs('-1', now)).toBeUndefined();
    expect(parseRetryAfterMs('1.5', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  });
});
