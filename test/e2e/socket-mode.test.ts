/**
 * Socket Mode end to end: the app connects out through `apps.connections.open` (at
 * SLACK_API_URL, with the app-level token) to a loopback socket, and the whole flow runs over it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModalView } from '@slack/types';
import { afterEach, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { BlockId, CallbackId, rowBlockId } from '../../src/slack/ids.js';
import { type JelouStandIn, startJelouStandIn } from '../support/jelou-standin.js';
import { CHANNEL, type OpenedView, picked, slashCommand, viewSubmission } from '../support/slack-payloads.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';
import { type SocketStandIn, startSocketStandIn } from '../support/socket-standin.js';

const APP_TOKEN = 'xapp-1-A0JELOUCARD-1234-socketAppTokenValue';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

async function startSocketApp(): Promise<{
  slack: SlackStandIn;
  jelou: JelouStandIn;
  socket: SocketStandIn;
  healthBase: string;
}> {
  const slack = await startSlackStandIn();
  const jelou = await startJelouStandIn();
  const socket = await startSocketStandIn();
  slack.on('apps.connections.open', () => ({ ok: true, url: socket.url }));
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-socket-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-0000-1111-socketBotToken',
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    JELOU_API_URL: jelou.url,
    JELOU_BOT_ID: 'bot-socket',
    JELOU_CLIENT_ID: 'client',
    JELOU_CLIENT_SECRET: 'socket-client-secret',
    DATABASE_URL: `file:${join(dir, 'sends.db')}`,
    LOG_LEVEL: 'silent',
    HEALTH_PORT: '0',
  });
  const runtime: Runtime = createRuntime(config, createLogger({ level: 'silent' }));
  const { healthPort } = await runtime.start();
  await socket.connected;
  cleanup = async () => {
    await runtime.stop();
    await Promise.all([socket.close(), slack.close(), jelou.close()]);
    rmSync(dir, { recursive: true, force: true });
  };
  return { slack, jelou, socket, healthBase: `http://127.0.0.1:${healthPort}` };
}

it('connects through SLACK_API_URL with the app token and runs the whole flow over the socket', async () => {
  const { slack, jelou, socket } = await startSocketApp();
  const [open] = slack.callsTo('apps.connections.open');
  expect(open?.authorization).toBe(`Bearer ${APP_TOKEN}`);

  const commandAck = await socket.deliver('slash_commands', slashCommand(''));
  expect(commandAck.envelope_id).toBe('envelope-1');
  const opened = await slack.waitFor('views.open');
  const form: OpenedView = { ...(opened.args.view as ModalView), id: 'V1', hash: 'h1' };
  expect(form.callback_id).toBe(CallbackId.CardModal);

  const previewAck = await socket.deliver(
    'interactive',
    viewSubmission(form, {
      [BlockId.Recipient]: picked('María López · +593 99 123 4567', '593991234567'),
      [BlockId.FormattedName]: 'Juan Pérez',
      [rowBlockId('phone', 0, 'number')]: '+52 55 1234 5678',
    }),
  );
  expect(previewAck.payload).toMatchObject({
    response_action: 'update',
    view: { callback_id: CallbackId.PreviewModal },
  });

  const preview = { ...(previewAck.payload?.view as ModalView), id: 'V1', hash: 'h2' };
  const sendAck = await socket.deliver('interactive', viewSubmission(preview, {}));
  expect(sendAck.payload).toEqual({ response_action: 'clear' });
  const sent = await slack.waitFor('chat.update', (call) => /Sent/.test(String(call.args.text)));
  expect(sent.args.channel).toBe(CHANNEL);
  expect(jelou.requestsTo('messages').map((r) => r.body)).toEqual([
    {
      type: 'contacts',
      userId: '593991234567',
      contacts: [
        {
          name: { formatted_name: 'Juan Pérez', first_name: 'Juan Pérez' },
          phones: [{ phone: '+525512345678', type: 'Mobile', wa_id: '5215512345678' }],
        },
      ],
    },
  ]);
});

it('serves /healthz, /readyz (socket connected) and /metrics on HEALTH_PORT', async () => {
  const { healthBase } = await startSocketApp();
  expect((await fetch(`${healthBase}/healthz`)).status).toBe(200);
  const ready = await fetch(`${healthBase}/readyz`);
  expect(await ready.json()).toEqual({
    ready: true,
    checks: { store: true, slackAuth: true, accepting: true, socket: true },
  });
  expect(await (await fetch(`${healthBase}/metrics`)).text()).toContain('jelou_card_sends_total');
  expect((await fetch(`${healthBase}/slack/events`)).status).toBe(404);
});
