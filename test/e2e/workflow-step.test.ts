/**
 * The "Send WhatsApp contact card" workflow step end to end in HTTP mode: `function_executed`
 * from the Slack stand-in, the card through the same checks and outbox as the modal, and the step
 * completed (or failed) through functions.completeSuccess / completeError.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BlockId, MetadataEventType, rowBlockId, StepInput, StepOutput } from '../../src/slack/ids.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { json } from '../support/jelou-standin.js';
import { JUAN_RECIPIENT_ID } from '../support/juan.js';
import { CHANNEL, picked } from '../support/slack-payloads.js';
import type { SlackCall } from '../support/slack-standin.js';
import { deliverOverHttp, stepExecution } from '../support/workflow-steps.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(env: Record<string, string> = {}): Promise<Harness> {
  harness = await startHarness(env);
  return harness;
}

/** The step's inputs for a card with the fields the step has (no address: the step has none). */
const STEP_INPUTS = {
  [StepInput.Recipient]: '+593 99 123 4567',
  [StepInput.Name]: 'Juan Pérez',
  [StepInput.Phone]: '+52 55 1234 5678',
  [StepInput.Email]: 'juan.perez@example.com',
  [StepInput.Company]: 'Acme',
  [StepInput.Title]: 'Ventas',
  [StepInput.Website]: 'https://acme.example.com',
};

async function runStep(h: Harness, inputs: Record<string, unknown>) {
  const execution = stepExecution(h.slack, inputs);
  const response = await deliverOverHttp(h.eventsUrl, SECRETS.signingSecret, execution);
  expect(response.status).toBe(200);
  return execution;
}

/** The message metadata of a chat call, when it is a card's (`jelou_card_sent`). */
function payloadOf(call: SlackCall): Record<string, unknown> | undefined {
  const metadata = call.args.metadata as
    | { event_type?: string; event_payload?: Record<string, unknown> }
    | undefined;
  return metadata?.event_type === MetadataEventType.CardSent ? metadata.event_payload : undefined;
}

const byExecution = (id: string) => (call: { args: Record<string, unknown> }) =>
  call.args.function_execution_id === id;

