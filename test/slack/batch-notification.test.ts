/** The one notification of a batch (a card to several people), as data, in both languages and at Slack's limits. */
import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../src/slack/i18n/index.js';
import { ActionId, batchLineBlockId, batchTemplateBlockId } from '../../src/slack/ids.js';
import { MAX_RECIPIENTS } from '../../src/slack/metadata.js';
import { directNotificationMessage, notificationMessage } from '../../src/slack/views/notification.js';
import type { SendRecord, SendStatus } from '../../src/store/types.js';
import { shownTexts } from '../support/blocks.js';
import { blockLimitViolations, sendRecord } from './helpers.js';

const WINDOW = {
  en: 'The customer has not written to us in the last 24 hours, so WhatsApp did not allow the card.',
  es: 'El cliente no nos ha escrito en las últimas 24 horas, así que WhatsApp no permitió la tarjeta.',
};
const TIMEOUT = { en: 'Jelou did not answer in time.', es: 'Jelou no respondió a tiempo.' };

const PEOPLE = [
  { id: '593991234567', label: 'María López · +593 99 123 4567' },
  { id: '525512345678', label: 'Pedro <b> · +52 55 1234 5678' },
  { id: '12025550143', label: '+1 202-555-0143' },
  { id: '573001234567', label: 'Lucía · +57 300 1234567' },
];

/** A batch of sends to PEOPLE, the first `states.length` of them, in those states. */
function batch(states: readonly SendStatus[], overrides: Partial<SendRecord> = {}): SendRecord[] {
  return states.map((status, i) =>
    sendRecord({
      id: `send-${i}`,
      batchId: 'batch-1',
      recipientId: PEOPLE[i]?.id ?? '593990000000',
      recipientLabel: PEOPLE[i]?.label ?? 'Someone',
      status,
      messageId: status === 'sent' ? `msg_${i}` : undefined,
      reason: status === 'failed' ? WINDOW : status === 'unknown' ? TIMEOUT : undefined,
      ...overrides,
    }),
  );
}

function lineSections(blocks: readonly KnownBlock[]): SectionBlock[] {
  return blocks.filter(
    (block): block is SectionBlock => block.type === 'section' && block.block_id !== undefined,
  );
}

function buttonOf(section: SectionBlock | undefined): Button | undefined {
  return section?.accessory?.type === 'button' ? section.accessory : undefined;
}

