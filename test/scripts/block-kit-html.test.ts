/**
 * The README's pictures are drawn by scripts/block-kit-html.ts from the app's own views. Every
 * view the app builds must be drawn whole (each block and element in the view has its drawing,
 * in order), an element, block, emoji or date the renderer does not know must stop it, and
 * mentions must show names as Slack does. The pictures scripts/shots.ts builds must be drawable
 * and each be in the README. No Chromium: only the HTML is checked.
 */
import { readFileSync } from 'node:fs';
import type { AnyBlock, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  homePage,
  inventedWords,
  messagePage,
  modalPage,
  type Names,
  UnsupportedBlockKitError,
} from '../../scripts/block-kit-html.js';
import { buildShots, NAMES as SHOT_NAMES } from '../../scripts/shots.js';
import { buildContactsMessage } from '../../src/card/index.js';
import { ErrorCode, sentenceFor } from '../../src/errors.js';
import { OwnCode, REASONS } from '../../src/jelou/reasons.js';
import type { Template } from '../../src/jelou/templates.js';
import { catalogue, type Locale } from '../../src/slack/i18n/index.js';
import type { Recipient } from '../../src/slack/metadata.js';
import { cardFormView, INITIAL_ROWS } from '../../src/slack/views/card-form.js';
import { historyMessage, homeView } from '../../src/slack/views/history.js';
import { messageView } from '../../src/slack/views/message.js';
import { directNotificationMessage, notificationMessage } from '../../src/slack/views/notification.js';
import { previewView } from '../../src/slack/views/preview.js';
import { prefilledValues, templateModal } from '../../src/slack/views/template.js';
import { importView } from '../../src/slack/views/vcf-import.js';
import { windowNote } from '../../src/slack/window-notes.js';
import { RECEIPTS, type SendRecord, type SendStatus } from '../../src/store/types.js';
import { sendRecord } from '../slack/helpers.js';
import { JUAN_TYPED } from '../support/juan.js';

const CHANNEL = 'C0SUPPORT';
const ALICE = 'U0ALICE';
const NAMES: Names = { users: { [ALICE]: 'Alice Ruiz' }, channels: { [CHANNEL]: 'support' } };
const MARIA: Recipient = { id: '593991234567', label: 'María López · +593 99 123 4567' };
const PEDRO: Recipient = { id: '593987654321', label: 'Pedro Andrade · +593 98 765 4321' };

/** The moment every picture here is seen, for `{ago}`; María last wrote three days before. */
const NOW = new Date('2025-06-04T12:00:00.000Z');
const THREE_DAYS_AGO = new Date('2025-06-01T11:00:00.000Z');

const FOLLOW_UP: Template = {
  elementName: 'card_follow_up',
  label: 'Card follow-up',
  language: 'es',
  paramsNumber: 2,
  text: 'Hola {{1}}, {{2}} quiere enviarte una tarjeta de contacto.',
};
const HELLO_AGAIN: Template = {
  elementName: 'hello_again',
  label: 'Hello again',
  language: 'en',
  paramsNumber: 1,
  text: undefined,
};

/** A view and how to draw it: drawn inside its test, so a view that cannot be drawn fails that test alone. */
type Drawn = Readonly<{ name: string; json: { blocks?: readonly AnyBlock[] }; draw: () => string }>;

/** The element types a view's blocks hold, in the order Slack lays them out. */
function elementTypes(blocks: readonly AnyBlock[]): string[] {
  // The views build only known blocks; AnyBlock is how @slack/types types a view's list.
  return (blocks as readonly KnownBlock[]).flatMap((block): string[] => {
    switch (block.type) {
      case 'input':
        return [block.element.type];
      case 'section':
        return block.accessory ? [block.accessory.type] : [];
      case 'actions':
      case 'context':
        return block.elements.map((element) => element.type);
      default:
        return [];
    }
  });
}

const marks = (html: string, attribute: 'data-block' | 'data-element'): string[] =>
  [...html.matchAll(new RegExp(`${attribute}="([a-z_]+)"`, 'g'))].map((match) => match[1] ?? '');

/** The text of each mention the page shows. */
const mentions = (html: string): string[] =>
  [...html.matchAll(/<span class="mention">([^<]*)<\/span>/g)].map((match) => match[1] ?? '');

