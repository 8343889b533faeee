/**
 * The app speaks each person's Slack language, end to end: signed requests into Bolt's real HTTP
 * receiver, `users.info` answered by the Slack stand-in, the card sent to the Jelou stand-in. What
 * Jelou receives never depends on the language; a person whose language Slack will not tell (an
 * error, or no answer in time) still gets the form, in DEFAULT_LOCALE.
 */
import type { AnyBlock, InputBlock, ModalView, PlainTextOption } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../src/slack/i18n/index.js';
import { ActionId, BlockId, rowBlockId } from '../../src/slack/ids.js';
import { blockWithId, shownTexts } from '../support/blocks.js';
import { type Harness, startHarness } from '../support/harness.js';
import { json } from '../support/jelou-standin.js';
import { JUAN_BODY, JUAN_FORM } from '../support/juan.js';
import { ALICE, type FormAnswers, MALLORY, type OpenedView } from '../support/slack-payloads.js';
import { RESPONSE_URL, type SlackCall } from '../support/slack-standin.js';

const { es, en } = CATALOGUES;

let h: Harness;
afterEach(async () => h?.stop());

const textOf = (call: SlackCall) => String(call.args.text ?? '');
const texts = (call: SlackCall) => shownTexts(call.args.blocks ?? []);

function labels(view: ModalView): string[] {
  return view.blocks.filter((b): b is InputBlock => b.type === 'input').map((b) => b.label.text);
}

/** The option of a type menu in `view` whose text is `label`, as the person picks it. */
function optionLabelled(view: ModalView, blockId: string, label: string): PlainTextOption {
  const block = view.blocks.find((b): b is InputBlock => b.type === 'input' && b.block_id === blockId);
  const element = block?.element;
  const found =
    element?.type === 'static_select' ? element.options?.find((o) => o.text.text === label) : undefined;
  if (!found) throw new Error(`no option "${label}" in ${blockId}`);
  return found;
}

/** Juan's card as a Spanish speaker fills it in: the type menus picked by their Spanish labels. */
function juanInSpanish(form: OpenedView): FormAnswers {
  return {
    ...JUAN_FORM,
    [rowBlockId('phone', 0, 'type')]: optionLabelled(form, rowBlockId('phone', 0, 'type'), 'Celular'),
    [rowBlockId('email', 0, 'type')]: optionLabelled(form, rowBlockId('email', 0, 'type'), 'Trabajo'),
    [rowBlockId('address', 0, 'type')]: optionLabelled(form, rowBlockId('address', 0, 'type'), 'Oficina'),
  };
}