describe('notificationMessage for a batch', () => {
  it('in English: counts in the headline, then a line per person with their state, message id or reason', () => {
    const sends = batch(['sent', 'failed', 'sending']);
    const [first] = sends;
    if (!first) throw new Error('empty batch');
    const message = notificationMessage(first, sends);
    const headline =
      ':hourglass_flowing_sand: *Juan Pérez* to 3 people on WhatsApp (requested by <@U0ALICE>)\n' +
      '*1 sent* · 1 not sent · 0 uncertain · 1 in progress';
    expect(message.text).toBe(headline);
    expect(message.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: headline } });
    const lines = lineSections(message.blocks);
    expect(lines.map((line) => [line.block_id, line.text?.text])).toEqual([
      [
        batchLineBlockId(0),
        ':white_check_mark: María López · +593 99 123 4567 · sent · Jelou message id: `msg_0`',
      ],
      [batchLineBlockId(1), `:x: Pedro &lt;b&gt; · +52 55 1234 5678 · not sent · *Why:* ${WINDOW.en}`],
      [batchLineBlockId(2), ':hourglass_flowing_sand: +1 202-555-0143 · sending'],
    ]);
    expect(buttonOf(lines[0])).toBeUndefined();
    expect(buttonOf(lines[1])).toEqual({
      type: 'button',
      action_id: ActionId.Retry,
      text: { type: 'plain_text', text: 'Retry', emoji: true },
      value: 'send-1',
      style: 'primary',
    });
    expect(buttonOf(lines[2])).toBeUndefined();
  });

  it("in the requester's Spanish, whoever's send changed", () => {
    const sends = batch(['sent', 'failed', 'unknown'], { locale: 'es' });
    const last = sends[2];
    if (!last) throw new Error('empty batch');
    const message = notificationMessage(last, sends);
    expect(message.text).toBe(
      ':x: *Juan Pérez* para 3 personas por WhatsApp (solicitado por <@U0ALICE>)\n' +
        '*1 enviadas* · 1 no enviadas · 1 inciertas · 0 en curso',
    );
    const lines = lineSections(message.blocks);
    expect(lines.map((line) => line.text?.text)).toEqual([
      ':white_check_mark: María López · +593 99 123 4567 · enviada · ID del mensaje en Jelou: `msg_0`',
      `:x: Pedro &lt;b&gt; · +52 55 1234 5678 · no enviada · *Motivo:* ${WINDOW.es}`,
      `:warning: +1 202-555-0143 · puede que haya llegado o no · *Motivo:* ${TIMEOUT.es}`,
    ]);
    expect(lines.map((line) => buttonOf(line)?.text.text)).toEqual([
      undefined,
      'Reintentar',
      'Enviar de nuevo de todos modos',
    ]);
    // Once, under the headline: check with the customer before sending again.
    expect(message.blocks[1]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Confírmalo con el cliente antes de volver a enviarla, para que no la reciba dos veces.',
        },
      ],
    });
  });

  it('an uncertain send gets "Send again anyway" carrying its id, and the advice once', () => {
    const sends = batch(['unknown', 'unknown', 'sent']);
    const message = notificationMessage(sends[0] ?? sendRecord(), sends);
    expect(message.text).toMatch(/^:warning: .*\n\*1 sent\* · 0 not sent · 2 uncertain · 0 in progress$/u);
    const buttons = lineSections(message.blocks).map(buttonOf);
    expect(buttons.map((button) => [button?.action_id, button?.value])).toEqual([
      [ActionId.SendAgainAnyway, 'send-0'],
      [ActionId.SendAgainAnyway, 'send-1'],
      [undefined, undefined],
    ]);
    // The advice is one note under the headline, not repeated on each uncertain line.
    expect(message.blocks[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: CATALOGUES.en.notification.unknownAdvice }],
    });
    expect(
      shownTexts(message.blocks).filter((text) => text === CATALOGUES.en.notification.unknownAdvice),
    ).toHaveLength(1);
  });

  it('all sent: a check mark and no buttons; attempts beyond the first are shown', () => {
    const sends = batch(['sent', 'sent', 'sent', 'sent']).map((send, i) =>
      i === 1 ? { ...send, attempts: 2 } : send,
    );
    const message = notificationMessage(sends[0] ?? sendRecord(), sends);
    expect(message.text).toBe(
      ':white_check_mark: *Juan Pérez* to 4 people on WhatsApp (requested by <@U0ALICE>)\n' +
        '*4 sent* · 0 not sent · 0 uncertain · 0 in progress',
    );
    expect(lineSections(message.blocks).map(buttonOf)).toEqual([undefined, undefined, undefined, undefined]);
    expect(lineSections(message.blocks)[1]?.text?.text).toMatch(/ · Attempt 2$/u);
  });

  it('in dry run: says nothing reached WhatsApp', () => {
    const sends = batch(['sent', 'sent'], { dryRun: true, messageId: 'dry-run' });
    const message = notificationMessage(sends[0] ?? sendRecord(), sends);
    expect(message.blocks[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: CATALOGUES.en.notification.batchDryRun }],
    });
    expect(lineSections(message.blocks)[0]?.text?.text).toMatch(/ · sent \(dry run\) · /u);
  });

  it('a line the 24-hour window refused gets "Send a template first" under it, carrying its send id', () => {
    const sends = batch(['sent', 'failed', 'failed']).map((send, i) =>
      i === 1 ? { ...send, errorCode: 'outside_24h_window' } : send,
    );
    const message = notificationMessage(sends[0] ?? sendRecord(), sends);
    const under = message.blocks.find((block) => block.block_id === batchTemplateBlockId(1));
    expect(under).toEqual({
      type: 'actions',
      block_id: batchTemplateBlockId(1),
      elements: [
        {
          type: 'button',
          action_id: ActionId.SendTemplate,
          text: { type: 'plain_text', text: 'Send a template first', emoji: true },
          value: 'send-1',
        },
      ],
    });
    // Right under its own line; a failure for another reason gets none, and each keeps its Retry.
    const ids = message.blocks.map((block) => block.block_id);
    expect(ids.indexOf(batchTemplateBlockId(1))).toBe(ids.indexOf(batchLineBlockId(1)) + 1);
    expect(ids).not.toContain(batchTemplateBlockId(2));
    expect(lineSections(message.blocks).map((line) => buttonOf(line)?.action_id)).toEqual([
      undefined,
      ActionId.Retry,
      ActionId.Retry,
    ]);
  });

  it('a line whose card waits behind a template says where the template stands, with Cancel', () => {
    const since = '2026-12-01T14:02:00.000Z';
    const sends = batch(['sent', 'awaiting_reply']).map((send, i) =>
      i === 1
        ? {
            ...send,
            awaiting: {
              template: 'card_follow_up',
              since,
              until: '2026-12-04T14:02:00.000Z',
              templateMessageId: 'hsm_1',
            },
          }
        : send,
    );
    const message = notificationMessage(sends[0] ?? sendRecord(), sends);
    const line = lineSections(message.blocks)[1];
    expect(line?.text?.text).toBe(
      [
        ':speech_balloon: Pedro &lt;b&gt; · +52 55 1234 5678',
        CATALOGUES.en.history.status.awaiting_reply,
        CATALOGUES.en.notification.templateSent(
          'card_follow_up',
          `<!date^${Date.parse(since) / 1000}^{time}|14:02 UTC>`,
          'Pedro &lt;b&gt;',
        ),
      ].join(' · '),
    );
    expect(buttonOf(line)?.action_id).toBe(ActionId.CancelWaitingSend);
    expect(message.text).toMatch(/\n\*1 sent\* · 0 not sent · 0 uncertain · 1 in progress$/u);
  });

  it('a send of a batch whose other sends could not be read is shown on its own, as a single send', () => {
    const [send] = batch(['failed']);
    if (!send) throw new Error('empty batch');
    expect(notificationMessage(send, [])).toEqual(notificationMessage({ ...send, batchId: undefined }));
  });

  it('the DM fallback says why it came there, then the same summary', () => {
    const sends = batch(['sent', 'failed']);
    const first = sends[0] ?? sendRecord();
    const direct = directNotificationMessage(first, sends);
    const inChannel = notificationMessage(first, sends);
    expect(direct.blocks.slice(1)).toEqual(inChannel.blocks);
    expect(direct.text).toMatch(/^I couldn't show the result in <#C0SUPPORT>/u);
  });
});