/** A card's wait behind the template `FOLLOW_UP`, sent (`templateMessageId`) or not yet confirmed. */
const waitingBehind = (templateMessageId: string | undefined) => ({
  template: FOLLOW_UP.elementName,
  since: '2025-06-01T12:02:00.000Z',
  until: '2025-06-04T12:02:00.000Z',
  templateMessageId,
});

function sends(): Record<string, SendRecord> {
  const base = sendRecord({ requestedBy: ALICE, channelId: CHANNEL });
  const states: Record<string, Partial<SendRecord>> = {
    pending: { status: 'pending' },
    sending: { status: 'sending' },
    sent: { status: 'sent', messageId: 'msg-1' },
    sentDryRun: { status: 'sent', dryRun: true, messageId: 'msg-1' },
    failed: {
      status: 'failed',
      attempts: 2,
      reason: { en: 'WhatsApp did not allow it.', es: 'WhatsApp no lo permitió.' },
    },
    unknown: {
      status: 'unknown',
      reason: { en: 'Jelou did not answer.', es: 'Jelou no respondió.' },
    },
    refusedByWindow: {
      status: 'failed',
      errorCode: OwnCode.OutsideWindow,
      errorStatus: 400,
      reason: REASONS[OwnCode.OutsideWindow],
    },
    ...Object.fromEntries(
      RECEIPTS.map((receipt): [string, Partial<SendRecord>] => [
        `receipt-${receipt}`,
        { status: 'sent', messageId: 'msg-1', receipt },
      ]),
    ),
    failedAfterAcceptance: {
      status: 'failed',
      messageId: 'msg-1',
      receipt: 'delivered_channel',
      errorCode: ErrorCode.FailedAfterAcceptance,
      reason: sentenceFor(ErrorCode.FailedAfterAcceptance),
    },
    waitingOutOutage: {
      status: 'pending',
      attempts: 2,
      errorCode: OwnCode.Unavailable,
      reason: REASONS[OwnCode.Unavailable],
      nextAttemptAt: '2025-06-01T12:05:00.000Z',
      retryUntil: '2025-06-01T12:15:00.000Z',
    },
    awaitingTemplateSent: { status: 'awaiting_reply', awaiting: waitingBehind('hsm-1') },
    awaitingTemplateSending: { status: 'awaiting_reply', awaiting: waitingBehind(undefined) },
    awaitingTemplateUnconfirmed: {
      status: 'awaiting_reply',
      awaiting: waitingBehind(undefined),
      errorCode: 'timeout_unknown',
      reason: REASONS.timeout_unknown,
    },
    sentAfterReply: { status: 'sent', messageId: 'msg-1', repliedAt: '2025-06-02T09:00:00.000Z' },
  };
  return Object.fromEntries(Object.entries(states).map(([name, state]) => [name, { ...base, ...state }]));
}

