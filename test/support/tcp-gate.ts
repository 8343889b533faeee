/**
 * A TCP pass-through in front of a loopback stand-in that can go down and come back on the same
 * port: down, connecting is refused (ECONNREFUSED, as for a service whose host is up but whose
 * server is not), and connections already open are cut; up, it forwards again.
 */
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export type TcpGate = Readonly<{
  /** The target's URL with the gate's port in its place. */
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}>;

export async function startTcpGate(targetUrl: string): Promise<TcpGate> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = async (port: number) => {
    const listening = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    listening.listen(port, '127.0.0.1');
    await once(listening, 'listening');
    server = listening;
    return (listening.address() as AddressInfo).port;
  };
  const port = await listen(0);
  const down = async () => {
    const closing = server;
    server = undefined;
    if (!closing) return;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  const url = new URL(targetUrl);
  url.port = String(port);
  return {
    url: url.toString().replace(/\/$/u, ''),
    down,
    async up() {
      if (!server) await listen(port);
    },
    close: down,
  };
}
