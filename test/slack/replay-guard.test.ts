/**
 * The request guard in front of Bolt, on a clock the test moves: a fresh signed request passes
 * once; the same request again is refused; one signed too long ago, or dated ahead, is refused;
 * and its memory keeps only Slack's five-minute window, however many requests arrive.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { guardSlackRequests, ReplayGuard } from '../../src/slack/replay-guard.js';
import { postSigned } from '../support/slack-requests.js';

const SECRET = 'guard-test-signing-secret';
const logger = createLogger({ level: 'silent' });
const FIVE_MINUTES_MS = 5 * 60_000;

describe('ReplayGuard', () => {
  it('takes a signature the first time, refuses it again within five minutes, forgets it after', () => {
    let now = 1_000_000;
    const guard = new ReplayGuard(() => now);
    expect(guard.firstSighting('v0=a')).toBe(true);
    expect(guard.firstSighting('v0=a')).toBe(false);
    expect(guard.firstSighting('v0=b')).toBe(true);
    now += FIVE_MINUTES_MS - 1;
    expect(guard.firstSighting('v0=a')).toBe(false);
    // Slack refuses a timestamp this old anyway: remembering it much longer would only cost
    // memory. It is kept with the others of its 10 s, so at most 10 s more.
    now += 10_001;
    expect(guard.firstSighting('v0=a')).toBe(true);
  });

  it('tells genuine signatures apart and refuses each one again', () => {
    const guard = new ReplayGuard(() => 0);
    const signatures = Array.from(
      { length: 2_000 },
      (_, n) => `v0=${createHmac('sha256', SECRET).update(`v0:${n}:body`).digest('hex')}`,
    );
    expect(signatures.map((signature) => guard.firstSighting(signature))).toEqual(signatures.map(() => true));
    expect(signatures.map((signature) => guard.firstSighting(signature))).toEqual(
      signatures.map(() => false),
    );
    expect(guard.remembered).toBe(2_000);
  });

  it.each([0, 1, 999, 5_000, 9_999])(
    'never forgets a signature before its five minutes are up, arriving %i ms into a 10 s period',
    (offset) => {
      let now = 1_000_000 + offset;
      const guard = new ReplayGuard(() => now);
      const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${offset}:x`).digest('hex')}`;
      expect(guard.firstSighting(signature)).toBe(true);
      now += FIVE_MINUTES_MS - 1;
      expect(guard.firstSighting(signature)).toBe(false);
    },
  );

  it('keeps no more than the last five minutes of signatures', () => {
    let now = 0;
    const guard = new ReplayGuard(() => now);
    for (let n = 0; n < 10_000; n += 1) {
      guard.firstSighting(`v0=${n}`);
      now += 10;
    }
    // 10,000 requests over 100 s: all still within the window.
    expect(guard.remembered).toBe(10_000);
    now += FIVE_MINUTES_MS;
    guard.firstSighting('v0=later');
    expect(guard.remembered).toBe(1);
  });
});

describe('guardSlackRequests', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  /** The guard in front of a listener that answers 200 and counts what reached it. */
  async function guarded(now: () => number): Promise<{ url: string; reached: () => number }> {
    let reached = 0;
    const listener = guardSlackRequests(
      (_request, response) => {
        reached += 1;
        response.writeHead(200).end();
      },
      { signingSecret: SECRET, bodyLimit: 10_000, logger, now },
    );
    const server = createServer(listener).listen(0, '127.0.0.1');
    servers.push(server);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/slack/events`, reached: () => reached };
  }

  const body = 'command=%2Fjelou-card&text=&user_id=U0ALICE';
  const seconds = (ms: number) => Math.floor(ms / 1000);

  it('lets a fresh request through once and refuses the same request again', async () => {
    const app = await guarded(Date.now);
    const timestamp = seconds(Date.now());
    expect((await postSigned(app.url, body, { signingSecret: SECRET, timestamp })).status).toBe(200);
    expect((await postSigned(app.url, body, { signingSecret: SECRET, timestamp })).status).toBe(401);
    // Slack's own retry is signed anew (another timestamp): it is a new request.
    expect(
      (await postSigned(app.url, body, { signingSecret: SECRET, timestamp: timestamp - 1 })).status,
    ).toBe(200);
    expect(app.reached()).toBe(2);
  });

  it('refuses a request signed more than five minutes ago', async () => {
    const app = await guarded(Date.now);
    const timestamp = seconds(Date.now() - FIVE_MINUTES_MS - 60_000);
    expect((await postSigned(app.url, body, { signingSecret: SECRET, timestamp })).status).toBe(401);
    expect(app.reached()).toBe(0);
  });

  it('refuses a request dated more than five minutes ahead of its clock', async () => {
    // The guard's clock is behind the signer's by six minutes.
    const app = await guarded(() => Date.now() - FIVE_MINUTES_MS - 60_000);
    const timestamp = seconds(Date.now());
    expect((await postSigned(app.url, body, { signingSecret: SECRET, timestamp })).status).toBe(401);
    expect(app.reached()).toBe(0);
  });

  it('refuses a forged signature, and a signed body Bolt could not read', async () => {
    const app = await guarded(Date.now);
    const timestamp = seconds(Date.now());
    expect((await postSigned(app.url, body, { signingSecret: 'not-the-secret', timestamp })).status).toBe(
      401,
    );
    expect(
      (await postSigned(app.url, body, { signingSecret: SECRET, timestamp, signature: null })).status,
    ).toBe(401);
    expect((await postSigned(app.url, 'payload=null', { signingSecret: SECRET, timestamp })).status).toBe(
      400,
    );
    expect(app.reached()).toBe(0);
  });
});
