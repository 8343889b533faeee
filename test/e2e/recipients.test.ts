/**
 * One card to several people, end to end: signed requests into Bolt's real HTTP receiver, the
 * loopback Slack and Jelou stand-ins, a real SQLite file. One send per person, recorded together,
 * one notification that summarises them and follows them to the end.
 */
import type { ModalView, PlainTextOption } from '@slack/types';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../src/slack/i18n/index.js';
import { ActionId, BlockId, CallbackId } from '../../src/slack/ids.js';
import { MAX_RECIPIENTS } from '../../src/slack/metadata.js';
import { until } from '../support/app-process.js';
import { actionIds, shownTexts } from '../support/blocks.js';
import { type Harness, startHarness } from '../support/harness.js';
import { type BehaviourContext, json } from '../support/jelou-standin.js';
import { JUAN_BODY, JUAN_FORM } from '../support/juan.js';
import { answeredView } from '../support/slack-driver.js';
import { ALICE, CHANNEL, MALLORY, type OpenedView, picked } from '../support/slack-payloads.js';
import { RESPONSE_URL, type SlackCall } from '../support/slack-standin.js';

/** A person as the picker offers them: the label shown and the WhatsApp id as the value. */
type Person = PlainTextOption & { value: string };

function person(label: string, id: string): Person {
  return { ...picked(label, id), value: id };
}

const MARIA = person('María López · +593 99 123 4567', '593991234567');
const PEDRO = person('Pedro Gómez · +52 55 1234 5678', '525512345678');
const LUCIA = person('+1 202 555 0143 (typed number)', '12025550143');
const THREE = [MARIA, PEDRO, LUCIA];

/**
 * `n` different Ecuadorian customers, as the picker offers them. Their names are long, as
 * WhatsApp profile names can be: the picker shows up to 75 characters of name and number.
 */
function customers(n: number, name = 'María Fernanda de los Ángeles Villavicencio Santisteban'): Person[] {
  return Array.from({ length: n }, (_, i) =>
    person(`${name} ${i} · +593 99 ${1_000_000 + i}`, `59399${1_000_000 + i}`),
  );
}

const { en, es } = CATALOGUES;

let h: Harness;
afterEach(async () => h?.stop());

type ViewAnswer = { response_action?: string; view?: ModalView; errors?: Record<string, string> };
const viewAnswer = (response: { json: unknown }) => (response.json ?? {}) as ViewAnswer;
const textOf = (call: SlackCall) => String(call.args.text ?? '');

type Row = { id: string; status: string; recipient_id: string; batch_id: string | null; attempts: number };

function rows(): Row[] {
  const db = new Database(h.config.databaseUrl.replace(/^file:/, ''), { readonly: true });
  try {
    return db
      .prepare<[], Row>('SELECT id, status, recipient_id, batch_id, attempts FROM sends ORDER BY rowid')
      .all();
  } finally {
    db.close();
  }
}

/** Fails Jelou's answer for `userIds` with WhatsApp's 24-hour rule; everyone else is sent as usual. */
function refuseOutsideWindow(...userIds: string[]) {
  h.jelou.respondWith((ctx: BehaviourContext) => {
    const body = ctx.request.body as { userId?: string } | undefined;
    if (ctx.request.route === 'messages' && userIds.includes(body?.userId ?? ''))
      return json(400, { code: 'message_could_not_be_send', message: 'Outside window' })(ctx);
    return ctx.answerAsJelou();
  });
}

/**
 * Waits until nothing has reached Slack's chat methods for a while (longer than the 1.5 s the app
 * leaves between a batch's updates, for Slack's Tier 3), then returns the last chat.update.
 */