function everyView(locale: Locale): Drawn[] {
  const t = catalogue(locale);
  const message = buildContactsMessage(`+${MARIA.id}`, [JUAN_TYPED]);
  const preview = (labels: string[], contacts = message.contacts) =>
    previewView({ locale, recipientLabels: labels, contacts, privateMetadata: '' });
  const previewWith = (recipients: Recipient[], lastWrite: Parameters<typeof windowNote>[1]) =>
    previewView({
      locale,
      recipientLabels: recipients.map((recipient) => recipient.label),
      contacts: message.contacts,
      privateMetadata: '',
      window: windowNote(recipients, lastWrite, locale, NOW.getTime()),
    });
  const template = (shown: Pick<Parameters<typeof templateModal>[0], 'templates' | 'chosen'>) =>
    templateModal({
      state: { sendId: 'send-1', generation: 0 },
      locale,
      recipientLabel: MARIA.label,
      cardName: 'Juan Pérez',
      ...shown,
    });
  const modals = {
    emptyForm: cardFormView({ locale, channelId: CHANNEL, rows: INITIAL_ROWS, contact: {} }),
    filledForm: cardFormView({
      locale,
      channelId: CHANNEL,
      rows: { phone: 2, email: 2, address: 2 },
      contact: JUAN_TYPED,
      recipients: [MARIA, PEDRO],
      hint: t.command.hint('abc'),
    }),
    // The global shortcut's form asks where the result goes (a conversations_select).
    shortcutForm: cardFormView({ locale, rows: INITIAL_ROWS, contact: {}, resultChannel: CHANNEL }),
    messageShortcutForm: cardFormView({
      locale,
      channelId: CHANNEL,
      threadTs: '1700000000.000100',
      rows: INITIAL_ROWS,
      contact: {},
      recipients: [MARIA],
      hint: t.messageShortcut.noNumbers,
    }),
    importFromShortcut: importView({ locale, recipients: [MARIA] }),
    importInChannel: importView({ locale, channelId: CHANNEL }),
    preview: preview([MARIA.label]),
    previewSeveral: preview(
      [MARIA.label, PEDRO.label],
      [...message.contacts, ...message.contacts.map((c) => ({ ...c }))],
    ),
    // When each customer last wrote, as the form's submission handler notes it (issue 15).
    previewWindowClosed: previewWith([MARIA], () => ({ kind: 'seen', at: THREE_DAYS_AGO })),
    previewWindowOpen: previewWith([MARIA], () => ({ kind: 'seen', at: new Date('2025-06-04T09:00:00Z') })),
    previewWindowUnknown: previewWith([MARIA], () => ({ kind: 'unknown' })),
    previewWindowClosedMany: previewWith([MARIA, PEDRO], () => ({ kind: 'seen', at: THREE_DAYS_AGO })),
    refusal: messageView(t.command.notAllowed, locale),
    templateLoading: template({ templates: undefined }),
    templateUnavailable: template({ templates: 'unavailable' }),
    templateNone: template({ templates: [] }),
    templateToPick: template({ templates: [FOLLOW_UP, HELLO_AGAIN] }),
    templatePicked: template({
      templates: [FOLLOW_UP, HELLO_AGAIN],
      chosen: { template: FOLLOW_UP, values: prefilledValues(FOLLOW_UP.paramsNumber, 'María', 'Alice') },
    }),
    templatePickedWithoutText: template({
      templates: [FOLLOW_UP, HELLO_AGAIN],
      chosen: { template: HELLO_AGAIN, values: [''] },
    }),
  };
  const entries = Object.entries(sends()).map(([name, send]) => [name, { ...send, locale }] as const);
  const all = entries.map(([, send]) => send);
  const batchId = 'batch-1';
  const batch = all.map((send, i) => ({ ...send, id: `send-${i}`, batchId }));
  const first = batch[0] ?? all[0];
  if (!first) throw new Error('no sends');
  const messages: Record<string, unknown> = {
    ...Object.fromEntries(entries.map(([name, send]) => [`notification-${name}`, notificationMessage(send)])),
    ...Object.fromEntries(entries.map(([name, send]) => [`direct-${name}`, directNotificationMessage(send)])),
    batch: notificationMessage(first, batch),
    directBatch: directNotificationMessage(first, batch),
    history: historyMessage(all, locale),
    historyEmpty: historyMessage([], locale),
    help: { text: t.command.help },
  };
  const counts: Record<SendStatus, number> = {
    pending: 1,
    sending: 0,
    sent: 3,
    failed: 1,
    unknown: 1,
    awaiting_reply: 1,
  };
  return [
    ...Object.entries(modals).map(([name, json]) => ({
      name,
      json,
      draw: () => modalPage(json, NAMES, NOW),
    })),
    ...Object.entries(messages).map(([name, json]) => ({
      name,
      json: json as Drawn['json'],
      draw: () => messagePage(json, NAMES, NOW),
    })),
    {
      name: 'home',
      json: homeView(all, counts, locale),
      draw: () => homePage(homeView(all, counts, locale), NAMES, NOW),
    },
    {
      name: 'homeEmpty',
      json: homeView([], counts, locale),
      draw: () => homePage(homeView([], counts, locale), NAMES, NOW),
    },
  ];
}

