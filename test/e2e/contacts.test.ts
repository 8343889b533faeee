/**
 * Several contacts in one card, end to end through Bolt's real HTTP receiver: a .vcf file
 * attached in the import view (downloaded from the Slack stand-in with the bot token), contacts
 * added, edited and removed by hand, one Jelou message with all of them, and "Download .vcf" on
 * the notification posting the sent card back as a file. Nothing of the app is mocked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModalView } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContactsMessage, type Contact, contactsMessageSchema, parseVcf } from '../../src/card/index.js';
import { CATALOGUES } from '../../src/slack/i18n/index.js';
import { ActionId, BlockId, CallbackId, contactBlockId } from '../../src/slack/ids.js';
import { shownTexts } from '../support/blocks.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { json } from '../support/jelou-standin.js';
import { JUAN_FORM } from '../support/juan.js';
import {
  ALICE,
  type FormAnswers,
  inputBlock,
  MALLORY,
  type OpenedView,
  picked,
} from '../support/slack-payloads.js';
import { RESPONSE_URL, type SlackCall, type StandInFile } from '../support/slack-standin.js';

const MARIA = picked('María López · +593 99 123 4567', '593991234567');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'vcf');
const en = CATALOGUES.en;

let h: Harness;
afterEach(async () => h?.stop());

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** What Jelou must receive for a file's contacts: the card domain's own reading of it. */
function expectedContacts(vcf: Buffer | string): Contact[] {
  const text = typeof vcf === 'string' ? vcf : vcf.toString('utf8');
  return buildContactsMessage('+593991234567', parseVcf(text).contacts, { defaultCountry: 'EC' }).contacts;
}

type ViewAnswer = { response_action?: string; view?: ModalView; errors?: Record<string, string> };

function viewAnswer(response: { json: unknown }): ViewAnswer {
  return (response.json ?? {}) as ViewAnswer;
}

/** The view the app last put in place with views.update, as Slack would then hold it. */
async function updatedView(before: number, id: string): Promise<OpenedView> {
  const call = await h.slack.waitFor('views.update', () => h.slack.callsTo('views.update').length > before);
  return { ...(call.args.view as ModalView), id, hash: `hash-update-${before + 1}` };
}

/** Clicks a button on `view` and returns the view the app replaced it with. */
async function clickForView(view: OpenedView, actionId: string, blockId: string): Promise<OpenedView> {
  const before = h.slack.callsTo('views.update').length;
  const response = await h.click(view, actionId, blockId);
  expect(response.status).toBe(200);
  return updatedView(before, view.id);
}

/** The import view, reached from a new form's "Import from a .vcf file". */
async function importView(): Promise<OpenedView> {
  const form = await h.openForm();
  const view = await clickForView(form, ActionId.OpenImport, BlockId.ImportOffer);
  expect(view.callback_id).toBe(CallbackId.ImportModal);
  return view;
}

function serve(content: string | Buffer, name = 'contacts.vcf'): StandInFile {
  return h.slack.serveFile(content, { token: SECRETS.botToken, name });
}

/** Submits the import view with `file` for María and returns the preview it answered. */
async function importFile(view: OpenedView, file: StandInFile): Promise<OpenedView> {
  const response = await h.submit(view, { [BlockId.Recipient]: MARIA, [BlockId.VcfFile]: { files: [file] } });
  const answer = viewAnswer(response);
  if (answer.response_action !== 'update' || !answer.view) {
    throw new Error(`expected a preview, got ${response.text}`);
  }
  return { ...answer.view, id: view.id, hash: `${view.hash}-preview` };
}

/** The contacts of the first message Jelou received, checked against the wire schema. */
function sentContacts(): Contact[] {
  return contactsMessageSchema.parse(h.jelou.requestsTo('messages')[0]?.body).contacts;
}

/** The texts `view` shows, one per text object. */
function shown(view: ModalView): string[] {
  return shownTexts(view.blocks);
}

function textOf(call: SlackCall): string {
  return String(call.args.text ?? '');
}

async function sentNotification(): Promise<SlackCall> {
  return h.slack.waitFor('chat.update', (call) => /Sent/.test(textOf(call)));
}

