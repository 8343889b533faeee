/**
 * A loopback stand-in for Slack's Socket Mode endpoint: the URL `apps.connections.open` hands
 * out. It says hello, delivers envelopes as Slack does and resolves with the app's ack.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type SocketAck = Readonly<{ envelope_id: string; payload?: Record<string, unknown> }>;

export type SocketStandIn = Readonly<{
  url: string;
  /** Resolves once an app has connected and been greeted. */
  connected: Promise<void>;
  /** Sends an envelope (`slash_commands`, `interactive`, ...) and resolves with the app's ack. */
  deliver(type: string, payload: unknown): Promise<SocketAck>;
  close(): Promise<void>;
}>;

export async function startSocketStandIn(): Promise<SocketStandIn> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const pending = new Map<string, (ack: SocketAck) => void>();
  let socket: WebSocket | undefined;
  let count = 0;
  const connected = new Promise<void>((resolve) => {
    server.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data: Buffer) => {
        const ack = JSON.parse(data.toString('utf8')) as SocketAck;
        pending.get(ack.envelope_id)?.(ack);
        pending.delete(ack.envelope_id);
      });
      ws.send(
        JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0JELOUCARD' } }),
      );
      resolve();
    });
  });
  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected,
    deliver(type, payload) {
      count += 1;
      const envelopeId = `envelope-${count}`;
      const acked = new Promise<SocketAck>((resolve) => pending.set(envelopeId, resolve));
      if (!socket) throw new Error('no app is connected to the socket stand-in');
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true }));
      return acked;
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