describe('a person whose Slack speaks Spanish', () => {
  it('gets the Spanish form, errors, preview and notification; Jelou gets the same card as ever', async () => {
    h = await startHarness();
    h.slack.setLocale(ALICE.id, 'es-ES');

    const form = await h.openForm();
    expect(form.title.text).toBe('Tarjeta de contacto');
    expect(labels(form)).toEqual(
      expect.arrayContaining(['Enviar a (WhatsApp)', 'Nombre en la tarjeta', 'Teléfono']),
    );
    const [lookup] = h.slack.callsTo('users.info');
    expect(lookup?.args).toMatchObject({ user: ALICE.id, include_locale: 'true' });

    const invalid = (await h.submit(form, { [rowBlockId('phone', 0, 'number')]: '12ab' })).json as {
      errors?: Record<string, string>;
    };
    expect(invalid.errors).toEqual({
      [BlockId.Recipient]: es.form.recipientRequired,
      [BlockId.FormattedName]: 'Añade un nombre para el contacto.',
      [rowBlockId('phone', 0, 'number')]: expect.stringMatching(/^Usa solo dígitos/),
    });

    const preview = await h.preview(form, juanInSpanish(form));
    expect([preview.title.text, preview.submit?.text]).toEqual(['Tarjeta de contacto', 'Enviar']);
    const shown = shownTexts(preview.blocks);
    expect(shown).toContain('*Para:* María López · +593 99 123 4567 en WhatsApp');
    expect(shown).toContainEqual(expect.stringMatching(/^:telephone_receiver: .* {2}_Celular_$/mu));
    expect(shown).toContainEqual(expect.stringMatching(/^:round_pushpin: .* {2}_Oficina_$/mu));

    await h.submit(preview, {});
    const sent = await h.slack.waitFor('chat.update', (call) => /Se envió/.test(textOf(call)));
    expect(textOf(sent)).toBe(
      `:white_check_mark: Se envió *Juan Pérez* a María López · +593 99 123 4567 por WhatsApp (por <@${ALICE.id}>).`,
    );
    expect(texts(sent)).toContainEqual(expect.stringMatching(/^ID del mensaje en Jelou: `.+`$/u));
    expect(textOf(h.slack.callsTo('chat.postMessage')[0] as SlackCall)).toMatch(
      /^:hourglass_flowing_sand: Enviando/,
    );
    // The wire values, not the labels the person picked: "Mobile", "Work", "Office".
    expect(h.jelou.requestsTo('messages')[0]?.body).toEqual(JUAN_BODY);
  });

  it('reads why a send failed in Spanish, and Retry keeps the Spanish whoever clicks it', async () => {
    h = await startHarness({ ALLOWED_USER_IDS: `${ALICE.id},U0BOB` });
    h.slack.setLocale(ALICE.id, 'es-LA');
    h.jelou.script('messages', json(400, { code: 'message_could_not_be_send', message: 'Outside window' }));
    const form = await h.openForm();
    await h.submit(await h.preview(form, juanInSpanish(form)), {});
    const failed = await h.slack.waitFor('chat.update', (call) => /No se pudo enviar/.test(textOf(call)));
    expect(texts(failed)).toContainEqual(
      expect.stringMatching(/^\*Motivo:\* WhatsApp no permitió la tarjeta/u),
    );
    expect(blockWithId(failed.args.blocks as AnyBlock[], BlockId.NotificationActions)).toMatchObject({
      elements: [
        { action_id: ActionId.Retry, text: { text: 'Reintentar' } },
        // The window refused it: a template first is offered (issue 15), in Spanish too.
        { action_id: ActionId.SendTemplate, text: { text: es.buttons.sendTemplate } },
        { action_id: ActionId.DownloadVcf },
      ],
    });

    const click = (user: typeof ALICE) => h.clickMessage(failed, ActionId.Retry, { user });
    // Someone else is refused in their own language (English, the stand-in's default).
    await click(MALLORY);
    const refused = await h.slack.waitFor(RESPONSE_URL);
    expect(refused.args.text).toBe(en.retry.notYours);
    // An English-speaking colleague on the allow-list retries: the notification stays in Spanish.
    await click({ id: 'U0BOB', teamId: ALICE.teamId });
    const resent = await h.slack.waitFor('chat.update', (call) => /Se envió/.test(textOf(call)));
    expect(texts(resent)).toContain('Intento 2');
    expect(h.jelou.requestsTo('messages')).toHaveLength(2);
  });

  it('gets help and history in Spanish, and may ask with the Spanish keywords', async () => {
    h = await startHarness();
    h.slack.setLocale(ALICE.id, 'es-ES');
    expect((await h.command('ayuda')).json).toMatchObject({
      response_type: 'ephemeral',
      text: es.command.help,
    });
    expect((await h.command('help')).json).toMatchObject({ text: es.command.help });
    await h.command('historial');
    const history = await h.slack.waitFor(RESPONSE_URL);
    expect(history.args).toMatchObject({ response_type: 'ephemeral', text: es.history.empty });
  });
});

describe('when Slack does not tell the language', () => {
  it('opens the form in DEFAULT_LOCALE when users.info fails', async () => {
    h = await startHarness({ DEFAULT_LOCALE: 'es' });
    h.slack.on('users.info', () => ({ ok: false, error: 'missing_scope', needed: 'users:read' }));
    const form = await h.openForm();
    expect(form.title.text).toBe(es.modal.title);
    expect(h.logLines.some((line) => line.includes('could not read the user language from Slack'))).toBe(
      true,
    );
  });

  it('opens the form in DEFAULT_LOCALE when users.info is slower than the look-up budget', async () => {
    h = await startHarness();
    // Answers Spanish, but far past the budget (and the trigger's 3 seconds).
    h.slack.on('users.info', () => ({
      delayMs: 15_000,
      answer: { ok: true, user: { id: ALICE.id, locale: 'es-ES' } },
    }));
    const form = await h.openForm();
    expect(form.title.text).toBe(en.modal.title);
    expect(labels(form)).toContain(en.fields.recipient);
  });

  it('speaks DEFAULT_LOCALE to a person whose Slack language the app does not speak', async () => {
    h = await startHarness({ DEFAULT_LOCALE: 'es' });
    h.slack.setLocale(ALICE.id, 'pt-BR');
    expect((await h.openForm()).title.text).toBe(es.modal.title);
  });
});
