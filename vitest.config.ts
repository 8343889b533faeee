import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Compiles dist/ once: the process tests run the app exactly as `npm start` does.
    globalSetup: ['test/support/build.ts'],
    // Loopback servers and real sockets: keep each file isolated, but let files run in parallel.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
