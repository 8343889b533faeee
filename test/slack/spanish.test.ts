/**
 * The views in Spanish: every word from the Spanish catalogue, while what the form sends back and
 * what WhatsApp receives (the type values) stay the same in every language.
 */
import { describe, expect, it } from 'vitest';
import { buildContactsMessage, type Contact, PHONE_TYPES } from '../../src/card/index.js';
import { readCardForm } from '../../src/slack/form.js';
import { CATALOGUES } from '../../src/slack/i18n/index.js';
import { ActionId, BlockId, rowBlockId } from '../../src/slack/ids.js';
import { cardFormView, INITIAL_ROWS } from '../../src/slack/views/card-form.js';
import { historyMessage, homeView } from '../../src/slack/views/history.js';
import { messageView } from '../../src/slack/views/message.js';
import { directNotificationMessage, notificationMessage } from '../../src/slack/views/notification.js';
import { contactLines, previewView } from '../../src/slack/views/preview.js';
import { blockWithId, shownTexts } from '../support/blocks.js';
import { JUAN, NOW, RECIPIENT, RECIPIENT_ID } from './cards.js';
import {
  CHANNEL,
  inputBlock,
  modalLimitViolations,
  opt,
  sendRecord,
  stateValuesFor,
  staticOptions,
} from './helpers.js';

const es = CATALOGUES.es;
const MARIA = { id: RECIPIENT_ID, label: 'María López · +593 99 123 4567' };

function juan(): Contact {
  const [contact] = buildContactsMessage(RECIPIENT, [JUAN], { now: NOW }).contacts;
  if (!contact) throw new Error('no contact');
  return contact;
}

/** Every label, placeholder, hint and button text of a modal, in order. */
function wordsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  if ('type' in value && value.type === 'plain_text' && 'text' in value) return [String(value.text)];
  return Object.values(value).flatMap(wordsOf);
}

describe('the card form in Spanish', () => {
  const view = cardFormView({
    locale: 'es',
    channelId: CHANNEL,
    rows: INITIAL_ROWS,
    contact: JUAN,
    recipients: [MARIA],
  });

  it('has Spanish title, buttons, labels, placeholders and hints, within Slack limits', () => {
    expect([view.title.text, view.submit?.text, view.close?.text]).toEqual([
      'Tarjeta de contacto',
      'Vista previa',
      'Cancelar',
    ]);
    const words = wordsOf(view.blocks);
    for (const expected of [
      'Enviar a (WhatsApp)',
      'Busca por nombre o número',
      es.fields.recipientHint,
      'Nombre en la tarjeta',
      'Teléfono',
      'Tipo de teléfono',
      'Agregar teléfono',
      'Correo electrónico',
      'Calle y número',
      'Código de país',
      'Fecha de nacimiento',
    ])
      expect(words).toContain(expected);
    for (const english of ['Send contact card', 'Phone', 'Add phone', 'Email', 'Birthday', 'Mobile'])
      expect(words).not.toContain(english);
    expect(modalLimitViolations(view)).toEqual([]);
  });

  it('labels each type in Spanish but keeps the value WhatsApp receives', () => {
    const phoneType = inputBlock(view, rowBlockId('phone', 0, 'type'));
    expect(staticOptions(phoneType)).toEqual(PHONE_TYPES.map((type) => opt(es.types.phone[type], type)));
    expect(phoneType.element).toMatchObject({ initial_option: opt('Celular', 'Mobile') });
    expect(inputBlock(view, rowBlockId('address', 0, 'type')).element).toMatchObject({
      initial_option: opt('Oficina', 'Office'),
    });
  });

  it('reads back the same card as the English form: values, not labels', () => {
    const english = cardFormView({
      locale: 'en',
      channelId: CHANNEL,
      rows: INITIAL_ROWS,
      contact: JUAN,
      recipients: [MARIA],
    });
    expect(readCardForm(stateValuesFor(view))).toEqual(readCardForm(stateValuesFor(english)));
    expect(readCardForm(stateValuesFor(view)).contact.phones?.[0]?.type).toBe('Mobile');
    expect(
      readCardForm(stateValuesFor(view, { [rowBlockId('email', 0, 'type')]: opt('Personal', 'Home') }))
        .contact.emails?.[0]?.type,
    ).toBe('Home');
  });

  it('reads a number typed in the Spanish picker without its "(número escrito)" marker', () => {
    const typed = stateValuesFor(view, {
      [BlockId.Recipient]: opt('+593 99 123 4567 (número escrito)', RECIPIENT_ID),
    });
    expect(readCardForm(typed).recipients).toEqual([{ id: RECIPIENT_ID, label: '+593 99 123 4567' }]);
  });
});

