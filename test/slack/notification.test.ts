/** The channel notification of a send, in each state it goes through. */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionId, BlockId } from '../../src/slack/ids.js';
import { userText } from '../../src/slack/mrkdwn.js';
import { mention, notificationMessage } from '../../src/slack/views/notification.js';
import type { SendStatus } from '../../src/store/types.js';
import { sendRecord } from './helpers.js';

const REASON = {
  en: 'WhatsApp did not allow the card, so nothing was sent.',
  es: 'WhatsApp no permitió la tarjeta, así que no se envió nada.',
};
const ADVICE = 'Check with the customer before sending it again, so they do not get it twice.';
const WHO = 'María López · +593 99 123 4567';

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (...lines: string[]): KnownBlock => ({
  type: 'context',
  elements: lines.map((text) => ({ type: 'mrkdwn' as const, text })),
});

function actions(blocks: readonly KnownBlock[]): ActionsBlock[] {
  return blocks.filter((block): block is ActionsBlock => block.type === 'actions');
}

/** "Download .vcf" for the send `id`, as every finished send's notification offers it. */
const download = (id = 'send-1', text = 'Download .vcf') => ({
  type: 'button' as const,
  action_id: ActionId.DownloadVcf,
  text: { type: 'plain_text' as const, text, emoji: true },
  value: id,
});
const downloadOnly = (id = 'send-1'): KnownBlock => ({
  type: 'actions',
  block_id: BlockId.NotificationActions,
  elements: [download(id)],
});

