import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { isUserAllowed } from '../../access.js';
import { slackErrorCode } from '../../api-errors.js';
import { catalogue } from '../../i18n/index.js';
import { cardFormView, INITIAL_ROWS } from '../../views/card-form.js';
import { messageView } from '../../views/message.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

/**
 * The global shortcut "Send contact card": the same form from anywhere in Slack. There is no
 * channel to answer in, so the form asks where to post the result (none chosen: a DM to the
 * sender). Like the command, only the language look-up happens before `views.open`.
 */
export function sendCardShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, client }: Args): Promise<void> => {
    await ack();
    const locale = await deps.locales.localeOf(shortcut.user.id);
    const t = catalogue(locale);
    const allowed = isUserAllowed(deps.config.access, shortcut.user.id);
    if (!allowed) deps.logger.info('refused the shortcut: not on the allowed list');
    const view = allowed
      ? cardFormView({ locale, rows: INITIAL_ROWS, contact: {} })
      : messageView(t.command.notAllowed, locale);
    try {
      await client.views.open({ trigger_id: shortcut.trigger_id, view });
    } catch (error) {
      // Nothing else can reach the person from a shortcut without a channel; the log says why.
      deps.logger.warn({ err: error, slackError: slackErrorCode(error) }, 'could not open the form');
    }
  };
}