async function lastUpdateOnceQuiet(quietMs = 2_000): Promise<SlackCall> {
  let seen = -1;
  let since = Date.now();
  await until('Slack to stop receiving updates', () => {
    const count = h.slack.callsTo('chat.update').length + h.slack.callsTo('chat.postMessage').length;
    if (count !== seen) {
      seen = count;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  });
  const last = h.slack.callsTo('chat.update').at(-1);
  if (!last) throw new Error('no chat.update at all');
  return last;
}

type LineBlock = {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { action_id: string; value: string };
};

function lines(call: SlackCall): LineBlock[] {
  return (call.args.blocks as LineBlock[]).filter((block) =>
    block.block_id?.startsWith('notification_send_'),
  );
}

async function previewFor(recipients: readonly PlainTextOption[], card = JUAN_FORM): Promise<OpenedView> {
  return h.preview(await h.openForm(), { ...card, [BlockId.Recipient]: recipients });
}

/**
 * Juan's card with his company, department, title and website, as long as such things run: with
 * twenty people of long names it no longer fits a view's 3,000 characters of metadata.
 */
const JUAN_AT_WORK = {
  ...JUAN_FORM,
  [BlockId.Company]:
    'Distribuidora Comercial e Industrial del Pacífico Sur, Sociedad Anónima de Capital Variable',
  [BlockId.Department]:
    'Dirección de Ventas Corporativas, Cuentas Clave y Atención a Clientes Mayoristas de la Región Andina',
  [BlockId.Title]:
    'Gerente Regional de Cuentas Clave para Latinoamérica y el Caribe, Canal Mayorista e Institucional',
  [BlockId.Website]:
    'https://www.distribuidora-pacifico-sur.example.com/equipo/ventas-corporativas/juan-perez',
};

describe('a card to three people, one outside WhatsApp’s 24-hour window', () => {
  it('sends three, records them as one batch, summarises them in one message, and Retry sends only the failed one', async () => {
    h = await startHarness();
    refuseOutsideWindow(PEDRO.value);
    const view = await previewFor(THREE);
    const shown = shownTexts(view.blocks);
    expect(shown).toContainEqual(expect.stringContaining(en.preview.toMany(3)));
    for (const name of ['María López', 'Pedro Gómez', '+1 202 555 0143'])
      expect(shown).toContainEqual(expect.stringContaining(name));
    expect(shown.filter((text) => text.includes('typed number'))).toEqual([]);
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);

    expect(viewAnswer(await h.submit(view, {}))).toEqual({ response_action: 'clear' });
    // All three are on record, as one batch, by the time Slack has its answer.
    const recorded = rows();
    expect(recorded.map((row) => row.recipient_id)).toEqual(THREE.map((p) => p.value));
    expect(new Set(recorded.map((row) => row.batch_id)).size).toBe(1);
    expect(recorded[0]?.batch_id).toMatch(/^[0-9a-f-]{36}$/u);

    await until('all three to finish', () =>
      rows().every((row) => row.status === 'sent' || row.status === 'failed'),
    );
    const final = await lastUpdateOnceQuiet();
    const requests = h.jelou.requestsTo('messages');
    expect(requests.map((r) => r.body)).toEqual(
      expect.arrayContaining(THREE.map((p) => ({ ...JUAN_BODY, userId: p.value }))),
    );
    expect(requests).toHaveLength(3);
    expect(rows().map((row) => row.status)).toEqual(['sent', 'failed', 'sent']);

    const posted = h.slack.callsTo('chat.postMessage');
    expect(posted).toHaveLength(1);
    // Every update edits the one message posted.
    expect(posted[0]?.answer).toMatchObject({ ok: true, ts: final.args.ts });
    expect(final.args.channel).toBe(CHANNEL);
    expect(textOf(final)).toBe(
      `:x: *Juan Pérez* to 3 people on WhatsApp (requested by <@${ALICE.id}>)\n` +
        '*2 sent* · 1 not sent · 0 uncertain · 0 in progress',
    );
    const [maria, pedro, lucia] = lines(final);
    expect(maria?.text?.text).toMatch(
      /^:white_check_mark: María López .* · sent · Jelou message id: `msg_\d`$/u,
    );
    expect(pedro?.text?.text).toMatch(/^:x: Pedro Gómez .* · not sent · \*Why:\* .*24 hours/u);
    expect(lucia?.text?.text).toMatch(/^:white_check_mark: \+1 202 555 0143 · sent · /u);
    expect([maria?.accessory, lucia?.accessory]).toEqual([undefined, undefined]);
    expect(pedro?.accessory).toMatchObject({ action_id: ActionId.Retry, value: recorded[1]?.id });

    // The customer wrote back; Jelou now takes the card. Retry sends Pedro's, and only his.
    h.jelou.respondWith(undefined);
    const click = await h.clickMessage(final, ActionId.Retry, { value: pedro?.accessory?.value ?? '' });
    expect(click.status).toBe(200);
    await until('the retry to finish', () => rows()[1]?.status === 'sent');
    const after = await lastUpdateOnceQuiet();
    expect(h.jelou.requestsTo('messages')).toHaveLength(4);
    expect(h.jelou.requestsTo('messages')[3]?.body).toEqual({ ...JUAN_BODY, userId: PEDRO.value });
    expect(textOf(after)).toBe(
      `:white_check_mark: *Juan Pérez* to 3 people on WhatsApp (requested by <@${ALICE.id}>)\n` +
        '*3 sent* · 0 not sent · 0 uncertain · 0 in progress',
    );
    expect(lines(after)[1]?.text?.text).toMatch(/· sent · .* · Attempt 2$/u);
    expect(lines(after).map((line) => line.accessory)).toEqual([undefined, undefined, undefined]);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('lets only the requester (or ALLOWED_USER_IDS) retry one send of a batch', async () => {
    h = await startHarness();
    refuseOutsideWindow(PEDRO.value);
    await h.submit(await previewFor(THREE), {});
    await until('all three to finish', () =>
      rows().every((row) => row.status !== 'pending' && row.status !== 'sending'),
    );
    const final = await lastUpdateOnceQuiet();
    const value = lines(final)[1]?.accessory?.value ?? '';
    await h.clickMessage(final, ActionId.Retry, { value, user: MALLORY });
    const refusal = await h.slack.waitFor(RESPONSE_URL);
    expect(refusal.args).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/Only the person/),
    });
    expect(h.jelou.requestsTo('messages')).toHaveLength(3);
  });

  it('lists each send of the batch in /jelou-card history', async () => {
    h = await startHarness();
    await h.submit(await previewFor(THREE), {});
    await until('all three to be sent', () => rows().every((row) => row.status === 'sent'));
    await h.command('history');
    const answer = await h.slack.waitFor(RESPONSE_URL);
    const history = shownTexts(answer.args.blocks);
    for (const name of ['María López', 'Pedro Gómez', '+1 202 555 0143'])
      expect(history).toContainEqual(expect.stringContaining(name));
  });

  it('summarises the batch in a DM when the bot is not in the channel, with one heads-up there', async () => {
    h = await startHarness();
    h.slack.on('chat.postMessage', (call) =>
      call.args.channel === CHANNEL ? { ok: false, error: 'not_in_channel' } : undefined,
    );
    await h.submit(await previewFor(THREE), {});
    const final = await h.slack.waitFor('chat.update', (call) => /\*3 sent\*/.test(textOf(call)));
    expect(final.args.channel).toBe(`D${ALICE.id}`);
    // Ephemerals vanish on reload: one heads-up in the channel, no result there.
    const ephemerals = h.slack.callsTo('chat.postEphemeral');
    expect(ephemerals.map((call) => [call.args.channel, call.args.user, call.args.blocks])).toEqual([
      [CHANNEL, ALICE.id, undefined],
    ]);
    expect(h.jelou.requestsTo('messages')).toHaveLength(3);
  });

  it('speaks the requester’s Spanish in the summary', async () => {
    h = await startHarness();
    h.slack.setLocale(ALICE.id, 'es-LA');
    refuseOutsideWindow(PEDRO.value);
    const form = await h.openForm();
    const view = await h.preview(form, { ...JUAN_FORM, [BlockId.Recipient]: THREE });
    expect(shownTexts(view.blocks)).toContainEqual(expect.stringContaining(es.preview.toMany(3)));
    await h.submit(view, {});
    await until('all three to finish', () =>
      rows().every((row) => row.status === 'sent' || row.status === 'failed'),
    );
    const final = await lastUpdateOnceQuiet();
    expect(textOf(final)).toMatch(/para 3 personas por WhatsApp .*\n\*2 enviadas\* · 1 no enviadas/u);
    expect(actionIds(final.args.blocks)).toContain(ActionId.Retry);
    expect(shownTexts(final.args.blocks)).toContain(es.buttons.retry);
  });
});

