import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { stepRefusal } from '../../access.js';
import { catalogue } from '../../i18n/index.js';
import { contactFromProfileWithin } from '../../profile.js';
import {
  contactFromInputs,
  NO_RESULT_CHANNEL,
  readStepInputs,
  stepMessage,
  stepSubmissionKey,
} from '../../step.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackEventMiddlewareArgs<'function_executed'> & AllMiddlewareArgs;

/** Within Slack's 3 seconds for the event, with room left to record the send and acknowledge. */
const PROFILE_BUDGET_MS = 1_500;

/**
 * The "Send WhatsApp contact card" workflow step. The inputs are checked as the modal checks a
 * form and the send is recorded, keyed by the function execution, before Slack gets its ack: the
 * outbox then delivers it like any other, and the step is completed (with the app's bot token,
 * see ../../workflow-step.ts) once Jelou has answered. Input the card cannot be made from fails
 * the step at once with the sentence saying what to fix, and nothing is recorded.
 */
export function sendCardStep(deps: ListenerDeps) {
  return async ({ ack, event, inputs, fail, client, context, body }: Args): Promise<void> => {
    const locale = deps.config.defaultLocale;
    const t = catalogue(locale);
    const refuse = async (error: string, why: string) => {
      await ack();
      deps.logger.info({ why }, 'refused a workflow step');
      try {
        await fail({ error });
      } catch (failed) {
        deps.logger.error({ err: failed }, 'could not fail the workflow step');
      }
    };
    const read = readStepInputs(inputs);
    if (!read) {
      await refuse(t.step.badIds, 'slack id input malformed');
      return;
    }
    const refusal = stepRefusal(deps.config.access, read.card_owner, read.result_channel);
    if (refusal) {
      await refuse(
        refusal === 'channel_not_allowed' ? t.step.channelNotAllowed : t.step.notAllowed,
        'not on the allowed list',
      );
      return;
    }
    const owner = read.card_owner;
    let contact = contactFromInputs(read);
    if (owner !== undefined) {
      const profile = await contactFromProfileWithin(client, owner, PROFILE_BUDGET_MS, deps.logger);
      if (profile === undefined) {
        await refuse(t.step.profileFailed, 'card owner profile unavailable');
        return;
      }
      // The profile is the card; the step's name stands in when the profile has none.
      contact = { ...profile, formattedName: profile.formattedName ?? read.name };
    }
    const built = stepMessage(read.recipient, contact, owner !== undefined, locale, {
      defaultCountry: deps.config.defaultCountry,
    });
    if (!built.ok) {
      await refuse(built.error, 'card invalid');
      return;
    }
    const { message } = built;
    const submitted = await deps.delivery.submit(
      {
        // A repeated event (Slack retries one it thinks unacknowledged) finds the send already recorded.
        key: stepSubmissionKey(event.function_execution_id),
        teamId: body.team_id,
        requestedBy: owner ?? context.botUserId ?? 'workflow',
        channelId: read.result_channel ?? NO_RESULT_CHANNEL,
        cardName: message.contacts[0]?.name.formatted_name ?? '',
        locale,
        to: [{ message, label: message.userId }],
      },
      () => ack(),
    );
    if (!submitted.recorded) await refuse(t.step.recordFailed, 'record failed');
  };
}
