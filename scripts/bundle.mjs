/**
 * Bundles the compiled app (dist/src/main.js and everything it imports, Bolt and the other
 * dependencies included) into one file, dist/jelou-card.js, which is what `npm start` and the
 * container run. Loading the app as some 1,100 separate modules (Kysely's ESM build alone is
 * hundreds) took 1.1 s of its 1.3 s start; one file loads in about 0.4 s (BENCHMARKS.md).
 *
 * It bundles tsc's output rather than src/ so that the shipped code is the code tsc type-checked
 * and emitted, not a second compiler's reading of the TypeScript. The process tests (kill -9,
 * restarts, replicas, the load test) and the benchmark run this file.
 *
 * Plain JavaScript (not TypeScript) so that it runs before anything is compiled; `npm run build`
 * and the tests' global set-up call it after tsc.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const BUNDLE = fileURLToPath(new URL('../dist/jelou-card.js', import.meta.url));
const ENTRY = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));

export async function bundle() {
  await build({
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.18',
    // better-sqlite3 loads its compiled addon from its own folder; pg-native is an optional addon
    // `pg` asks for only when told to use it. Both stay in node_modules.
    external: ['better-sqlite3', 'pg-native'],
    // Bolt and most of its dependencies are CommonJS and call require(); in an ES module bundle
    // that name has to be made.
    banner: {
      js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
    },
    // Whitespace and syntax minified, names kept. The whole file is compiled at every start, and
    // unminified (5.5 MB against 3.8) it cost 50-90 ms more of a 0.7 s start (BENCHMARKS.md). A
    // stack trace in a log line still names each function; its line and column are the bundle's,
    // and `node --enable-source-maps dist/jelou-card.js` maps them back to src/ through tsc's maps.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
