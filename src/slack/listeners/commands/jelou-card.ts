import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { CardInvalidError, parseRecipient } from '../../../card/index.js';
import { isAllowed } from '../../access.js';
import type { Recipient } from '../../metadata.js';
import { escapeMrkdwn } from '../../mrkdwn.js';
import { slackErrorCode } from '../../notifier.js';
import { recipientLabel } from '../../recipients.js';
import { strings } from '../../strings.js';
import { cardFormView, INITIAL_ROWS } from '../../views/card-form.js';
import { historyMessage } from '../../views/history.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** How many sends `/jelou-card history` lists. */
const HISTORY_LENGTH = 10;

/**
 * `/jelou-card [number | help]`. The trigger id dies 3 seconds after Slack sent the command, so
 * nothing but cheap parsing happens before `views.open`.
 */
export function jelouCardCommand(deps: ListenerDeps) {
  return async ({ command, ack, client, respond }: Args): Promise<void> => {
    const text = command.text.trim();
    if (text.toLowerCase() === 'help') {
      await ack({ response_type: 'ephemeral', text: strings.command.help });
      return;
    }
    if (text.toLowerCase() === 'history') {
      // Answered through response_url, so reading the store never counts against the 3 seconds.
      await ack();
      const sends = await deps.store.history(command.user_id, HISTORY_LENGTH);
      await respond({ response_type: 'ephemeral', ...historyMessage(sends) });
      return;
    }
    if (!isAllowed(deps.config.access, command.user_id, command.channel_id)) {
      deps.logger.info({ channelId: command.channel_id }, 'refused /jelou-card: not on the allowed list');
      await ack({ response_type: 'ephemeral', text: strings.command.notAllowed });
      return;
    }
    await ack();
    let recipient: Recipient | undefined;
    let hint: string | undefined;
    if (text) {
      try {
        const id = parseRecipient(text, { defaultCountry: deps.config.defaultCountry });
        recipient = { id, label: recipientLabel(id, undefined) };
      } catch (error) {
        if (!(error instanceof CardInvalidError)) throw error;
        hint = strings.command.hint(escapeMrkdwn(text.slice(0, 100)));
      }
    }
    try {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: cardFormView({
          channelId: command.channel_id,
          rows: INITIAL_ROWS,
          contact: {},
          recipient,
          hint,
        }),
      });
    } catch (error) {
      // The command is already acknowledged, so the only way left to tell the person is response_url.
      deps.logger.warn({ err: error, slackError: slackErrorCode(error) }, 'could not open the form');
      await respond({ response_type: 'ephemeral', text: strings.command.openFailed });
    }
  };
}
