/**
 * A card waiting for the customer's answer to its template survives a restart (the wait is in the
 * store, not in memory), and the whole path works in Socket Mode, where Jelou's notification URL
 * is served on HEALTH_PORT (issue 15).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModalView } from '@slack/types';
import { afterEach, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { en } from '../../src/slack/i18n/en.js';
import { ActionId, BlockId } from '../../src/slack/ids.js';
import { mention } from '../../src/slack/views/notification.js';
import { until } from '../support/app-process.js';
import { SECRETS, standInEnv, startStandIns } from '../support/harness.js';
import { JUAN_FORM, JUAN_RECIPIENT_ID } from '../support/juan.js';
import { slackDriver } from '../support/slack-driver.js';
import {
  ALICE,
  messageButtonClick,
  type OpenedView,
  slashCommand,
  viewSubmission,
} from '../support/slack-payloads.js';
import { payloadBody } from '../support/slack-requests.js';
import type { SlackCall } from '../support/slack-standin.js';
import { startSocketStandIn } from '../support/socket-standin.js';
import {
  type Block,
  closeWindow,
  currentView,
  headline,
  lastNotice,
  MARIA_LABEL,
  selectTemplate,
  templateOption,
  webhookHeaders,
} from '../support/template-flow.js';

const SENT_AFTER_REPLY = en.notification.sentAfterReply(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id));
const WAITING = en.notification.awaiting(MARIA_LABEL, 'Juan Pérez', mention(ALICE.id));
const APP_TOKEN = 'xapp-1-A0JELOUCARD-1234-socketAppTokenValue';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function button(
  call: SlackCall | undefined,
  actionId: string,
): { blockId: string; value: string } | undefined {
  for (const block of (call?.args.blocks ?? []) as Block[]) {
    for (const element of (block.elements ?? []) as { action_id?: string; value?: string }[]) {
      if (element.action_id === actionId)
        return { blockId: block.block_id ?? '', value: element.value ?? '' };
    }
  }
  return undefined;
}

it('sends a card that was waiting for an answer when the app restarted, once the answer comes', async () => {
  const { slack, jelou } = await startStandIns();
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-await-'));
  const env = {
    ...standInEnv(slack, jelou, join(dir, 'sends.db')),
    LOG_LEVEL: 'silent',
    JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret,
    JELOU_POLL_SECONDS: '3600',
  };
  let runtime: Runtime | undefined;
  cleanups.push(async () => {
    await runtime?.stop();
    await Promise.all([slack.close(), jelou.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async () => {
    runtime = createRuntime(loadConfig(env), createLogger({ level: 'silent' }));
    const { port } = await runtime.start();
    jelou.setNotificationUrl(`http://127.0.0.1:${port}/jelou/events`, webhookHeaders);
    return slackDriver(`http://127.0.0.1:${port}/slack/events`, SECRETS.signingSecret, slack);
  };
  closeWindow({ slack, jelou });
  const drive = await start();
  await drive.submit(await drive.preview(await drive.openForm(), JUAN_FORM), {});
  await until(
    'a template to be offered',
    () => button(lastNotice(slack), ActionId.SendTemplate) !== undefined,
  );
  const refused = lastNotice(slack);
  if (!refused) throw new Error('no notice');
  let updates = slack.callsTo('views.update').length;
  await drive.clickMessage(refused, ActionId.SendTemplate);
  await until('the templates', () => slack.callsTo('views.update').length > updates);
  const option = templateOption(currentView(slack), 'card_follow_up');
  updates = slack.callsTo('views.update').length;
  await drive.post(payloadBody(selectTemplate(currentView(slack), option)));
  await until('the parameters', () => slack.callsTo('views.update').length > updates);
  await drive.submit(currentView(slack), { [BlockId.TemplatePick]: option });
  await until('the card to wait', () => headline(lastNotice(slack)) === WAITING);

  // The app stops (a deploy) while María has not answered yet, and starts again.
  await runtime?.stop();
  runtime = undefined;
  const cards = jelou.requestsTo('messages').length;
  await start();
  expect(await jelou.customerWrites(JUAN_RECIPIENT_ID)).toBe(200);
  await until('the card to be sent', () => headline(lastNotice(slack)) === SENT_AFTER_REPLY);
  expect(jelou.requestsTo('messages')).toHaveLength(cards + 1);
});

it('works in Socket Mode, with the notification URL on HEALTH_PORT', async () => {
  const { slack, jelou } = await startStandIns();
  const socket = await startSocketStandIn();
  slack.on('apps.connections.open', () => ({ ok: true, url: socket.url }));
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-await-socket-'));
  const {
    SLACK_SIGNING_SECRET: _unused,
    PORT: _port,
    ...httpEnv
  } = standInEnv(slack, jelou, join(dir, 'sends.db'));
  const config = loadConfig({
    ...httpEnv,
    SLACK_APP_TOKEN: APP_TOKEN,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret,
    JELOU_POLL_SECONDS: '3600',
  });
  const runtime = createRuntime(config, createLogger({ level: 'silent' }));
  const { healthPort } = await runtime.start();
  await socket.connected;
  cleanups.push(async () => {
    await runtime.stop();
    await Promise.all([socket.close(), slack.close(), jelou.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  jelou.setNotificationUrl(`http://127.0.0.1:${healthPort}/jelou/events`, webhookHeaders);
  closeWindow({ slack, jelou });

  await socket.deliver('slash_commands', slashCommand(''));
  const opened = await slack.waitFor('views.open');
  const form: OpenedView = { ...(opened.args.view as ModalView), id: 'V1', hash: 'h1' };
  const previewAck = await socket.deliver('interactive', viewSubmission(form, JUAN_FORM));
  const preview = { ...(previewAck.payload as { view: ModalView }).view, id: 'V1', hash: 'h2' };
  await socket.deliver('interactive', viewSubmission(preview, {}));
  await until(
    'a template to be offered',
    () => button(lastNotice(slack), ActionId.SendTemplate) !== undefined,
  );
  const refused = lastNotice(slack);
  const offer = button(refused, ActionId.SendTemplate);
  if (!refused || !offer) throw new Error('no offer');
  let updates = slack.callsTo('views.update').length;
  await socket.deliver(
    'interactive',
    messageButtonClick(
      { channel: String(refused.args.channel), ts: String(refused.args.ts), blocks: refused.args.blocks },
      { actionId: ActionId.SendTemplate, ...offer },
      slack.responseUrl,
    ),
  );
  await until('the templates', () => slack.callsTo('views.update').length > updates);
  const option = templateOption(currentView(slack), 'card_follow_up');
  updates = slack.callsTo('views.update').length;
  await socket.deliver('interactive', selectTemplate(currentView(slack), option));
  await until('the parameters', () => slack.callsTo('views.update').length > updates);
  const submitted = await socket.deliver(
    'interactive',
    viewSubmission(currentView(slack), { [BlockId.TemplatePick]: option }),
  );
  expect(submitted.payload).toEqual({ response_action: 'clear' });
  await until('the card to wait', () => headline(lastNotice(slack)) === WAITING);
  // Forged: refused on HEALTH_PORT as on PORT.
  expect(await jelou.postToNotificationUrl({ event: 'REPLY', destination: JUAN_RECIPIENT_ID }, {})).toBe(401);
  expect(await jelou.customerWrites(JUAN_RECIPIENT_ID)).toBe(200);
  await until('the card to be sent', () => headline(lastNotice(slack)) === SENT_AFTER_REPLY);
  expect(jelou.requestsTo('hsm')).toHaveLength(1);
});
