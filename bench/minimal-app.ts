/**
 * The baselines for "modal open" and footprint: the smallest Bolt app that answers /jelou-card by
 * opening a modal, in HTTP mode, pointed at the same Slack stand-in. With `MINIMAL_VIEW_FILE` it
 * opens the view in that file (the bench writes the app's own form there, so both send the same
 * JSON); without, a one-block modal (bare Bolt, for start-to-ready and idle memory). With
 * `MINIMAL_LOG_CONTEXT` each request also runs inside an AsyncLocalStorage, as the app's log
 * context does (src/logging.ts), to show that one piece's cost on its own. Started on
 * port 0, it prints one JSON line with its port, as the real app's "jelou-card is running" line does.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const app = new App({
  token: env('SLACK_BOT_TOKEN'),
  signingSecret: env('SLACK_SIGNING_SECRET'),
  clientOptions: { slackApiUrl: env('SLACK_API_URL') },
});

const viewFile = process.env.MINIMAL_VIEW_FILE;
// Read once: building the view is the app's work, and is counted against it, not here.
const view: ModalView = viewFile
  ? (JSON.parse(readFileSync(viewFile, 'utf8')) as ModalView)
  : {
      type: 'modal',
      title: { type: 'plain_text', text: 'Minimal' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hello' } }],
    };

if (process.env.MINIMAL_LOG_CONTEXT) {
  const context = new AsyncLocalStorage<{ requestId: string }>();
  app.use(({ next }) => context.run({ requestId: randomUUID().slice(0, 8) }, next));
}

app.command('/jelou-card', async ({ ack, client, command }) => {
  await ack();
  await client.views.open({ trigger_id: command.trigger_id, view });
});

const server = (await app.start(Number(process.env.PORT ?? '0'))) as Server;
const { port } = server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ msg: 'minimal-app is running', port })}\n`);
process.once('SIGTERM', () => {
  void app.stop().finally(() => process.exit(0));
});
