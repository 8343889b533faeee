/** The ops routes on a port of their own: Socket Mode has no HTTP server otherwise. */
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { OpsRoute } from './health.js';

/**
 * Serves `routes` (GET only) on `port`, and the POST routes `otherPosts` answers for (Jelou's
 * notification URL: in Socket Mode this is the only public HTTP port); resolves once it listens.
 */
export async function startOpsServer(
  port: number,
  routes: readonly OpsRoute[],
  otherPosts: (path: string) => RequestListener | undefined = () => undefined,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const other = request.method === 'POST' ? otherPosts(path) : undefined;
    if (other) return other(request, response);
    const route = request.method === 'GET' ? routes.find((r) => r.path === path) : undefined;
    if (route) route.handler(request, response);
    else response.writeHead(404).end();
  });
  server.listen(port);
  await once(server, 'listening');
  return server;
}
