import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { timedFetch, webClientOptions } from '../../src/slack/web-client.js';

let servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  servers = [];
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
}

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('timedFetch', () => {
  it('answers with the status, headers and body Slack sent', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    });
    const response = await timedFetch(10_000)(`${url}chat.update`, { method: 'POST' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.url).toBe(`${url}chat.update`);
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('lets go of its timer as soon as the answer is read, not when the limit runs out', async () => {
    const url = await serve((_req, res) => res.end('{"ok":true}'));
    const before = timers();
    const fetchWithLimit = timedFetch(60_000);
    await Promise.all(Array.from({ length: 20 }, () => fetchWithLimit(url, { method: 'POST' })));
    // At most as many as before: other timers of the process may have ended meanwhile.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('gives up on a server that never answers', async () => {
    const url = await serve(() => {});
    await expect(timedFetch(100)(url)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('gives up on a body that stops half way: the limit covers the body too', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":');
    });
    await expect(timedFetch(100)(url)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('still stops when the caller cancels', async () => {
    const url = await serve(() => {});
    const caller = new AbortController();
    const call = timedFetch(60_000)(url, { signal: caller.signal });
    caller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('answers a status that has no body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const response = await timedFetch(10_000)(url);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});

describe('the Web API client with the app options', () => {
  it('makes calls and keeps no timer once they are answered', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, ts: '1.2' }));
    });
    const client = new webApi.WebClient('xoxb-test', webClientOptions(url));
    const before = timers();
    const result = await client.chat.postMessage({ channel: 'C1', text: 'hi' });
    expect(result.ts).toBe('1.2');
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('reports a Slack that never answers as a request error, as web-api does its own timeouts', async () => {
    const url = await serve(() => {});
    const client = new webApi.WebClient('xoxb-test', {
      ...webClientOptions(url, 100),
      retryConfig: { retries: 0 },
    });
    const call = client.chat.postMessage({ channel: 'C1', text: 'hi' });
    await expect(call).rejects.toMatchObject({
      code: webApi.ErrorCode.RequestError,
      original: { name: 'TimeoutError' },
    });
  });
});
