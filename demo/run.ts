/**
 * `npm run demo`: the whole flow on this machine with no accounts. It starts the real app
 * (`node dist/jelou-card.js`, HTTP mode) against the same loopback stand-ins for Slack's Web API and
 * for Jelou that the end-to-end tests use, then plays the person: /jelou-card, the form, the
 * seed's Juan Pérez card, the preview, Send. Each step prints what crossed the wire.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyBlock, KnownBlock, ModalView } from '@slack/types';
import { ActionId, BlockId } from '../src/slack/ids.js';
import { startAppProcess, until } from '../test/support/app-process.js';
import { SECRETS, standInEnv, startStandIns } from '../test/support/harness.js';
import { JUAN_FORM, JUAN_RECIPIENT_ID } from '../test/support/juan.js';
import { slackDriver } from '../test/support/slack-driver.js';

const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (n: number, title: string) => say(`\n── ${n}. ${title}`);

const SHOWN_TYPES = new Set(['input', 'section', 'context']);

function isShown(block: AnyBlock): block is KnownBlock {
  return SHOWN_TYPES.has(block.type);
}

/** What a person reads in a block: its label or its text, without Slack's markup. */
function readable(block: AnyBlock): string | undefined {
  if (!isShown(block)) return undefined;
  const plain = (text: string) =>
    text
      .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  if (block.type === 'input') return `${block.label.text}${block.optional ? ' (optional)' : ''}`;
  if (block.type === 'section' && block.text) return plain(block.text.text);
  if (block.type === 'context') {
    return block.elements.map((element) => ('text' in element ? plain(element.text) : '')).join(' ');
  }
  return undefined;
}

async function main(): Promise<void> {
  const { slack, jelou } = await startStandIns();
  jelou.setConversations([
    {
      userId: JUAN_RECIPIENT_ID,
      name: 'María López',
      messages: [
        { by: 'user', at: new Date(Date.now() - 60 * 60 * 1000), text: 'Hola, ¿me pasan el contacto?' },
      ],
    },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-demo-'));
  const app = await startAppProcess({
    ...standInEnv(slack, jelou, join(dir, 'sends.db')),
    LOG_LEVEL: 'info',
  });
  try {
    const drive = slackDriver(app.eventsUrl, SECRETS.signingSecret, slack);
    say('jelou-card demo: the real app, with loopback stand-ins for Slack and Jelou (no accounts needed).');
    say(`App listening at ${app.eventsUrl}`);

    step(1, 'A person types /jelou-card in #support');
    const form = await drive.openForm();
    say(
      `Slack opens the modal "${form.title.text}" (buttons: ${form.close?.text} / ${form.submit?.text}) with:`,
    );
    for (const block of form.blocks) {
      const text = readable(block);
      if (text) say(`  • ${text}`);
    }

    step(2, 'They click "Send to" and type "mar"');
    const options = (await drive.suggest(form, ActionId.RecipientSelect, BlockId.Recipient, 'mar')).json as {
      options: { text: { text: string } }[];
    };
    for (const option of options.options)
      say(`  • ${option.text.text}   (from the bot's recent conversations)`);

    step(3, "They fill in the seed's Juan Pérez card and press Preview");
    const preview: ModalView = await drive.preview(form, JUAN_FORM);
    for (const block of preview.blocks) {
      const text = readable(block);
      if (text) say(`  ${text.replace(/\n/g, '\n  ')}`);
    }

    step(4, 'They press Send: the modal closes, the send is recorded, then Jelou is called');
    const sent = await drive.submit({ ...preview, id: form.id, hash: 'demo-preview' }, {});
    say(`Slack's answer to the click: ${sent.text}`);
    await until('Jelou to receive the card', () => jelou.requestsTo('messages').length === 1);
    const [request] = jelou.requestsTo('messages');
    if (!request) throw new Error('Jelou received nothing');
    say(`Jelou received: ${request.method} ${request.path}`);
    say(`  Authorization: Basic ${'•'.repeat(12)} (client id and secret, base64)`);
    say(`  Content-Type: ${request.headers['content-type']}`);
    say(`  ${JSON.stringify(request.body, null, 2).replace(/\n/g, '\n  ')}`);

    step(5, 'The channel message follows the send');
    const done = await slack.waitFor('chat.update', (call) => /Sent/.test(String(call.args.text)));
    say(`  first: ${String(slack.callsTo('chat.postMessage')[0]?.args.text)}`);
    for (const block of done.args.blocks as AnyBlock[]) {
      const text = readable(block);
      if (text) say(`  then:  ${text}`);
    }

    app.kill('SIGTERM');
    say(
      `\nThe app stopped cleanly (exit code ${await app.exited}). That is the whole flow; see README.md to install it for real.`,
    );
  } finally {
    app.kill('SIGKILL');
    await Promise.all([slack.close(), jelou.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
