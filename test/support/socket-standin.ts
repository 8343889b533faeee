/**
 * A loopback stand-in for Slack's Socket Mode endpoint: the URL `apps.connections.open` hands
 * out. It says hello, delivers envelopes as Slack does and resolves with the app's ack.
 *
 * Several connections may be open at once (replicas of one app, or one app's spare): each
 * envelope goes to ONE of them, as Slack does ("when multiple connections are open, Slack
 * distributes events across them": https://api.slack.com/apis/connections/socket). Slack does not
 * say how it picks; taking turns spreads each run's payloads over every connection.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type SocketAck = Readonly<{ envelope_id: string; payload?: Record<string, unknown> }>;

export type SocketStandIn = Readonly<{
  url: string;
  /** Resolves once an app has connected and been greeted. */
  connected: Promise<void>;
  /** Connections open now. */
  readonly connections: number;
  /** How many envelopes each connection (in the order they opened) was given. */
  delivered: readonly number[];
  /** Sends an envelope (`slash_commands`, `interactive`, ...) and resolves with the app's ack. */
  deliver(type: string, payload: unknown): Promise<SocketAck>;
  close(): Promise<void>;
}>;

export async function startSocketStandIn(): Promise<SocketStandIn> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const pending = new Map<string, (ack: SocketAck) => void>();
  const sockets: WebSocket[] = [];
  const delivered: number[] = [];
  let turn = 0;
  let count = 0;
  const open = () => sockets.filter((ws) => ws.readyState === ws.OPEN);
  const connected = new Promise<void>((resolve) => {
    server.on('connection', (ws) => {
      sockets.push(ws);
      delivered.push(0);
      ws.on('message', (data: Buffer) => {
        const ack = JSON.parse(data.toString('utf8')) as SocketAck;
        pending.get(ack.envelope_id)?.(ack);
        pending.delete(ack.envelope_id);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: open().length,
          connection_info: { app_id: 'A0JELOUCARD' },
        }),
      );
      resolve();
    });
  });
  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected,
    get connections() {
      return open().length;
    },
    delivered,
    deliver(type, payload) {
      count += 1;
      const envelopeId = `envelope-${count}`;
      const acked = new Promise<SocketAck>((resolve) => pending.set(envelopeId, resolve));
      const candidates = open();
      const socket = candidates[turn % Math.max(1, candidates.length)];
      turn += 1;
      if (!socket) throw new Error('no app is connected to the socket stand-in');
      const index = sockets.indexOf(socket);
      delivered[index] = (delivered[index] ?? 0) + 1;
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true }));
      return acked;
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