describe('notificationMessage per state', () => {
  it.each<SendStatus>(['pending', 'sending'])('%s: "Sending…", no button', (status) => {
    const text = `:hourglass_flowing_sand: Sending *Juan Pérez* to ${WHO} on WhatsApp… (requested by <@U0ALICE>)`;
    expect(notificationMessage(sendRecord({ status }))).toEqual({ text, blocks: [section(text)] });
  });

  it('sent: says so, shows the Jelou message id, and offers only Download .vcf', () => {
    const message = notificationMessage(sendRecord({ id: 'send-4', status: 'sent', messageId: 'msg-42' }));
    const text = `:white_check_mark: Sent *Juan Pérez* to ${WHO} on WhatsApp (by <@U0ALICE>).`;
    expect(message).toEqual({
      text,
      blocks: [section(text), context('Jelou message id: `msg-42`'), downloadOnly('send-4')],
    });
  });

  it('sent without a message id: the headline and Download .vcf', () => {
    const message = notificationMessage(sendRecord({ id: 'send-5', status: 'sent' }));
    expect(message.blocks).toEqual([section(message.text), downloadOnly('send-5')]);
    expect(message.text).toMatch(/^:white_check_mark: Sent /u);
  });

  it('sent in dry run: says it was a dry run and not sent, no button', () => {
    const message = notificationMessage(sendRecord({ status: 'sent', dryRun: true, messageId: 'dry-run-1' }));
    expect(message.text).toMatch(/Dry run/u);
    expect(message.text).toMatch(/not sent/u);
    expect(message.text).not.toMatch(/:white_check_mark:/u);
    expect(actions(message.blocks)).toEqual([]);
  });

  it('failed: the reason in English by default, and Retry carrying the send id', () => {
    const message = notificationMessage(sendRecord({ id: 'send-7', status: 'failed', reason: REASON }));
    const text = `:x: Could not send *Juan Pérez* to ${WHO} on WhatsApp (requested by <@U0ALICE>).`;
    expect(message).toEqual({
      text,
      blocks: [
        section(text),
        context(`*Why:* ${REASON.en}`),
        {
          type: 'actions',
          block_id: BlockId.NotificationActions,
          elements: [
            {
              type: 'button',
              action_id: ActionId.Retry,
              text: { type: 'plain_text', text: 'Retry', emoji: true },
              value: 'send-7',
              style: 'primary',
            },
            download('send-7'),
          ],
        },
      ],
    });
  });

  it("failed: in the requester's Spanish throughout, the reason included", () => {
    const message = notificationMessage(sendRecord({ status: 'failed', reason: REASON, locale: 'es' }));
    expect(message.text).toBe(
      ':x: No se pudo enviar *Juan Pérez* a María López · +593 99 123 4567 por WhatsApp (solicitado por <@U0ALICE>).',
    );
    expect(message.blocks[1]).toEqual(context(`*Motivo:* ${REASON.es}`));
    expect(message.blocks[2]).toMatchObject({
      elements: [{ text: { text: 'Reintentar' } }, { text: { text: 'Descargar .vcf' } }],
    });
    // The headline, the Spanish reason, the buttons: no place left for the English reason.
    expect(message.blocks).toEqual([section(message.text), message.blocks[1], message.blocks[2]]);
  });

  it('failed without a reason: still offers Retry', () => {
    const message = notificationMessage(sendRecord({ status: 'failed' }));
    expect(message.blocks.map((block) => block.type)).toEqual(['section', 'actions']);
    expect(actions(message.blocks)[0]?.elements[0]).toMatchObject({ action_id: ActionId.Retry });
  });

  it('unknown: the reason, the advice to check with the customer, and "Send again anyway"', () => {
    const message = notificationMessage(sendRecord({ id: 'send-9', status: 'unknown', reason: REASON }));
    const text = `:warning: *Juan Pérez* to ${WHO} may or may not have arrived (requested by <@U0ALICE>).`;
    expect(message).toEqual({
      text,
      blocks: [
        section(text),
        context(`*Why:* ${REASON.en}`, ADVICE),
        {
          type: 'actions',
          block_id: BlockId.NotificationActions,
          elements: [
            {
              type: 'button',
              action_id: ActionId.SendAgainAnyway,
              text: { type: 'plain_text', text: 'Send again anyway', emoji: true },
              value: 'send-9',
            },
            download('send-9'),
          ],
        },
      ],
    });
  });

  it('unknown without a reason: still gives the advice', () => {
    const message = notificationMessage(sendRecord({ status: 'unknown' }));
    expect(message.blocks[1]).toEqual(context(ADVICE));
  });

  it.each<SendStatus>(['pending', 'sending'])('%s: offers no button', (status) => {
    const message = notificationMessage(
      sendRecord({ status, dryRun: false, messageId: 'm', reason: REASON }),
    );
    expect(actions(message.blocks)).toEqual([]);
    // A reason left from an earlier attempt changes nothing in the message.
    expect(message).toEqual(notificationMessage(sendRecord({ status, dryRun: false, messageId: 'm' })));
  });

  it('sent: offers Download .vcf and nothing else, and shows no reason', () => {
    const message = notificationMessage(
      sendRecord({ id: 'send-6', status: 'sent', dryRun: false, messageId: 'm', reason: REASON }),
    );
    expect(actions(message.blocks)).toEqual([downloadOnly('send-6')]);
    expect(message).toEqual(
      notificationMessage(sendRecord({ id: 'send-6', status: 'sent', dryRun: false, messageId: 'm' })),
    );
  });

  it("Download .vcf speaks the requester's language", () => {
    const message = notificationMessage(sendRecord({ id: 'send-8', status: 'sent', locale: 'es' }));
    expect(actions(message.blocks)[0]?.elements).toEqual([download('send-8', 'Descargar .vcf')]);
  });

  it("waiting out a Jelou outage: when it is tried next (in the reader's time zone), why, and Cancel", () => {
    const waiting = sendRecord({
      id: 'send-9',
      status: 'pending',
      reason: REASON,
      attempts: 1,
      nextAttemptAt: '2026-12-01T14:32:00.000Z',
      retryUntil: '2026-12-01T14:45:00.000Z',
    });
    const time = `<!date^${Date.parse('2026-12-01T14:32:00.000Z') / 1000}^{time}|14:32 UTC>`;
    const message = notificationMessage(waiting);
    expect(message.blocks.slice(1)).toEqual([
      context(`Jelou is not answering; trying again at ${time}.`, `*Why:* ${REASON.en}`),
      {
        type: 'actions',
        block_id: BlockId.NotificationActions,
        elements: [
          {
            type: 'button',
            action_id: ActionId.CancelWaitingSend,
            text: { type: 'plain_text', text: 'Cancel', emoji: true },
            value: 'send-9',
          },
        ],
      },
    ]);
    const spanish = notificationMessage({ ...waiting, locale: 'es' });
    expect(spanish.blocks[1]).toEqual(
      context(`Jelou no responde; se volverá a intentar a las ${time}.`, `*Motivo:* ${REASON.es}`),
    );
    expect(actions(spanish.blocks)[0]?.elements[0]).toMatchObject({ text: { text: 'Cancelar' } });
  });

  it('shows the attempt number from the second attempt on', () => {
    expect(
      notificationMessage(sendRecord({ status: 'sent', messageId: 'm', attempts: 3 })).blocks[1],
    ).toEqual(context('Jelou message id: `m`', 'Attempt 3'));
    expect(notificationMessage(sendRecord({ status: 'sending', attempts: 2 })).blocks[1]).toEqual(
      context('Attempt 2'),
    );
    // The first attempt has no attempt line: a failure without a reason is its headline and buttons.
    expect(
      notificationMessage(sendRecord({ status: 'failed', attempts: 1 })).blocks.map((block) => block.type),
    ).toEqual(['section', 'actions']);
  });

  it('escapes what came from people and Jelou', () => {
    const message = notificationMessage(
      sendRecord({
        status: 'failed',
        recipientLabel: '<!channel>',
        cardName: 'A&B <b>',
        reason: { en: '<https://evil|x>', es: '' },
      }),
    );
    expect(message.text).toBe(
      ':x: Could not send *A&amp;B &lt;b&gt;* to &lt;!channel&gt; on WhatsApp (requested by <@U0ALICE>).',
    );
    expect(message.blocks[1]).toEqual(context('*Why:* &lt;https://evil|x&gt;'));
  });

  it('awaiting a reply: names the customer as a person, without the number, and the template asked for', () => {
    const awaiting = {
      template: 'card_follow_up',
      since: '2026-03-02T14:02:00.000Z',
      until: '2026-03-05T14:02:00.000Z',
      templateMessageId: 'hsm-1',
    };
    for (const locale of ['en', 'es'] as const) {
      const message = notificationMessage(sendRecord({ status: 'awaiting_reply', awaiting, locale }));
      const lines = message.blocks.flatMap((block) =>
        block.type === 'context' ? block.elements.flatMap((e) => ('text' in e ? [e.text] : [])) : [],
      );
      const waitingLine = lines.find((line) => line.includes('*card_follow_up*'));
      expect(waitingLine, locale).toBeDefined();
      expect(waitingLine).toContain('María López');
      expect(waitingLine).not.toContain('+593');
    }
  });
});

