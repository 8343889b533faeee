/**
 * Runs the "Send WhatsApp contact card" workflow step the way Slack does: the stand-in starts a
 * function execution, and its `function_executed` event is delivered to the app as an Events API
 * request (JSON, signed: https://docs.slack.dev/apis/events-api/#receiving-events).
 */
import { StepOutput, WorkflowStep } from '../../src/slack/ids.js';
import { postSigned, type SlackHttpResponse } from './slack-requests.js';
import type { FunctionExecution, SlackStandIn } from './slack-standin.js';
import type { SocketAck, SocketStandIn } from './socket-standin.js';

/** The outputs the manifest marks required: Slack refuses a completeSuccess without them. */
export const STEP_REQUIRED_OUTPUTS = [StepOutput.Status] as const;

/** A new run of the step with `inputs`, not yet delivered. */
export function stepExecution(
  slack: SlackStandIn,
  inputs: Readonly<Record<string, unknown>>,
): FunctionExecution {
  return slack.startFunctionExecution({
    callbackId: WorkflowStep.SendCard,
    inputs,
    requiredOutputs: STEP_REQUIRED_OUTPUTS,
  });
}

/**
 * Delivers the run's `function_executed` to an HTTP-mode app. A retry by Slack is signed anew:
 * pass another `timestamp` (seconds) to deliver the same event again.
 */
export function deliverOverHttp(
  eventsUrl: string,
  signingSecret: string,
  execution: FunctionExecution,
  timestamp?: number,
): Promise<SlackHttpResponse> {
  return postSigned(eventsUrl, JSON.stringify(execution.envelope), {
    signingSecret,
    contentType: 'application/json',
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

/**
 * Delivers the run's `function_executed` over Socket Mode: the Events API body in an `events_api`
 * envelope (https://docs.slack.dev/apis/events-api/using-socket-mode). Resolves with the app's ack.
 */
export function deliverOverSocket(socket: SocketStandIn, execution: FunctionExecution): Promise<SocketAck> {
  return socket.deliver('events_api', execution.envelope);
}
