/**
 * Draws the README's pictures (scripts/shots.ts: the card form, the preview, the template modal and
 * the channel message in each state staff meet) from the app's own pure view functions, so the
 * pictures show what the code really builds and can be regenerated whenever a view changes
 * (`npm run screenshots`).
 *
 * Each view's JSON is saved beside its PNG (`docs/images/<name>.json`) and the picture is rendered
 * from that saved file, so a reader can check every word in the picture against the data.
 * Screenshots are taken with headless Chromium; `CHROMIUM` overrides its path.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inventedWords, UnsupportedBlockKitError } from './block-kit-html.js';
import { buildShots, NAMES, type Shot } from './shots.js';

// Compiled to dist/scripts/, so the repository is two levels up whatever the working directory.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, 'docs', 'images');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium leaves part of a shorter window unpainted (see block-kit-html.ts). */
const MIN_WINDOW_HEIGHT = 160;

/** 2× so the pictures stay sharp on high-density screens, where most READMEs are read. */
const SCALE = 2;

/** Runs Chromium with a throwaway profile, so no state from an earlier run can change a picture. */
function chromium(args: readonly string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'render-views-profile-'));
  try {
    return execFileSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--hide-scrollbars',
        `--force-device-scale-factor=${SCALE}`,
        ...args,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The height the page reports for its content once laid out at `width`. */
function contentHeight(url: string, width: number): number {
  const dom = chromium([`--window-size=${width},4000`, '--dump-dom', url]);
  const match = /data-content-height="(\d+)"/.exec(dom);
  if (!match?.[1]) throw new Error(`the page did not report its height: ${url}`);
  return Number(match[1]);
}

/**
 * The page for a shot, or the end of the run: a view with something the renderer cannot draw as
 * Slack does must not become a picture that silently differs from Slack.
 */
function drawn(shot: Shot, saved: unknown): string {
  try {
    return shot.page(saved, NAMES, shot.now);
  } catch (error) {
    if (!(error instanceof UnsupportedBlockKitError)) throw error;
    process.stderr.write(`${shot.name}: ${error.message}\n`);
    process.exit(1);
  }
}

function main(): void {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(
      [
        `Chromium was not found at ${CHROMIUM}.`,
        'Install it (Debian/Ubuntu, as root): apt-get update && apt-get install -y chromium fonts-lato fonts-noto-color-emoji',
        'or point CHROMIUM at an existing Chromium or Chrome binary.',
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
  const shots = buildShots();
  // Every view drawn once before any file is written, so a failing run leaves docs/images/ as it was.
  for (const shot of shots) drawn(shot, JSON.parse(JSON.stringify(shot.json)));
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'names.json'), `${JSON.stringify(NAMES, null, 2)}\n`);
  const work = mkdtempSync(join(tmpdir(), 'render-views-'));
  try {
    for (const shot of shots) {
      const jsonPath = join(OUT_DIR, `${shot.name}.json`);
      const pngPath = join(OUT_DIR, `${shot.name}.png`);
      writeFileSync(jsonPath, `${JSON.stringify(shot.json, null, 2)}\n`);
      // Rendered from the file just written, not the object in memory: the picture is of that file.
      const saved: unknown = JSON.parse(readFileSync(jsonPath, 'utf8'));
      const html = drawn(shot, saved);
      const invented = inventedWords(html, saved, NAMES);
      if (invented.length > 0)
        throw new Error(`${shot.name}: words not in the view JSON: ${invented.join(', ')}`);
      const htmlPath = join(work, `${shot.name}.html`);
      writeFileSync(htmlPath, html);
      const url = pathToFileURL(htmlPath).href;
      const height = Math.max(contentHeight(url, shot.width), MIN_WINDOW_HEIGHT);
      chromium([`--window-size=${shot.width},${height}`, `--screenshot=${pngPath}`, url]);
      const size = Math.round(statSync(pngPath).size / 1024);
      process.stdout.write(
        `${relative(ROOT, pngPath)}  ${shot.width * SCALE}×${height * SCALE}px  ${size} KB  (data: ${relative(ROOT, jsonPath)})\n`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
