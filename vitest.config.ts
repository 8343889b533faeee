import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Makes sure dist/ is current (the process tests run the app exactly as `npm start` does)
    // without type-checking again after `npm run typecheck`. Starts one real PostgreSQL server
    // (unless TEST_DATABASE_URL names one) for the PostgreSQL tests.
    globalSetup: ['test/support/build.ts', 'test/support/postgres.ts'],
    // Loopback servers and real sockets: keep each file isolated, but let files run in parallel.
    pool: 'forks',
    // Vitest's default is one worker fewer than there are cores: one at a time on a 2-core machine.
    // The slowest files (load, kill -9, replicas, faults, Slack's pace) mostly wait on processes,
    // sockets and timers rather than compute, so one worker more than there are cores keeps both
    // cores busy while they wait. Every file uses its own ports, databases and temporary folders.
    maxWorkers: availableParallelism() + 1,
    // Hang guards, not speed targets: a file that starts the app as a process, kills it and starts
    // it again shares the cores with two other files and their processes (and, on a shared machine,
    // with whatever else runs), so a healthy test can take several times its unloaded time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