describe('the notification of a batch at Slack limits', () => {
  it.each(['en', 'es'] as const)(
    '%s: twenty people with the longest labels, message ids and reasons fit one message',
    (locale) => {
      const states: SendStatus[] = ['failed', 'unknown', 'sent', 'sending', 'pending'];
      const hostile = '<&>'.repeat(1000);
      const sends = Array.from({ length: MAX_RECIPIENTS }, (_, i) =>
        sendRecord({
          id: `0f8fad5b-d9cb-469f-a165-70867728${String(i).padStart(4, '0')}`,
          batchId: 'batch-20',
          locale,
          status: states[i % states.length] ?? 'failed',
          // Refused by the 24-hour window: the failed lines carry a template button each too.
          errorCode: 'outside_24h_window',
          attempts: 9,
          dryRun: i % 7 === 0,
          recipientLabel: '&'.repeat(200),
          cardName: '<'.repeat(127),
          messageId: hostile,
          reason: { en: hostile, es: hostile },
        }),
      );
      const first = sends[0] ?? sendRecord();
      for (const message of [notificationMessage(first, sends), directNotificationMessage(first, sends)]) {
        expect(blockLimitViolations(message.blocks, 50)).toEqual([]);
        expect(lineSections(message.blocks)).toHaveLength(MAX_RECIPIENTS);
        expect(message.text.length).toBeLessThanOrEqual(3000);
        const templateIds = new Set(sends.map((_, i) => batchTemplateBlockId(i)));
        const templates = message.blocks.filter((block) => templateIds.has(block.block_id ?? ''));
        expect(templates.length).toBe(
          sends.filter((send) => send.status === 'failed' && !send.dryRun).length,
        );
        // Every failed or uncertain line has its button, with its own send's id.
        const buttons = lineSections(message.blocks).map(buttonOf);
        sends.forEach((send, i) => {
          const expected = send.status === 'failed' || send.status === 'unknown' ? send.id : undefined;
          expect(buttons[i]?.value).toBe(expected);
        });
      }
    },
  );
});
