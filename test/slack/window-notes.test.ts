/** What the preview says of WhatsApp's 24-hour window, and the background read that lets it know. */
import { Writable } from 'node:stream';
import type { ActionsBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildContactsMessage } from '../../src/card/index.js';
import { createLogger } from '../../src/logging.js';
import { ActionId, BlockId, WindowNoteBlockId } from '../../src/slack/ids.js';
import { warmLastWrites } from '../../src/slack/listeners/preview.js';
import { previewView } from '../../src/slack/views/preview.js';
import { windowNote } from '../../src/slack/window-notes.js';
import { JUAN, NOW, RECIPIENT } from './cards.js';

const HOUR = 60 * 60_000;
const MARIA = { id: '593991234567', label: 'María López · +593 99 123 4567' };
const ANA = { id: '593997654321', label: 'Ana Torres · +593 99 765 4321' };
const now = NOW.getTime();

describe('windowNote', () => {
  const wrote = (hoursAgo: number) => ({ kind: 'seen' as const, at: new Date(now - hoursAgo * HOUR) });

  it('tells open, closed and unknown apart for one recipient', () => {
    expect(windowNote([MARIA], () => wrote(2), 'en', now)?.state).toBe('open');
    expect(windowNote([MARIA], () => wrote(72), 'en', now)?.state).toBe('closed');
    expect(windowNote([MARIA], () => ({ kind: 'unknown' }), 'en', now)?.state).toBe('unknown');
    // Seen only as someone the bot wrote to: when they wrote is not known.
    expect(windowNote([MARIA], () => ({ kind: 'seen' }), 'es', now)?.state).toBe('unknown');
  });

  it('says nothing for several unless some are known closed', () => {
    expect(windowNote([MARIA, ANA], () => wrote(2), 'en', now)).toBeUndefined();
    const closed = windowNote([MARIA, ANA], (id) => (id === ANA.id ? wrote(30) : wrote(1)), 'en', now);
    expect(closed?.state).toBe('closed');
  });
});

describe('the preview with a window note', () => {
  it('puts it under the recipient, in a block whose id says its state', () => {
    const [contact] = buildContactsMessage(RECIPIENT, [JUAN], { now: NOW }).contacts;
    if (!contact) throw new Error('no contact');
    const view = previewView({
      locale: 'en',
      recipientLabels: [MARIA.label],
      contacts: [contact],
      privateMetadata: '{}',
      window: { state: 'closed', text: 'closed' },
    });
    expect(view.blocks[1]).toEqual({
      type: 'context',
      block_id: WindowNoteBlockId.closed,
      elements: [{ type: 'mrkdwn', text: 'closed' }],
    });
  });
});

describe('"Send a template first" on the preview', () => {
  it("comes first among the preview's buttons when offered, and not otherwise", () => {
    const [contact] = buildContactsMessage(RECIPIENT, [JUAN], { now: NOW }).contacts;
    if (!contact) throw new Error('no contact');
    const buttonsOf = (offerTemplate: boolean) =>
      previewView({
        locale: 'es',
        recipientLabels: [MARIA.label],
        contacts: [contact],
        privateMetadata: '{}',
        offerTemplate,
      }).blocks.flatMap((block) =>
        block.type === 'actions' && block.block_id === BlockId.PreviewActions
          ? (block as ActionsBlock).elements.map((element) =>
              'action_id' in element ? element.action_id : undefined,
            )
          : [],
      );
    expect(buttonsOf(true)).toEqual([ActionId.TemplateFromPreview, ActionId.BackToEdit, ActionId.AddContact]);
    expect(buttonsOf(false)).toEqual([ActionId.BackToEdit, ActionId.AddContact]);
  });
});

describe('warmLastWrites', () => {
  it('logs a failed read of the history instead of throwing', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      warmLastWrites({
        logger,
        recipients: {
          recentUsers: () => Promise.reject(new Error('jelou is down')),
          userState: () => Promise.resolve({ kind: 'unavailable' }),
          lastWriteKnown: () => ({ kind: 'unknown' }),
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(lines.map((line) => JSON.parse(line).msg)).toContain(
      'could not read the bot history ahead of a preview',
    );
  });
});