describe('every view the app builds is drawn whole', () => {
  for (const locale of ['en', 'es'] as const) {
    for (const view of everyView(locale)) {
      it(`${locale}: ${view.name}`, () => {
        const blocks = view.json.blocks ?? [];
        const html = view.draw();
        expect(marks(html, 'data-block')).toEqual(blocks.map((block) => block.type));
        expect(marks(html, 'data-element')).toEqual(elementTypes(blocks));
        expect(inventedWords(html, view.json, NAMES)).toEqual([]);
      });
    }
  }

  it('draws the chosen recipients of the multi-select as chips, and its placeholder when none', () => {
    const t = catalogue('en');
    const chosen = modalPage(
      cardFormView({
        locale: 'en',
        channelId: CHANNEL,
        rows: INITIAL_ROWS,
        contact: {},
        recipients: [MARIA, PEDRO],
      }),
    );
    const chips = [...chosen.matchAll(/<span class="chip">([^<]*)<span class="chip-x">/g)].map((m) => m[1]);
    expect(chips).toEqual([MARIA.label, PEDRO.label]);
    const empty = modalPage(
      cardFormView({ locale: 'en', channelId: CHANNEL, rows: INITIAL_ROWS, contact: {} }),
    );
    const picker =
      /<div class="field placeholder" data-element="multi_external_select"><span class="value">([^<]*)<\/span>/.exec(
        empty,
      );
    expect(picker?.[1]).toBe(t.fields.recipientPlaceholder);
  });
});

describe('mentions', () => {
  it("shows a user mention as the person's name and a channel as #name, never the id", () => {
    const send = sendRecord({ requestedBy: ALICE, channelId: CHANNEL, status: 'sent' });
    expect(mentions(messagePage(notificationMessage(send), NAMES))).toEqual(['@Alice Ruiz']);
    expect(mentions(messagePage(directNotificationMessage(send), NAMES))).toEqual([
      '#support',
      '@Alice Ruiz',
    ]);
  });

  it('shows the chosen channel of a conversations_select as #name', () => {
    const html = modalPage(
      cardFormView({ locale: 'en', rows: INITIAL_ROWS, contact: {}, resultChannel: CHANNEL }),
      NAMES,
    );
    const shown = /data-element="conversations_select"><span class="value">([^<]*)<\/span>/.exec(html);
    expect(shown?.[1]).toBe('#support');
  });

  it('stops on a mention whose name was not given', () => {
    const send = sendRecord({ requestedBy: 'U0NOBODY', status: 'sent' });
    const draw = () => messagePage(notificationMessage(send), NAMES);
    expect(draw).toThrow(UnsupportedBlockKitError);
    expect(draw).toThrow(
      expect.objectContaining({ kind: 'user', type: 'U0NOBODY', where: 'blocks[0].text' }),
    );
  });
});

describe('dates', () => {
  const dated = (token: string) => ({
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `<!date^1735738200^${token}|fallback>` } }],
  });
  const shown = (html: string) => /<time>([^<]*)<\/time>/.exec(html)?.[1];

  it('writes <!date^…> out as Slack does for a reader in UTC, not the fallback', () => {
    expect(shown(messagePage(dated('{date_short_pretty} {time}')))).toBe('Jan 1, 2025 1:30 PM');
    expect(shown(messagePage(dated('{date_num}')))).toBe('2025-01-01');
    expect(shown(messagePage(dated('{date_long}')))).toBe('Wednesday, January 1st, 2025');
  });

  it('draws the dates of the history and App Home', () => {
    const send = sendRecord({ status: 'sent', createdAt: '2025-01-01T13:30:00.000Z' });
    const times = (html: string) => [...html.matchAll(/<time>([^<]*)<\/time>/g)].map((m) => m[1]);
    expect(times(messagePage(historyMessage([send], 'en'), NAMES))).toEqual(['Jan 1, 2025 1:30 PM']);
  });

  it('writes {ago} from the moment the picture is seen, and stops when it is not given', () => {
    const ago = {
      blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: '<!date^1735729200^{ago}|x>' }] }],
    };
    // 2025-01-01T11:00Z, seen three days and an hour later.
    expect(shown(messagePage(ago, {}, new Date('2025-01-04T12:00:00Z')))).toBe('3 days ago');
    expect(shown(messagePage(ago, {}, new Date('2025-01-01T12:00:00Z')))).toBe('1 hour ago');
    expect(() => messagePage(ago)).toThrow(
      expect.objectContaining({ kind: 'date token', type: 'ago', where: 'blocks[0].elements[0]' }),
    );
  });

  it('draws how long ago the customer last wrote in the preview', () => {
    const window = windowNote([MARIA], () => ({ kind: 'seen', at: THREE_DAYS_AGO }), 'en', NOW.getTime());
    const view = previewView({
      locale: 'en',
      recipientLabels: [MARIA.label],
      contacts: buildContactsMessage(`+${MARIA.id}`, [JUAN_TYPED]).contacts,
      privateMetadata: '',
      window,
    });
    expect(shown(modalPage(view, NAMES, NOW))).toBe('3 days ago');
  });

  it('stops on a date token Slack does not document', () => {
    expect(() => messagePage(dated('{weekday}'))).toThrow(
      expect.objectContaining({ kind: 'date token', type: 'weekday', where: 'blocks[0].text' }),
    );
  });
});

