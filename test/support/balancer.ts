/**
 * A round-robin loopback load balancer in front of several app replicas, as a platform's would
 * be: each request goes to the next replica, with its headers and its raw body untouched (Slack's
 * signature covers the exact bytes). A replica that refuses the connection (killed) is skipped
 * and the request goes to the next one; one cut off after the request reached it is answered 502
 * and not repeated, as balancers do for non-idempotent requests (nginx's `proxy_next_upstream`:
 * https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_next_upstream), since that
 * replica may have acted on it.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Balancer = Readonly<{
  /** `POST /slack/events` through the balancer. */
  eventsUrl: string;
  /** Replaces the replica at `index` (e.g. one started again on a new port). */
  setTarget(index: number, eventsUrl: string): void;
  /** How many requests each replica answered. */
  answered: readonly number[];
  close(): Promise<void>;
}>;

export async function startBalancer(eventsUrls: readonly string[]): Promise<Balancer> {
  const targets = eventsUrls.map((url) => new URL(url));
  const answered = targets.map(() => 0);
  let next = 0;

  const forward = (index: number, body: Buffer, req: IncomingMessage): Promise<IncomingMessage> => {
    const target = targets[index];
    if (!target) throw new Error(`no replica ${index}`);
    return new Promise((resolve, reject) => {
      const out = request(
        // A connection per request: a kept-alive socket to a replica killed meanwhile would fail
        // a request the replica never saw, where a new connection is refused and moves on.
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
          agent: false,
        },
        resolve,
      );
      out.on('error', reject);
      out.end(body);
    });
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      for (let tries = 0; tries < targets.length; tries++) {
        const index = next % targets.length;
        next += 1;
        try {
          const answer = await forward(index, body, req);
          answered[index] = (answered[index] ?? 0) + 1;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') break;
        }
      }
      res.writeHead(502).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    setTarget(index, eventsUrl) {
      targets[index] = new URL(eventsUrl);
    },
    answered,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
