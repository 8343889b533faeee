import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { CardInvalidError, parseRecipient } from '../../../card/index.js';
import { isAllowed } from '../../access.js';
import { slackErrorCode } from '../../api-errors.js';
import { catalogue } from '../../i18n/index.js';
import type { Recipient } from '../../metadata.js';
import { userText } from '../../mrkdwn.js';
import { contactFromProfileWithin } from '../../profile.js';
import { cardFormView, INITIAL_ROWS } from '../../views/card-form.js';
import { historyMessage } from '../../views/history.js';
import type { ListenerDeps } from '../deps.js';
import { warmLastWrites } from '../preview.js';
import { typedRecipient } from '../typed-recipient.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** How many sends `/jelou-card history` lists. */
const HISTORY_LENGTH = 10;

/** The command's keywords, in every language the help text names them in. */
const HELP = new Set(['help', 'ayuda']);
const HISTORY = new Set(['history', 'historial']);
const ME = new Set(['me', 'yo']);

/**
 * How long `/jelou-card me` waits for the Slack profile before opening the form without it: the
 * trigger id must still be alive for views.open, and users.info is usually a few hundred ms.
 */
const PROFILE_BUDGET_MS = 1_200;

/**
 * How long a typed Mexican, Argentine or Brazilian number may be looked for among the customers
 * Jelou knows before the form opens with its E.164 digits (it runs alongside the profile).
 */
const TYPED_RECIPIENT_BUDGET_MS = 1_000;

/**
 * `/jelou-card [number | help | history]`. The trigger id dies 3 seconds after Slack sent the
 * command, so nothing but cheap parsing and the person's language (remembered, or looked up within
 * a short budget) happens before `views.open`.
 */
export function jelouCardCommand(deps: ListenerDeps) {
  return async ({ command, ack, client, respond }: Args): Promise<void> => {
    const text = command.text.trim();
    const keyword = text.toLowerCase();
    // Started at once, awaited only where words are needed: the look-up overlaps everything else.
    const locale = deps.locales.localeOf(command.user_id);
    if (HELP.has(keyword)) {
      await ack({ response_type: 'ephemeral', text: catalogue(await locale).command.help });
      return;
    }
    if (HISTORY.has(keyword)) {
      // Answered through response_url, so reading the store never counts against the 3 seconds.
      await ack();
      const [sends, language] = await Promise.all([
        deps.store.history(command.user_id, HISTORY_LENGTH),
        locale,
      ]);
      await respond({ response_type: 'ephemeral', ...historyMessage(sends, language) });
      return;
    }
    if (!isAllowed(deps.config.access, command.user_id, command.channel_id)) {
      deps.logger.info({ channelId: command.channel_id }, 'refused /jelou-card: not on the allowed list');
      await ack({ response_type: 'ephemeral', text: catalogue(await locale).command.notAllowed });
      return;
    }
    await ack();
    const [first = '', ...rest] = text.split(/\s+/);
    const mine = ME.has(first.toLowerCase());
    const number = mine ? rest.join(' ') : text;
    const profile = mine
      ? contactFromProfileWithin(client, command.user_id, PROFILE_BUDGET_MS, deps.logger)
      : undefined;
    const language = await locale;
    const t = catalogue(language);
    let recipient: Recipient | undefined;
    const hints: string[] = [];
    if (number) {
      try {
        const digits = parseRecipient(number, { defaultCountry: deps.config.defaultCountry });
        recipient = await typedRecipient(deps, digits, language, TYPED_RECIPIENT_BUDGET_MS);
      } catch (error) {
        if (!(error instanceof CardInvalidError)) throw error;
        hints.push(t.command.hint(userText(number.slice(0, 100))));
      }
    }
    const contact = profile ? await profile : {};
    if (contact === undefined) hints.push(t.command.profileFailed);
    try {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: cardFormView({
          locale: language,
          channelId: command.channel_id,
          rows: INITIAL_ROWS,
          contact: contact ?? {},
          recipients: recipient ? [recipient] : [],
          hint: hints.length > 0 ? hints.join('\n') : undefined,
        }),
      });
      if (recipient) warmLastWrites(deps);
    } catch (error) {
      // The command is already acknowledged, so the only way left to tell the person is response_url.
      deps.logger.warn({ err: error, slackError: slackErrorCode(error) }, 'could not open the form');
      await respond({ response_type: 'ephemeral', text: t.command.openFailed });
    }
  };
}