describe('the preview in Spanish', () => {
  it('says who receives it and shows the types in Spanish, with Enviar and Editar', () => {
    const view = previewView({
      locale: 'es',
      recipientLabels: [MARIA.label],
      contacts: [juan()],
      privateMetadata: '{}',
    });
    expect([view.title.text, view.submit?.text, view.close?.text]).toEqual([
      'Tarjeta de contacto',
      'Enviar',
      'Cancelar',
    ]);
    const texts = shownTexts(view.blocks);
    expect(texts).toContain('*Para:* María López · +593 99 123 4567 en WhatsApp');
    expect(texts).toContain(es.preview.intro);
    expect(blockWithId(view.blocks, BlockId.PreviewActions)).toMatchObject({
      elements: [
        { action_id: ActionId.BackToEdit, text: { text: 'Editar' } },
        { action_id: ActionId.AddContact },
      ],
    });
    expect(contactLines(juan(), 'es')).toEqual(
      expect.arrayContaining([
        ':telephone_receiver: +52 55 1234 5678  _Celular_',
        ':email: juan.perez@example.com  _Trabajo_',
        expect.stringMatching(/^:round_pushpin: .*_Oficina_$/u),
      ]),
    );
    expect(modalLimitViolations(view)).toEqual([]);
  });
});

describe('messages in Spanish', () => {
  it('history and App Home speak the reader’s language', () => {
    const sends = [sendRecord({ status: 'sent' }), sendRecord({ status: 'sent', dryRun: true })];
    const history = historyMessage(sends, 'es');
    expect(history.text).toBe('Tus últimas tarjetas de contacto');
    const lines = shownTexts(history.blocks);
    expect(lines.filter((line) => line.endsWith(' · enviada'))).toHaveLength(1);
    expect(lines.filter((line) => line.endsWith(' · enviada (simulación)'))).toHaveLength(1);
    expect(historyMessage([], 'es').text).toBe(es.history.empty);
    const home = shownTexts(
      homeView(sends, { pending: 1, sending: 0, sent: 2, failed: 0, unknown: 0, awaiting_reply: 0 }, 'es')
        .blocks,
    );
    expect(home).toContain('*Equipo hasta ahora:* 2 enviadas · 0 no enviadas · 0 inciertas · 1 en curso');
    expect(home).toContain('*Tus últimas tarjetas*');
  });

  it('a modal that only says why it cannot go on has a Spanish title and Cerrar', () => {
    const view = messageView(es.form.expired, 'es');
    expect([view.title.text, view.close?.text]).toEqual(['Tarjeta de contacto', 'Cerrar']);
  });

  it('a Spanish requester’s notification is Spanish in every state, the DM preface too', () => {
    const base = { locale: 'es' as const, reason: { en: 'English reason.', es: 'Motivo en español.' } };
    expect(notificationMessage(sendRecord({ ...base, status: 'sending' })).text).toMatch(
      /^:hourglass_flowing_sand: Enviando/,
    );
    expect(notificationMessage(sendRecord({ ...base, status: 'sent', messageId: 'm-1' })).text).toMatch(
      /Se envió/,
    );
    const unknown = notificationMessage(sendRecord({ ...base, status: 'unknown' }));
    // The Spanish reason and the advice, and no other note where the English reason could hide.
    expect(unknown.blocks[1]).toEqual({
      type: 'context',
      elements: [es.notification.reason('Motivo en español.'), es.notification.unknownAdvice].map((text) => ({
        type: 'mrkdwn',
        text,
      })),
    });
    expect(blockWithId(unknown.blocks, BlockId.NotificationActions)).toMatchObject({
      elements: [
        { action_id: ActionId.SendAgainAnyway, text: { text: 'Enviar de nuevo de todos modos' } },
        {},
      ],
    });
    const direct = directNotificationMessage(sendRecord({ ...base, status: 'failed' }));
    expect(direct.text).toMatch(/^No pude mostrar el resultado en <#C0SUPPORT>/);
  });
});