describe('mention', () => {
  it.each(['U0ALICE', 'W123ABC', 'U1'])('mentions the well-formed user id %s', (id) => {
    expect(mention(id)).toBe(`<@${id}>`);
  });

  it.each([
    ['U123><!channel', 'U123&gt;&lt;!channel'],
    ['<!here>', '&lt;!here&gt;'],
    ['u0alice', 'u0alice'],
    ['U', 'U'],
    ['C0SUPPORT', 'C0SUPPORT'],
    ['U0 ALICE', 'U0 ALICE'],
    ['', ''],
  ])('shows %j as escaped text, not a mention', (id, shown) => {
    expect(mention(id)).toBe(shown);
  });

  it('emits <@…> exactly for ids of the form [UW][A-Z0-9]+, and inert escaped text otherwise', () => {
    const id = fc.oneof(
      fc.stringMatching(/^[UW][A-Z0-9]{1,12}$/u),
      fc.string(),
      fc.constantFrom('U<', 'W>', '<@U1>'),
    );
    fc.assert(
      fc.property(id, (userId) => {
        const wellFormed = /^[UW][A-Z0-9]+$/u.test(userId);
        expect(mention(userId)).toBe(wellFormed ? `<@${userId}>` : userText(userId));
      }),
      { numRuns: 300 },
    );
  });
});

describe('notification escaping, for any text', () => {
  const hostile = fc
    .array(
      fc.oneof(
        fc.constantFrom('<!channel>', '<!here>', '<@U123>', '<https://evil|x>', '<', '>', '&', '&lt;', '<!'),
        fc.string({ maxLength: 10 }),
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.join(''));
  const status = fc.constantFrom<SendStatus>('pending', 'sending', 'sent', 'failed', 'unknown');
  const requester = fc.oneof(fc.constantFrom('U0ALICE', 'W0BOB'), hostile);

  it("shows no raw < or > but the app's own mention of the requester", () => {
    fc.assert(
      fc.property(
        fc.record({
          status,
          dryRun: fc.boolean(),
          attempts: fc.integer({ min: 1, max: 5 }),
          requestedBy: requester,
          recipientLabel: hostile,
          cardName: hostile,
          messageId: fc.option(hostile, { nil: undefined }),
          reason: fc.option(fc.record({ en: hostile, es: hostile }), { nil: undefined }),
        }),
        fc.constantFrom('en' as const, 'es' as const),
        (fields, locale) => {
          const send = sendRecord(fields);
          const own = /^[UW][A-Z0-9]+$/u.test(send.requestedBy) ? `<@${send.requestedBy}>` : undefined;
          const json = JSON.stringify(notificationMessage({ ...send, locale }));
          const rest = own ? json.split(own).join('') : json;
          expect(rest).not.toContain('<!');
          expect(rest).not.toContain('<http');
          expect(rest).not.toMatch(/[<>]/u);
        },
      ),
      { numRuns: 300 },
    );
  });
});