describe('a .vcf file attached in the import view', () => {
  it('Google Contacts (three contacts): the preview lists them, Send delivers one message with them in order', async () => {
    h = await startHarness();
    const google = fixture('google.vcf');
    const preview = await importFile(await importView(), serve(google, 'google.vcf'));
    expect(preview.callback_id).toBe(CallbackId.PreviewModal);
    for (const name of ['Carlos Andrade', 'Lucía Fernández de Córdova', 'Soporte Técnico'])
      expect(shown(preview)).toContainEqual(expect.stringContaining(name));
    expect(shown(preview)).toContainEqual(expect.stringContaining(en.contacts.introMany(3)));
    // The download used the bot token, and nothing reached Jelou before Send.
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);

    expect(viewAnswer(await h.submit(preview, {}))).toEqual({ response_action: 'clear' });
    await sentNotification();
    const requests = h.jelou.requestsTo('messages');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toEqual({
      type: 'contacts',
      userId: '593991234567',
      contacts: expectedContacts(google),
    });
    expect(textOf(h.slack.callsTo('chat.postMessage')[0] as SlackCall)).toContain('Carlos Andrade +2');
  });

  it.each([
    ['iphone.vcf', ['María José Núñez', 'Ferretería El Tornillo', '王小明']],
    ['android.vcf', ['José Andrés Núñez', 'María Fernanda de los Ángeles']],
    ['outlook.vcf', ['Ing. Diego Alejandro Paredes']],
    ['vcard4.vcf', ['Ana Lucía Torres', 'Pérez, Juan']],
  ])(
    '%s parses into a preview of its contacts, carrying exactly what the card domain reads',
    async (name, names) => {
      h = await startHarness();
      const bytes = fixture(name);
      const preview = await importFile(await importView(), serve(bytes, name));
      for (const contactName of names)
        expect(shown(preview)).toContainEqual(expect.stringContaining(contactName));
      const metadata = JSON.parse(preview.private_metadata ?? '{}') as {
        contacts?: unknown;
        draftId?: string;
      };
      // Whether the contacts fit private_metadata or went to a draft, Send delivers exactly these.
      if (metadata.contacts !== undefined) expect(metadata.contacts).toEqual(expectedContacts(bytes));
      await h.submit(preview, {});
      await sentNotification();
      expect(h.jelou.requestsTo('messages')[0]?.body).toMatchObject({ contacts: expectedContacts(bytes) });
    },
  );

  it('says in the preview that a card of the file could not be read (Android: an empty one)', async () => {
    h = await startHarness();
    const preview = await importFile(await importView(), serve(fixture('android.vcf')));
    expect(shown(preview)).toContainEqual(expect.stringContaining(en.vcf.skipped(1)));
  });

  it('takes the first ten of a larger file, says so, keeps them in a draft, and a double Send records once', async () => {
    h = await startHarness();
    const cards = Array.from({ length: 12 }, (_, i) =>
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        `FN:Cliente ${i + 1} de la Constructora Andes con un nombre largo`,
        `N:Constructora Andes;Cliente ${i + 1};;;`,
        `TEL;TYPE=CELL:+593 99 123 ${String(4500 + i)}`,
        `EMAIL;TYPE=WORK:cliente${i + 1}@constructora-andes.example`,
        'ADR;TYPE=WORK:;;Av. República de El Salvador 34-127;Quito;Pichincha;170505;Ecuador',
        'END:VCARD',
      ].join('\r\n'),
    ).join('\r\n');
    const preview = await importFile(await importView(), serve(cards));
    expect(shown(preview)).toContainEqual(expect.stringContaining(en.vcf.truncated(12, 10, 10)));
    const metadata = JSON.parse(preview.private_metadata ?? '{}') as Record<string, unknown>;
    expect(Object.keys(metadata)).toEqual(['draftId']);

    // Someone else's Send on this preview: the draft is Alice's, so it is out of date for Mallory.
    const forged = viewAnswer(await h.submit({ ...preview, id: 'V0MALLORY' }, {}, MALLORY));
    expect(forged.view?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: en.form.expired } },
    ]);

    const answers = await Promise.all([h.submit(preview, {}), h.submit(preview, {})]);
    expect(answers.map(viewAnswer)).toEqual([{ response_action: 'clear' }, { response_action: 'clear' }]);
    await sentNotification();
    const requests = h.jelou.requestsTo('messages');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toEqual({
      type: 'contacts',
      userId: '593991234567',
      contacts: expectedContacts(cards).slice(0, 10),
    });
  });

  describe('a file that cannot be used: an error on the file, nothing sent', () => {
    const fileError = async (file: StandInFile): Promise<string | undefined> => {
      const view = await importView();
      const response = await h.submit(view, {
        [BlockId.Recipient]: MARIA,
        [BlockId.VcfFile]: { files: [file] },
      });
      const answer = viewAnswer(response);
      expect(answer.response_action).toBe('errors');
      expect(Object.keys(answer.errors ?? {})).toEqual([BlockId.VcfFile]);
      expect(h.jelou.requestsTo('messages')).toHaveLength(0);
      return answer.errors?.[BlockId.VcfFile];
    };

    it('not a vCard', async () => {
      h = await startHarness();
      const error = await fileError(serve('%PDF-1.7 not a contact file', 'invoice.vcf'));
      expect(error).toBe('This file is not a contact card (vCard, .vcf), or it holds no contacts.');
    });

    it('too large, by the size Slack reports and by what arrives', async () => {
      h = await startHarness();
      const big = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nNOTE:${'x'.repeat(1024 * 1024)}\r\nEND:VCARD\r\n`;
      expect(await fileError(serve(big))).toMatch(/too large/);
      // Slack's reported size can be missing or wrong: the download counts the bytes itself.
      const understated = { ...serve(big), size: 100 };
      expect(await fileError(understated)).toMatch(/too large/);
    });

    it('Slack refusing the download (a token without files:read): says an admin must add the scope', async () => {
      h = await startHarness();
      const file = h.slack.serveFile(fixture('google.vcf'), { token: 'xoxb-some-other-app' });
      expect(await fileError(file)).toBe(en.vcf.refused);
    });

    it('a deleted file (404) or a slow Slack: try again', async () => {
      h = await startHarness();
      const gone = h.slack.serveFile(fixture('google.vcf'), { token: SECRETS.botToken, httpStatus: 404 });
      expect(await fileError(gone)).toMatch(/could not be fetched/);
      const slow = h.slack.serveFile(fixture('google.vcf'), { token: SECRETS.botToken, delayMs: 5_000 });
      const started = Date.now();
      expect(await fileError(slow)).toMatch(/could not be fetched/);
      // Answered in time for Slack's three seconds.
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('in Spanish for a person whose Slack speaks it', async () => {
      h = await startHarness();
      h.slack.setLocale(ALICE.id, 'es-LA');
      expect(await fileError(serve('hola'))).toMatch(/^Este archivo no es una tarjeta de contacto/);
    });

    it('a file whose contacts all fail the checks names them', async () => {
      h = await startHarness();
      const error = await fileError(
        serve('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nTEL:12ab\r\nEND:VCARD\r\n'),
      );
      expect(error).toMatch(/^None of the file’s contacts can be sent as they are\. Ana: /);
    });
  });

  it('"Type a contact instead" goes back to the form with the recipient kept', async () => {
    h = await startHarness();
    const view = await importView();
    const before = h.slack.callsTo('views.update').length;
    await h.click(view, ActionId.BackToForm, BlockId.ImportActions, { [BlockId.Recipient]: MARIA });
    const form = await updatedView(before, view.id);
    expect(form.callback_id).toBe(CallbackId.CardModal);
    expect(inputBlock(form, BlockId.Recipient).element).toMatchObject({
      initial_options: [{ value: '593991234567' }],
    });
  });
});

describe('several contacts typed by hand', () => {
  const ana: FormAnswers = {
    [BlockId.FormattedName]: 'Ana Torres',
    phone_0_number: '+593 99 765 4321',
  };
  const bea: FormAnswers = { [BlockId.FormattedName]: 'Bea Ruiz', email_0_address: 'bea@example.com' };

  /** "Add another contact" on `preview`, the next contact typed, and the preview answered. */
  async function addAnother(preview: OpenedView, answers: FormAnswers): Promise<OpenedView> {
    const form = await clickForView(preview, ActionId.AddContact, BlockId.PreviewActions);
    expect(form.callback_id).toBe(CallbackId.CardModal);
    return h.preview(form, answers);
  }

  it('add a second and a third, edit the first, remove one, send: Jelou gets the ones left, in order', async () => {
    h = await startHarness();
    let preview = await h.preview(await h.openForm(), JUAN_FORM);
    preview = await addAnother(preview, ana);
    expect(shown(preview)).toContainEqual(expect.stringContaining(en.contacts.introMany(2)));
    preview = await addAnother(preview, bea);
    expect(shown(preview)).toContainEqual(expect.stringContaining(en.contacts.introMany(3)));

    const edit = await clickForView(preview, ActionId.EditContact, contactBlockId(0));
    expect(edit.callback_id).toBe(CallbackId.CardModal);
    expect(inputBlock(edit, BlockId.FormattedName).element).toMatchObject({ initial_value: 'Juan Pérez' });
    expect(shown(edit)).toContainEqual(expect.stringContaining(en.contacts.editing(1, 3)));
    preview = await h.preview(edit, { [BlockId.FormattedName]: 'Juan P. Pérez' });
    expect(shown(preview)).toContainEqual(expect.stringContaining('Juan P. Pérez'));

    preview = await clickForView(preview, ActionId.RemoveContact, contactBlockId(1));
    expect(shown(preview).filter((text) => text.includes('Ana Torres'))).toEqual([]);
    expect(shown(preview)).toContainEqual(expect.stringContaining(en.contacts.introMany(2)));

    expect(viewAnswer(await h.submit(preview, {}))).toEqual({ response_action: 'clear' });
    await sentNotification();
    const [request] = h.jelou.requestsTo('messages');
    expect(request?.body).toMatchObject({
      type: 'contacts',
      userId: '593991234567',
      contacts: [
        { name: { formatted_name: 'Juan P. Pérez', first_name: 'Juan', last_name: 'Pérez' } },
        { name: { formatted_name: 'Bea Ruiz' }, emails: [{ email: 'bea@example.com' }] },
      ],
    });
    expect(request?.body).toHaveProperty('contacts.length', 2);
  });

  it("keeps the contacts before when the next contact's form grows a row or takes the profile", async () => {
    h = await startHarness();
    h.slack.setProfile(ALICE.id, { real_name: 'Alicia Núñez', phone: '+593 99 765 4321' });
    const preview = await h.preview(await h.openForm(), JUAN_FORM);
    const second = await clickForView(preview, ActionId.AddContact, BlockId.PreviewActions);
    // Add phone, then Use my Slack profile: each rebuilds the form, which must still know contact 1.
    const grown = await clickForView(second, ActionId.AddPhone, BlockId.AddPhone);
    expect(shown(grown)).toContainEqual(expect.stringContaining(en.contacts.adding(2)));
    const mine = await clickForView(grown, ActionId.UseProfile, BlockId.ProfileActions);
    expect(shown(mine)).toContainEqual(expect.stringContaining(en.contacts.adding(2)));
    const both = await h.preview(mine, {});
    expect(shown(both)).toContainEqual(expect.stringContaining(en.contacts.introMany(2)));
    await h.submit(both, {});
    await sentNotification();
    expect(sentContacts().map((contact) => contact.name.formatted_name)).toEqual([
      'Juan Pérez',
      'Alicia Núñez',
    ]);
  });

  it('keeps the contact being edited in its place when its form grows a row', async () => {
    h = await startHarness();
    let preview = await h.preview(await h.openForm(), JUAN_FORM);
    preview = await addAnother(preview, ana);
    const edit = await clickForView(preview, ActionId.EditContact, contactBlockId(0));
    const grown = await clickForView(edit, ActionId.AddEmail, BlockId.AddEmail);
    expect(shown(grown)).toContainEqual(expect.stringContaining(en.contacts.editing(1, 2)));
    const edited = await h.preview(grown, { [BlockId.FormattedName]: 'Juan P. Pérez' });
    await h.submit(edited, {});
    await sentNotification();
    expect(sentContacts().map((contact) => contact.name.formatted_name)).toEqual([
      'Juan P. Pérez',
      'Ana Torres',
    ]);
  });

  it('"Use my Slack profile" says so on the form when the profile cannot be read', async () => {
    h = await startHarness();
    h.slack.on('users.info', (call) =>
      call.args.include_locale ? undefined : { ok: false, error: 'missing_scope' },
    );
    const form = await h.openForm();
    const same = await clickForView(form, ActionId.UseProfile, BlockId.ProfileActions);
    expect(shown(same)).toContainEqual(expect.stringContaining(en.form.profileFailed));
  });

  it('adds a .vcf file after a typed contact: the typed one first, then the file', async () => {
    h = await startHarness();
    const preview = await h.preview(await h.openForm(), JUAN_FORM);
    const form = await clickForView(preview, ActionId.AddContact, BlockId.PreviewActions);
    const importing = await clickForView(form, ActionId.OpenImport, BlockId.ImportOffer);
    expect(shown(importing)).toContainEqual(expect.stringContaining(en.vcf.kept(1)));
    const both = await importFile(importing, serve(fixture('outlook.vcf')));
    await h.submit(both, {});
    await sentNotification();
    expect(sentContacts().map((contact) => contact.name.formatted_name)).toEqual([
      'Juan Pérez',
      'Ing. Diego Alejandro Paredes',
    ]);
  });
});

describe('Download .vcf on the notification', () => {
  it('sends the sent card as a .vcf by DM to whoever clicked, never in the channel; its bytes read back as the sent contacts', async () => {
    h = await startHarness();
    const preview = await importFile(await importView(), serve(fixture('google.vcf')));
    await h.submit(preview, {});
    const notification = await sentNotification();
    expect((await h.clickMessage(notification, ActionId.DownloadVcf)).status).toBe(200);
    await h.slack.waitFor('files.completeUploadExternal');
    const [upload] = h.slack.uploads;
    // The card holds numbers and addresses the channel message does not show: never in the thread.
    expect(h.slack.callsTo('conversations.open')[0]?.args.users).toBe(ALICE.id);
    expect(h.slack.uploads).toHaveLength(1);
    expect(upload).toMatchObject({
      channelId: `D${ALICE.id}`,
      threadTs: undefined,
      filename: 'Carlos Andrade +2.vcf',
      title: 'Contact card: Carlos Andrade +2',
      authorization: `Bearer ${SECRETS.botToken}`,
    });
    expect(expectedContacts(upload?.bytes ?? '')).toEqual(sentContacts());
  });

  it('goes by DM when the notification is ephemeral, and also after a failed send', async () => {
    h = await startHarness();
    h.jelou.script('messages', json(400, { code: 'message_could_not_be_send', message: 'Outside window' }));
    await h.submit(await h.preview(await h.openForm(), JUAN_FORM), {});
    const failed = await h.slack.waitFor('chat.update', (call) => /Could not send/.test(textOf(call)));
    await h.clickMessage(failed, ActionId.DownloadVcf, { ephemeral: true });
    await h.slack.waitFor('files.completeUploadExternal');
    expect(h.slack.callsTo('conversations.open')[0]?.args.users).toBe(ALICE.id);
    expect(h.slack.uploads[0]).toMatchObject({ channelId: `D${ALICE.id}`, threadTs: undefined });
    expect(parseVcf(h.slack.uploads[0]?.bytes.toString('utf8') ?? '').contacts[0]?.formattedName).toBe(
      'Juan Pérez',
    );
  });

  it('tells the person when the file cannot be sent, and leaves the card as it was', async () => {
    h = await startHarness();
    h.slack.on('files.completeUploadExternal', () => ({ ok: false, error: 'not_allowed_token_type' }));
    await h.submit(await h.preview(await h.openForm(), JUAN_FORM), {});
    await h.clickMessage(await sentNotification(), ActionId.DownloadVcf);
    const told = await h.slack.waitFor(RESPONSE_URL);
    expect(told.args).toMatchObject({ response_type: 'ephemeral', text: en.download.failed });
    expect(h.slack.uploads).toEqual([]);
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);
  });

  it('refuses someone who did not send the card, privately, and uploads nothing', async () => {
    h = await startHarness();
    await h.submit(await h.preview(await h.openForm(), JUAN_FORM), {});
    await h.clickMessage(await sentNotification(), ActionId.DownloadVcf, { user: MALLORY });
    const refusal = await h.slack.waitFor(RESPONSE_URL);
    expect(refusal.args).toMatchObject({ response_type: 'ephemeral', text: en.download.notYours });
    expect(h.slack.uploads).toEqual([]);
  });
});
