/**
 * Ends a workflow step once its send is over, and keeps step sends without a result channel out
 * of Slack's channels.
 *
 * The step is completed with the app's bot token, never with the `bot_access_token` that came with
 * `function_executed`: that token expires 15 minutes after it was issued or when the step
 * completes (a Slack maintainer in https://github.com/slackapi/bolt-python/issues/1075), it is a
 * secret the store must not hold, and a send delivered after a restart no longer has it.
 * `functions.completeSuccess` and `functions.completeError` take any bot token of the app and need
 * no scope (https://docs.slack.dev/reference/methods/functions.completeSuccess,
 * https://docs.slack.dev/reference/methods/functions.completeError).
 */
import type { webApi } from '@slack/bolt';
import type { SendNotifier } from '../delivery/service.js';
import type { Logger } from '../logging.js';
import type { NotificationRef, SendRecord } from '../store/types.js';
import { isAlreadyCompleted, slackErrorCode } from './api-errors.js';
import { functionExecutionOf, NO_RESULT_CHANNEL, stepCompletion } from './step.js';

export type StepClient = Pick<webApi.WebClient, 'functions'>;

export class StepCompleter {
  constructor(
    private readonly client: StepClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Completes the step `send` was made for, when it was made for one and is over. Never throws:
   * a step Slack will not complete (already completed by an earlier run of this code, or its
   * execution gone) is logged; the send itself is already stored.
   */
  async finished(send: SendRecord): Promise<void> {
    const executionId = functionExecutionOf(send);
    if (executionId === undefined) return;
    const completion = stepCompletion(send);
    try {
      if (completion.kind === 'success') {
        await this.client.functions.completeSuccess({
          function_execution_id: executionId,
          outputs: completion.outputs,
        });
      } else if (completion.kind === 'error') {
        await this.client.functions.completeError({
          function_execution_id: executionId,
          error: completion.error,
        });
      } else return;
      this.logger.info({ status: send.status, outcome: completion.kind }, 'completed the workflow step');
    } catch (error) {
      // execution_not_in_running_state: completed before (a retry of the send, a repeat after a
      // restart). Anything else leaves the step "In progress" in Workflow Builder: worth an error.
      const slackError = slackErrorCode(error);
      if (isAlreadyCompleted(error))
        this.logger.info({ slackError }, 'the workflow step was already completed');
      else this.logger.error({ err: error, slackError }, 'could not complete the workflow step');
    }
  }
}

/**
 * The notifier for every send, which leaves alone the sends of workflow steps that have no
 * result channel: their outcome goes back to the workflow as the step's outputs.
 */
export function withoutSilentSteps(notifier: SendNotifier): SendNotifier {
  const silent = (send: SendRecord) =>
    functionExecutionOf(send) !== undefined && send.channelId === NO_RESULT_CHANNEL;
  return {
    post: (send): Promise<NotificationRef | undefined> =>
      silent(send) ? Promise.resolve(undefined) : notifier.post(send),
    update: (send) => (silent(send) ? Promise.resolve(undefined) : notifier.update(send)),
  };
}
