/**
 * The workflow step over Socket Mode: `function_executed` arrives in an `events_api` envelope, is
 * acknowledged once recorded, and the step is completed once Jelou has answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { StepInput, StepOutput } from '../../src/slack/ids.js';
import { startJelouStandIn } from '../support/jelou-standin.js';
import { JUAN_RECIPIENT_ID } from '../support/juan.js';
import { startSlackStandIn } from '../support/slack-standin.js';
import { startSocketStandIn } from '../support/socket-standin.js';
import { deliverOverSocket, stepExecution } from '../support/workflow-steps.js';

const BOT_TOKEN = 'xoxb-0000-1111-socketStepBotToken';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

it('runs the step over the socket: acknowledged, sent once, completed with the outputs', async () => {
  const slack = await startSlackStandIn();
  const jelou = await startJelouStandIn();
  const socket = await startSocketStandIn();
  slack.on('apps.connections.open', () => ({ ok: true, url: socket.url }));
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-step-socket-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: 'xapp-1-A0JELOUCARD-1234-socketAppTokenValue',
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
  await runtime.start();
  cleanup = async () => {
    await runtime.stop();
    await Promise.all([socket.close(), slack.close(), jelou.close()]);
    rmSync(dir, { recursive: true, force: true });
  };
  await socket.connected;

  const execution = stepExecution(slack, {
    [StepInput.Recipient]: JUAN_RECIPIENT_ID,
    [StepInput.Name]: 'Juan Pérez',
    [StepInput.Phone]: '+52 55 1234 5678',
  });
  const ack = await deliverOverSocket(socket, execution);
  expect(ack.envelope_id).toBe('envelope-1');

  const completed = await slack.waitFor(
    'functions.completeSuccess',
    (call) => call.args.function_execution_id === execution.executionId,
  );
  expect(completed.args.outputs).toStrictEqual({
    [StepOutput.Status]: 'sent',
    [StepOutput.MessageId]: 'msg_1',
  });
  expect(completed.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  expect(execution.state()).toBe('completed');
  const [request] = jelou.requestsTo('messages');
  expect(request?.body).toMatchObject({ type: 'contacts', userId: JUAN_RECIPIENT_ID });
  expect(jelou.requestsTo('messages')).toHaveLength(1);
});
