/**
 * The replay guard of two replicas sharing a PostgreSQL store: a genuine request replayed to the
 * other replica is refused there, as it is by the replica that saw it first.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { guardSlackRequests } from '../../src/slack/replay-guard.js';
import { postgresDatabase, type TestDatabase } from '../store/stores.js';
import { postSigned } from '../support/slack-requests.js';

const SECRET = 'replay-test-signing-secret';
const logger = createLogger({ level: 'silent' });

describe('the replay guard across replicas', () => {
  let database: TestDatabase;
  const servers: Server[] = [];

  beforeEach(async () => {
    database = await postgresDatabase();
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) server.close();
    await database.drop();
  });

  /** A replica: the guard in front of a listener that answers 200, on its own store. */
  async function replica(): Promise<{ url: string; taken: string[] }> {
    const taken: string[] = [];
    const guarded = guardSlackRequests(
      (request, response) => {
        taken.push(String(request.url));
        response.writeHead(200).end();
      },
      { signingSecret: SECRET, bodyLimit: 10_000, logger, shared: database.open() },
    );
    const server = createServer(guarded).listen(0, '127.0.0.1');
    servers.push(server);
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, taken };
  }

  it('refuses at one replica a request another already took, and takes new ones anywhere', async () => {
    const [a, b] = [await replica(), await replica()];
    const timestamp = Math.floor(Date.now() / 1000);
    const body = 'command=%2Fjelou-card&text=&user_id=U1';
    expect((await postSigned(a.url, body, { signingSecret: SECRET, timestamp })).status).toBe(200);
    expect((await postSigned(b.url, body, { signingSecret: SECRET, timestamp })).status).toBe(401);
    expect((await postSigned(a.url, body, { signingSecret: SECRET, timestamp })).status).toBe(401);
    expect((await postSigned(b.url, `${body}x`, { signingSecret: SECRET, timestamp })).status).toBe(200);
    expect([a.taken.length, b.taken.length]).toEqual([1, 1]);
  });
});