describe('twenty people', () => {
  it('carries twenty short names in the preview itself, and twenty long ones in a draft', async () => {
    h = await startHarness();
    const short = await previewFor(customers(MAX_RECIPIENTS, 'Ana'), JUAN_AT_WORK);
    expect(JSON.parse(short.private_metadata ?? '{}')).toMatchObject({ recipients: expect.any(Array) });
    const long = await previewFor(customers(MAX_RECIPIENTS), JUAN_AT_WORK);
    expect(JSON.parse(long.private_metadata ?? '{}')).toEqual({ draftId: expect.any(String) });
    await h.submit(long, {});
    await until(
      'all twenty to be sent',
      () => rows().length === 20 && rows().every((r) => r.status === 'sent'),
    );
    expect(h.jelou.requestsTo('messages')).toHaveLength(MAX_RECIPIENTS);
  });

  it('records twenty sends, keeps one message, and its last update shows all twenty finished', async () => {
    h = await startHarness();
    // Jelou answers every request at nearly the same moment, and Slack is slow to update: the
    // refreshes pile up while one is in flight, which is when a final state could be lost.
    h.jelou.respondWith(async (ctx) => {
      await ctx.wait(150);
      await ctx.answerAsJelou();
    });
    h.slack.on('chat.update', (call) => ({
      delayMs: 120,
      answer: { ok: true, channel: call.args.channel, ts: call.args.ts },
    }));
    const people = customers(MAX_RECIPIENTS);
    const view = await previewFor(people, JUAN_AT_WORK);
    // Twenty people and a card do not fit the view's 3,000 characters: a draft carries them.
    expect(JSON.parse(view.private_metadata ?? '{}')).toEqual({ draftId: expect.any(String) });
    expect(shownTexts(view.blocks)).toContainEqual(expect.stringContaining(en.preview.toMany(20)));

    expect(viewAnswer(await h.submit(view, {}))).toEqual({ response_action: 'clear' });
    expect(rows()).toHaveLength(MAX_RECIPIENTS);
    expect(new Set(rows().map((row) => row.batch_id)).size).toBe(1);
    await until('all twenty to be sent', () => rows().every((row) => row.status === 'sent'), 30_000);
    const last = await lastUpdateOnceQuiet();
    expect(textOf(last)).toMatch(/\n\*20 sent\* · 0 not sent · 0 uncertain · 0 in progress$/u);
    expect(lines(last)).toHaveLength(MAX_RECIPIENTS);
    expect(lines(last).every((line) => line.text?.text.startsWith(':white_check_mark:'))).toBe(true);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    // Coalesced: fewer updates than the forty state changes (sending, then sent, for each).
    expect(h.slack.callsTo('chat.update').length).toBeLessThan(2 * MAX_RECIPIENTS);
    expect(new Set(h.jelou.requestsTo('messages').map((r) => (r.body as { userId: string }).userId))).toEqual(
      new Set(people.map((p) => p.value)),
    );
  }, 60_000);

  it("Edit from a drafted preview brings back all twenty, and nobody else can Send someone's draft", async () => {
    h = await startHarness();
    const view = await previewFor(customers(MAX_RECIPIENTS), JUAN_AT_WORK);
    expect(JSON.parse(view.private_metadata ?? '{}')).toEqual({ draftId: expect.any(String) });
    const forged = await h.submit(view, {}, MALLORY);
    expect(answeredView(forged)?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: en.form.expired } },
    ]);
    expect(rows()).toHaveLength(0);

    await h.click(view, ActionId.BackToEdit, BlockId.PreviewActions);
    const update = await h.slack.waitFor('views.update');
    const form = update.args.view as ModalView;
    expect(form.callback_id).toBe(CallbackId.CardModal);
    const recipient = form.blocks.find((b) => b.block_id === BlockId.Recipient);
    expect(recipient).toMatchObject({
      element: { initial_options: customers(MAX_RECIPIENTS).map((p) => ({ value: p.value })) },
    });
  });
});

