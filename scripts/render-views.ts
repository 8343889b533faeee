/**
 * Draws the README's pictures of the card form, the preview and the channel notification from the
 * app's own pure view functions, so the pictures show what the code really builds and can be
 * regenerated whenever a view changes (`npm run screenshots`).
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
import { buildContactsMessage, type ContactInput } from '../src/card/index.js';
import { JelouCode, REASONS } from '../src/jelou/reasons.js';
import { encodeMetadata, type PreviewContent, type Recipient } from '../src/slack/metadata.js';
import { cardFormView, INITIAL_ROWS } from '../src/slack/views/card-form.js';
import { notificationMessage } from '../src/slack/views/notification.js';
import { previewView } from '../src/slack/views/preview.js';
import type { SendRecord } from '../src/store/types.js';
import { JUAN_TYPED } from '../test/support/juan.js';
import {
  inventedWords,
  messagePage,
  modalPage,
  type Names,
  PAGE_WIDTH,
  UnsupportedBlockKitError,
} from './block-kit-html.js';

// Compiled to dist/scripts/, so the repository is two levels up whatever the working directory.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, 'docs', 'images');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium leaves part of a shorter window unpainted (see block-kit-html.ts). */
const MIN_WINDOW_HEIGHT = 160;

/** 2× so the pictures stay sharp on high-density screens, where most READMEs are read. */
const SCALE = 2;

// Slack's documentation example ids: plainly placeholders, and valid for the views' own checks.
const CHANNEL_ID = 'C024BE91L';
const USER_ID = 'U024BE7LH';

/**
 * The names Slack would show for those ids (it draws `<@U…>` as the person's display name and a
 * channel as `#name`); saved as `docs/images/names.json` beside the views that mention them.
 */
const NAMES: Names = { users: { [USER_ID]: 'Ana Torres' }, channels: { [CHANNEL_ID]: 'sales' } };

/** Jelou's seed example card (the one its "send a contact card" page shows), as typed in the form. */
const JUAN: ContactInput = JUAN_TYPED;

/** As the recipient picker hands it over: the WhatsApp user id and the label the person chose. */
const MARIA: Recipient = { id: '593991234567', label: 'María López · +593 99 123 4567' };

type Shot = Readonly<{
  name: string;
  json: unknown;
  page: (json: unknown, names: Names) => string;
  width: number;
}>;

function buildShots(): Shot[] {
  const form = cardFormView({
    locale: 'en',
    channelId: CHANNEL_ID,
    rows: INITIAL_ROWS,
    contact: JUAN,
    recipients: [MARIA],
  });

  // The same steps as the form's submission handler, so the preview is the one the app would show.
  const message = buildContactsMessage(`+${MARIA.id}`, [JUAN]);
  const metadata: PreviewContent = {
    channelId: CHANNEL_ID,
    recipients: [{ id: message.userId, label: MARIA.label }],
    contacts: message.contacts,
  };
  const privateMetadata = encodeMetadata(metadata);
  if (privateMetadata === undefined) throw new Error('the example card does not fit private_metadata');
  const preview = previewView({
    locale: 'en',
    recipientLabels: [MARIA.label],
    contacts: message.contacts,
    privateMetadata,
  });

  const sent: SendRecord = {
    id: '7d1f6c2e-3b8a-4f0d-9c5e-2a4b6d8f0e13',
    submissionKey: undefined,
    teamId: 'T024BE7LD',
    requestedBy: USER_ID,
    channelId: CHANNEL_ID,
    recipientId: message.userId,
    recipientLabel: MARIA.label,
    cardName: JUAN.formattedName ?? '',
    body: JSON.stringify(message),
    dryRun: false,
    locale: 'en',
    status: 'sent',
    attempts: 1,
    messageId: '3f9c1e2a-5b7d-4c8e-9a1f-2d6b8e4c7a10',
    errorCode: undefined,
    errorStatus: undefined,
    reason: undefined,
    notification: { kind: 'message', channel: CHANNEL_ID, ts: '1735689600.000100' },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:02.000Z',
  };

  // One card to three people: one outside WhatsApp's 24-hour window, so Retry is offered for them.
  const batchId = '0b6f2c84-9d3e-4a17-8f5b-6c2e1d9a4b70';
  const people = [
    MARIA,
    { id: '593987654321', label: 'Pedro Andrade · +593 98 765 4321' },
    { id: '573001234567', label: 'Camila Rojas · +57 300 123 4567' },
  ];
  const batch: SendRecord[] = people.map((person, i) => ({
    ...sent,
    id: `${batchId.slice(0, -1)}${i}`,
    batchId,
    recipientId: person.id,
    recipientLabel: person.label,
    body: JSON.stringify({ ...message, userId: person.id }),
    ...(i === 1
      ? {
          status: 'failed' as const,
          messageId: undefined,
          errorCode: JelouCode.MessageCouldNotBeSend,
          errorStatus: 400,
          reason: REASONS[JelouCode.MessageCouldNotBeSend],
        }
      : { messageId: `3f9c1e2a-5b7d-4c8e-9a1f-2d6b8e4c7a1${i}` }),
  }));

  return [
    { name: 'modal', json: form, page: modalPage, width: PAGE_WIDTH.modal },
    { name: 'preview', json: preview, page: modalPage, width: PAGE_WIDTH.modal },
    { name: 'notification', json: notificationMessage(sent), page: messagePage, width: PAGE_WIDTH.message },
    {
      name: 'batch',
      json: notificationMessage(batch[0] ?? sent, batch),
      page: messagePage,
      width: PAGE_WIDTH.message,
    },
  ];
}

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
    return shot.page(saved, NAMES);
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