describe('what the renderer cannot draw stops it', () => {
  const modal = (blocks: unknown[]) => ({
    type: 'modal',
    title: { type: 'plain_text', text: 'T' },
    blocks,
  });

  it('names an unknown element and where it is', () => {
    const view = modal([
      { type: 'divider' },
      { type: 'input', label: { type: 'plain_text', text: 'Notes' }, element: { type: 'rich_text_input' } },
    ]);
    expect(() => modalPage(view)).toThrow(
      expect.objectContaining({ kind: 'element', type: 'rich_text_input', where: 'blocks[1].element' }),
    );
    expect(() => modalPage(view)).toThrow(/rich_text_input/);
  });

  it('names an unknown element in an actions block, a context block and an accessory', () => {
    const cases: [unknown, string][] = [
      [
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Go' } },
            { type: 'workflow_button' },
          ],
        },
        'blocks[0].elements[1]',
      ],
      [{ type: 'context', elements: [{ type: 'image' }] }, 'blocks[0].elements[0]'],
      [
        { type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: { type: 'image' } },
        'blocks[0].accessory',
      ],
    ];
    for (const [block, where] of cases) {
      expect(() => messagePage({ blocks: [block] })).toThrow(
        expect.objectContaining({ kind: 'element', where }),
      );
    }
  });

  it('names an emoji shortcode it has no drawing for, instead of showing it as text', () => {
    const text = (value: string) => ({
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: value } }],
    });
    expect(() => messagePage(text(':tada: done'))).toThrow(
      expect.objectContaining({ kind: 'emoji', type: 'tada', where: 'blocks[0].text' }),
    );
    expect(messagePage(text(':speech_balloon: waits'))).toContain('<span class="emoji">💬</span>');
  });

  it('names an unknown block', () => {
    expect(() => messagePage({ blocks: [{ type: 'video' }] })).toThrow(
      expect.objectContaining({ kind: 'block', type: 'video', where: 'blocks[0]' }),
    );
  });
});

describe("the README's pictures", () => {
  const shots = buildShots();
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  /** The pictures the README shows, by name (`docs/images/<name>.png`). */
  const shown = [...readme.matchAll(/<img src="docs\/images\/([a-z0-9-]+)\.png"/g)].map((m) => m[1]);

  for (const shot of shots) {
    it(`${shot.name}: drawn whole, with names for mentions, and shown in the README`, () => {
      const html = shot.page(shot.json, SHOT_NAMES, shot.now);
      const blocks = (shot.json as Drawn['json']).blocks ?? [];
      expect(marks(html, 'data-block')).toEqual(blocks.map((block) => block.type));
      expect(marks(html, 'data-element')).toEqual(elementTypes(blocks));
      expect(inventedWords(html, shot.json, SHOT_NAMES)).toEqual([]);
      const people = Object.values(SHOT_NAMES.users ?? {}).map((name) => `@${name}`);
      for (const shownMention of mentions(html)) expect(people).toContain(shownMention);
      expect(shown).toContain(shot.name);
    });
  }

  it('every picture in the README is one the script draws, each once', () => {
    const names = shots.map((shot) => shot.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...new Set(shown)].sort()).toEqual([...names].sort());
  });
});
