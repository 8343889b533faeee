/**
 * The app as a real process (`node dist/jelou-card.js`, the bundle `npm start` runs), for what only a process can show: a
 * kill -9 mid-send, a restart, a SIGTERM. It runs in an empty folder, so no .env leaks in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** The repository's root: the nearest folder upward with a package.json (this file also runs from dist/). */
export function repositoryRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

const MAIN = join(repositoryRoot(), 'dist', 'jelou-card.js');
// Several replicas start at once beside the rest of the suite on 2 cores: a hang guard, not a target.
const START_TIMEOUT_MS = 30_000;

export type AppProcess = Readonly<{
  /** HTTP mode's events URL; empty in Socket Mode, which takes no HTTP requests. */
  eventsUrl: string;
  /** Every JSON log line the process wrote, parsed. */
  logs: readonly Record<string, unknown>[];
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}>;

export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    cwd: mkdtempSync(join(tmpdir(), 'jelou-card-proc-')),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  const port = new Promise<number>((found, failed) => {
    // The "running" line is logged at info: a quieter LOG_LEVEL would otherwise wait here forever.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      failed(
        new Error(
          `no "jelou-card is running" log line within ${START_TIMEOUT_MS} ms (LOG_LEVEL above info?)`,
        ),
      );
    }, START_TIMEOUT_MS);
    void exited.finally(() => clearTimeout(timer));
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        // Socket Mode has no events port, only its health port.
        if (
          entry.msg === 'jelou-card is running' &&
          (typeof entry.port === 'number' || entry.mode === 'socket')
        ) {
          clearTimeout(timer);
          found(typeof entry.port === 'number' ? entry.port : 0);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    void exited.then((code) =>
      failed(new Error(`the app exited (${code}) before it was running: ${stderr}`)),
    );
  });
  const eventsPort = await port;
  return {
    eventsUrl: eventsPort === 0 ? '' : `http://127.0.0.1:${eventsPort}/slack/events`,
    logs,
    exited,
    kill: (signal) => child.kill(signal),
  };
}

/** Waits until `condition` holds, polling; fails after `timeoutMs` with `what`. */
export async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}
