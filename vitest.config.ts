import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Compiles dist/ once: the process tests run the app exactly as `npm start` does. Starts one
    // real PostgreSQL server (unless TEST_DATABASE_URL names one) for the PostgreSQL tests.
    globalSetup: ['test/support/build.ts', 'test/support/postgres.ts'],
    // Loopback servers and real sockets: keep each file isolated, but let files run in parallel.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
