/**
 * Vitest global setup: makes sure dist/ holds the app (and the demo, which also runs it) as the
 * sources are now, bundled as `npm start` runs it (dist/jelou-card.js, scripts/bundle.mjs), so
 * tests that run it as a real process (kill -9, restarts, replicas, npm run demo) start exactly
 * what `npm start` starts. `npm test` has just compiled everything (`npm run typecheck` is
 * `tsc -b`: one pass that type-checks and emits), so `tsc -b` here finds it up to date and returns
 * at once instead of type-checking a second time; run on its own (`npx vitest run FILE`) after an
 * edit, it compiles what changed.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default async function build(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'tsconfig.json'], { stdio: 'inherit' });
  const { bundle } = await import('../../scripts/bundle.mjs');
  await bundle();
}