describe('a double-clicked Send to several people', () => {
  it('records and sends each person once', async () => {
    h = await startHarness();
    const view = await previewFor(THREE);
    const answers = await Promise.all([h.submit(view, {}), h.submit(view, {})]);
    expect(answers.map(viewAnswer)).toEqual([{ response_action: 'clear' }, { response_action: 'clear' }]);
    await until('all three to be sent', () => rows().every((row) => row.status === 'sent'));
    await lastUpdateOnceQuiet();
    expect(rows()).toHaveLength(3);
    expect(h.jelou.requestsTo('messages')).toHaveLength(3);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe('more than twenty people, which only a forged request can carry', () => {
  it('a form submission with 21 is refused inline, in words, and nothing is sent or saved', async () => {
    h = await startHarness();
    const form = await h.openForm();
    const answer = viewAnswer(
      await h.submit(form, { ...JUAN_FORM, [BlockId.Recipient]: customers(MAX_RECIPIENTS + 1) }),
    );
    expect(answer).toEqual({
      response_action: 'errors',
      errors: {
        [BlockId.Recipient]:
          'A card can go to at most 20 people at once, and 21 are chosen. Remove some, or send the card twice.',
      },
    });
    expect(h.jelou.requests).toHaveLength(0);
  });

  it('a Send whose metadata names 21 is answered "out of date" and sends nothing', async () => {
    h = await startHarness();
    const view = await previewFor([MARIA]);
    const real = JSON.parse(view.private_metadata ?? '{}') as Record<string, unknown>;
    const recipients = customers(MAX_RECIPIENTS + 1).map((p) => ({ id: p.value, label: p.text.text }));
    const forged = { ...view, private_metadata: JSON.stringify({ ...real, recipients }) };
    const answer = viewAnswer(await h.submit(forged, {}));
    expect(answer.response_action).toBe('update');
    expect((answer.view as ModalView | undefined)?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: en.form.expired } },
    ]);
    expect(rows()).toHaveLength(0);
    expect(h.jelou.requests).toHaveLength(0);
  });

  it('the same person picked twice (or as a typed number too) is one recipient', async () => {
    h = await startHarness();
    const view = await previewFor([MARIA, person('+593 99 123 4567 (typed number)', MARIA.value), PEDRO]);
    expect(shownTexts(view.blocks)).toContainEqual(expect.stringContaining(en.preview.toMany(2)));
    await h.submit(view, {});
    await until('both to be sent', () => rows().length === 2 && rows().every((row) => row.status === 'sent'));
    expect(h.jelou.requestsTo('messages')).toHaveLength(2);
  });
});

describe('a card to one person', () => {
  it('has no batch and keeps the single-send notification', async () => {
    h = await startHarness();
    await h.submit(await previewFor([MARIA]), {});
    await until('the send to finish', () => rows()[0]?.status === 'sent');
    const final = await lastUpdateOnceQuiet();
    expect(rows()[0]?.batch_id).toBeNull();
    expect(textOf(final)).toBe(
      `:white_check_mark: Sent *Juan Pérez* to ${MARIA.text.text} on WhatsApp (by <@${ALICE.id}>).`,
    );
  });
});
