import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** The one test with a timing the product requires (Slack's 3 s to acknowledge): it runs alone. */
const LOAD = 'test/e2e/load.test.ts';

const common = {
  // Workers are processes, not threads: better-sqlite3, real sockets and child processes behave as in the app.
  pool: 'forks',
  // Hang guards, not speed targets: a file that starts the app as a process, kills it and starts
  // it again shares the cores with two other files and their processes (and, on a shared machine,
  // with whatever else runs), so a healthy test can take several times its unloaded time.
  testTimeout: 60_000,
  hookTimeout: 60_000,
} as const;

export default defineConfig({
  test: {
    // Makes sure dist/ is current (the process tests run the app exactly as `npm start` does)
    // without type-checking again after `npm run typecheck`. Starts one real PostgreSQL server
    // (unless TEST_DATABASE_URL names one) for the PostgreSQL tests. Runs once for both projects.
    globalSetup: ['test/support/build.ts', 'test/support/postgres.ts'],
    projects: [
      {
        test: {
          ...common,
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: [LOAD],
          // Vitest's default is one worker fewer than there are cores: one file at a time on a
          // 2-core machine. The slowest files (kill -9, replicas, faults, Slack's pace) mostly wait
          // on processes, sockets and timers rather than compute, so one worker more than there
          // are cores keeps both cores busy while they wait. Every file uses its own ports,
          // databases and temporary folders.
          maxWorkers: availableParallelism() + 1,
          // Files in one worker share loaded modules instead of importing Bolt, pino, zod, the
          // stores and our sources afresh for each of 75 files: a quarter of the suite's CPU time
          // (475 → 358 CPU-seconds on 2026-12-01), which is what lets CI run three Nodes within its
          // 20 minutes. Safe because nothing in src/ keeps state at module level beyond caches of
          // fixed data, each app, store and stand-in is built per test, and each test restores
          // what it changes (fake timers).
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // After the rest, on its own: 1,000 Sends over 100 connections must each be acknowledged
        // within Slack's 3 s, which says nothing about the app when other files hold the cores.
        test: { ...common, name: 'load', include: [LOAD], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
