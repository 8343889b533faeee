/**
 * `npm run manifest`: writes slack-app-manifest.yml (Socket Mode) at the repository root.
 * `npm run --silent manifest -- --http https://cards.example.com` prints the HTTP-mode variant.
 * The only module here that touches the process's streams.
 */
import { writeFile } from 'node:fs/promises';
import { findRepoRoot, runManifestCli } from './run.js';

process.exitCode = await runManifestCli(process.argv.slice(2), {
  root: findRepoRoot(import.meta.dirname),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  writeFile: (path, text) => writeFile(path, text, 'utf8'),
});
