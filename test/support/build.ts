/**
 * Vitest global setup: compiles the app (and the demo, which also runs it) once, so tests that run
 * it as a real process (kill -9, restarts, npm run demo) start exactly what `npm start` starts.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function build(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.tools.json'], { stdio: 'inherit' });
}
