/**
 * The message shortcut "Send contact card": numbers in the message offered as recipients, a .vcf
 * file in it loaded as the card, and the result posted in the message's thread.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModalView } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockId, CallbackId } from '../../src/slack/ids.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { messageShortcut } from '../support/message-shortcut.js';
import { inputBlock, type OpenedView } from '../support/slack-payloads.js';
import { payloadBody } from '../support/slack-requests.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'vcf');
const MESSAGE_TS = '1700000500.000200';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness();
  return harness;
}

/** The recipients the form offers already chosen: their values (WhatsApp ids). */
function offered(view: ModalView): string[] {
  const element = inputBlock(view, BlockId.Recipient).element as { initial_options?: { value?: string }[] };
  return (element.initial_options ?? []).map((option) => option.value ?? '');
}

describe('the message shortcut', () => {
  it('offers every number in the message and posts the result in its thread', async () => {
    const h = await start();
    const response = await h.post(
      payloadBody(
        messageShortcut({
          ts: MESSAGE_TS,
          text: 'Cliente nuevo: María +593 99 123 4567, y su socio al +52 55 1234 5678. Llamar hoy.',
        }),
      ),
    );
    expect(response.status).toBe(200);
    const opened = await h.slack.waitFor('views.open');
    const form = opened.args.view as ModalView;
    expect(form.callback_id).toBe(CallbackId.CardModal);
    expect(offered(form)).toEqual(['593991234567', '525512345678']);
    // The message's channel is where the result goes: the form does not ask.
    expect(form.blocks.some((block) => block.block_id === BlockId.ResultChannel)).toBe(false);

    const view: OpenedView = { ...form, id: 'VMSG1', hash: 'hash-msg-1' };
    const preview = await h.preview(view, { [BlockId.FormattedName]: 'Juan Pérez' });
    expect(preview.callback_id).toBe(CallbackId.PreviewModal);
    await h.submit(preview, {});
    const posted = await h.slack.waitFor('chat.postMessage');
    expect(posted.args.channel).toBe('C0SUPPORT');
    expect(posted.args.thread_ts).toBe(MESSAGE_TS);
    await h.slack.waitFor('chat.update', () => h.jelou.requestsTo('messages').length === 2);
    const recipients = h.jelou
      .requestsTo('messages')
      .map((request) => (request.body as { userId: string }).userId);
    expect(recipients.sort()).toEqual(['525512345678', '593991234567']);
  });

  it('a reply: the result joins the thread the reply is in', async () => {
    const h = await start();
    await h.post(
      payloadBody(
        messageShortcut({ ts: MESSAGE_TS, threadTs: '1700000400.000100', text: '+593 99 123 4567' }),
      ),
    );
    const form = (await h.slack.waitFor('views.open')).args.view as ModalView;
    const preview = await h.preview(
      { ...form, id: 'VMSG2', hash: 'h2' },
      { [BlockId.FormattedName]: 'Juan' },
    );
    await h.submit(preview, {});
    const posted = await h.slack.waitFor('chat.postMessage');
    expect(posted.args.thread_ts).toBe('1700000400.000100');
  });

  it("loads the message's .vcf card into the preview, sent to the number in the message", async () => {
    const h = await start();
    const file = h.slack.serveFile(readFileSync(join(FIXTURES, 'iphone.vcf')), {
      token: SECRETS.botToken,
      name: 'maria.vcf',
    });
    await h.post(
      payloadBody(messageShortcut({ ts: MESSAGE_TS, text: 'Para +52 55 1234 5678', files: [file] })),
    );
    const opened = await h.slack.waitFor('views.open');
    const updated = await h.slack.waitFor('views.update');
    // The form opened first (the trigger id lasts 3 s), then the file's card replaced it.
    expect((opened.args.view as ModalView).callback_id).toBe(CallbackId.CardModal);
    expect(updated.args.hash).toBeDefined();
    const preview = updated.args.view as ModalView;
    expect(preview.callback_id).toBe(CallbackId.PreviewModal);
    const metadata = JSON.parse(preview.private_metadata ?? '{}') as {
      recipients: { id: string }[];
      contacts: { name: { formatted_name: string } }[];
      threadTs: string;
    };
    expect(metadata.recipients.map((recipient) => recipient.id)).toEqual(['525512345678']);
    // Every card of the file, as the .vcf import reads it.
    expect(metadata.contacts.map((contact) => contact.name.formatted_name)).toEqual([
      'María José Núñez',
      'Ferretería El Tornillo',
      '王小明 🐉',
    ]);
    expect(metadata.threadTs).toBe(MESSAGE_TS);

    await h.submit({ ...preview, id: String(updated.args.view_id), hash: 'hash-vcf' }, {});
    const posted = await h.slack.waitFor('chat.postMessage');
    expect(posted.args.thread_ts).toBe(MESSAGE_TS);
  });

  it('with a .vcf and no number, fills the form with the card and leaves the recipient to the person', async () => {
    const h = await start();
    const file = h.slack.serveFile(readFileSync(join(FIXTURES, 'iphone.vcf')), { token: SECRETS.botToken });
    await h.post(payloadBody(messageShortcut({ ts: MESSAGE_TS, text: 'Su tarjeta', files: [file] })));
    const updated = await h.slack.waitFor('views.update');
    const form = updated.args.view as ModalView;
    expect(form.callback_id).toBe(CallbackId.CardModal);
    const name = inputBlock(form, BlockId.FormattedName).element as { initial_value?: string };
    expect(name.initial_value).toBe('María José Núñez');
    expect(offered(form)).toEqual([]);
  });
});