describe('the workflow step', () => {
  it('sends the body the modal builds for the same card, then completes with the message id', async () => {
    const h = await start();
    // The modal first: the same card typed into the form, sent to the same person.
    const form = await h.openForm();
    const preview = await h.preview(form, {
      [BlockId.Recipient]: picked('Juan', JUAN_RECIPIENT_ID),
      [BlockId.FormattedName]: 'Juan Pérez',
      [rowBlockId('phone', 0, 'number')]: '+52 55 1234 5678',
      [rowBlockId('phone', 0, 'type')]: 'Mobile',
      [rowBlockId('email', 0, 'address')]: 'juan.perez@example.com',
      [rowBlockId('email', 0, 'type')]: 'Work',
      [BlockId.Company]: 'Acme',
      [BlockId.Title]: 'Ventas',
      [BlockId.Website]: 'https://acme.example.com',
    });
    await h.submit(preview, {});
    await h.slack.waitFor('chat.update', (call) => payloadOf(call)?.status === 'sent');
    const [fromModal] = h.jelou.requestsTo('messages');

    const execution = await runStep(h, { ...STEP_INPUTS, [StepInput.Recipient]: JUAN_RECIPIENT_ID });
    const completed = await h.slack.waitFor('functions.completeSuccess', byExecution(execution.executionId));
    const [, fromStep] = h.jelou.requestsTo('messages');

    expect(fromStep?.body).toStrictEqual(fromModal?.body);
    expect(completed.args.outputs).toStrictEqual({
      [StepOutput.Status]: 'sent',
      [StepOutput.MessageId]: 'msg_2',
    });
    // The app's bot token, not the step's short-lived one: it outlives the step's 15 minutes.
    expect(completed.authorization).toBe(`Bearer ${SECRETS.botToken}`);
    expect(execution.state()).toBe('completed');
    // No result channel given: the outcome went to the workflow only.
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.logLines.some((line) => line.includes(execution.token))).toBe(false);
  });

  it('fails at once with the sentence naming the input when the number is not one, and sends nothing', async () => {
    const h = await start();
    const execution = await runStep(h, { ...STEP_INPUTS, [StepInput.Recipient]: '+593 12' });
    const failed = await h.slack.waitFor('functions.completeError', byExecution(execution.executionId));
    const error = String(failed.args.error);
    expect(error.startsWith(`${StepInput.Recipient}: `)).toBe(true);
    expect(error.length).toBeGreaterThan(`${StepInput.Recipient}: `.length + 10);
    expect(execution.state()).toBe('failed');
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);
    expect(h.slack.callsTo('functions.completeSuccess')).toHaveLength(0);
  });

  it("fails with Jelou's reason when Jelou refuses the card", async () => {
    const h = await start();
    h.jelou.script(
      'messages',
      json(400, {
        code: 'message_could_not_be_send',
        message: 'The user has not written in the last 24 hours',
      }),
    );
    const execution = await runStep(h, STEP_INPUTS);
    const failed = await h.slack.waitFor('functions.completeError', byExecution(execution.executionId));
    expect(failed.authorization).toBe(`Bearer ${SECRETS.botToken}`);
    expect(String(failed.args.error)).toMatch(/24/);
    expect(execution.state()).toBe('failed');
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);
  });

  it('posts the result in the result channel with metadata that carries ids and the status only', async () => {
    const h = await start();
    const execution = await runStep(h, { ...STEP_INPUTS, [StepInput.ResultChannel]: CHANNEL });
    await h.slack.waitFor('functions.completeSuccess', byExecution(execution.executionId));
    const updated = await h.slack.waitFor('chat.update', (call) => payloadOf(call)?.status === 'sent');
    const [posted] = h.slack.callsTo('chat.postMessage');
    expect(posted?.args.channel).toBe(CHANNEL);
    const payload = payloadOf(updated);
    expect(Object.keys(payload ?? {}).sort()).toEqual(['message_id', 'send_id', 'status']);
    expect(payload?.message_id).toBe('msg_1');
    expect(payloadOf(posted as SlackCall)?.status).toBe('sending');
    // Slack took the metadata: no invalid_metadata_* error or warning on either call.
    for (const call of [posted, updated]) {
      expect(call?.answer).toMatchObject({ ok: true });
      expect(call?.answer).not.toHaveProperty('warning');
    }
  });

  it('records and sends one card when Slack delivers the same execution twice', async () => {
    const h = await start();
    const execution = stepExecution(h.slack, STEP_INPUTS);
    // Slack's retry of an event it thinks unacknowledged is signed afresh.
    const now = Math.floor(Date.now() / 1000);
    const answers = await Promise.all([
      deliverOverHttp(h.eventsUrl, SECRETS.signingSecret, execution, now),
      deliverOverHttp(h.eventsUrl, SECRETS.signingSecret, execution, now - 1),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await h.slack.waitFor('functions.completeSuccess', byExecution(execution.executionId));
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);
  });

  it("sends the card owner's Slack profile as the card when one is given", async () => {
    const h = await start();
    h.slack.setProfile('U0BOB', { real_name: 'Bob Vendedor', title: 'Ventas', phone: '+52 55 8765 4321' });
    const execution = await runStep(h, {
      [StepInput.Recipient]: JUAN_RECIPIENT_ID,
      [StepInput.Name]: 'ignored when the profile has a name',
      [StepInput.CardOwner]: 'U0BOB',
    });
    await h.slack.waitFor('functions.completeSuccess', byExecution(execution.executionId));
    const [request] = h.jelou.requestsTo('messages');
    const body = request?.body as {
      userId: string;
      contacts: { name: { formatted_name: string }; phones: { wa_id: string }[] }[];
    };
    expect(body.userId).toBe(JUAN_RECIPIENT_ID);
    expect(body.contacts[0]?.name.formatted_name).toBe('Bob Vendedor');
    expect(body.contacts[0]?.phones[0]?.wa_id).toBe('525587654321');
  });

  it('with ALLOWED_USER_IDS, runs only for a card owner on the list', async () => {
    const h = await start({ ALLOWED_USER_IDS: 'U0BOB' });
    h.slack.setProfile('U0BOB', { real_name: 'Bob Vendedor' });
    const anonymous = await runStep(h, STEP_INPUTS);
    const refused = await h.slack.waitFor('functions.completeError', byExecution(anonymous.executionId));
    expect(String(refused.args.error)).toMatch(/ALLOWED_USER_IDS/);
    const stranger = await runStep(h, { ...STEP_INPUTS, [StepInput.CardOwner]: 'U0EVE' });
    await h.slack.waitFor('functions.completeError', byExecution(stranger.executionId));
    expect(h.jelou.requestsTo('messages')).toHaveLength(0);

    const allowed = await runStep(h, { ...STEP_INPUTS, [StepInput.CardOwner]: 'U0BOB' });
    await h.slack.waitFor('functions.completeSuccess', byExecution(allowed.executionId));
    expect(h.jelou.requestsTo('messages')).toHaveLength(1);
  });
});
