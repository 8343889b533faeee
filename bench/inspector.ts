/**
 * Looks inside a child Node process started with `--inspect=127.0.0.1:0`, over the Chrome
 * DevTools Protocol (the `ws` client): a full garbage collection, the memory in use after it, and
 * heap snapshots written to a file, for the soak's memory samples.
 */
import { createWriteStream } from 'node:fs';
import WebSocket from 'ws';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export type Inspector = Readonly<{
  /** A full GC, then the process's `process.memoryUsage()` (bytes): heap, external, array buffers. */
  memoryAfterGc(): Promise<NodeJS.MemoryUsage>;
  /** Writes a .heapsnapshot (for Chrome DevTools' Memory tab) to `file`. */
  snapshot(file: string): Promise<void>;
  close(): void;
}>;

/** The inspector's WebSocket URL from the `Debugger listening on ws://…` line Node prints on stderr. */
export function inspectorUrlIn(line: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1];
}

export async function connectInspector(url: string): Promise<Inspector> {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 2 ** 31 });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let next = 0;
  const pending = new Map<number, Pending>();
  let chunks: ((chunk: string) => void) | undefined;
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as {
      id?: number;
      method?: string;
      params?: { chunk?: string };
      result?: unknown;
      error?: { message: string };
    };
    if (message.method === 'HeapProfiler.addHeapSnapshotChunk') {
      chunks?.(message.params?.chunk ?? '');
      return;
    }
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  });
  const call = (method: string, params: object = {}): Promise<unknown> => {
    next += 1;
    const id = next;
    socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  };
  return {
    async memoryAfterGc() {
      await call('HeapProfiler.collectGarbage');
      const answer = (await call('Runtime.evaluate', {
        expression: 'process.memoryUsage()',
        returnByValue: true,
      })) as { result: { value: NodeJS.MemoryUsage } };
      return answer.result.value;
    },
    async snapshot(file) {
      const out = createWriteStream(file);
      chunks = (chunk) => out.write(chunk);
      try {
        await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      } finally {
        chunks = undefined;
        await new Promise<void>((resolve) => out.end(resolve));
      }
    },
    close: () => socket.close(),
  };
}
