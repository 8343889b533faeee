import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { CardInvalidError, parseRecipient } from '../../../card/index.js';
import { matchesQuery } from '../../../jelou/index.js';
import { catalogue } from '../../i18n/index.js';
import { formatUserId, recipientLabel } from '../../recipients.js';
import { option } from '../../views/elements.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/**
 * Slack drops an options answer that takes longer than 3 seconds (the person sees "no results").
 * Two seconds for Jelou leaves room for the network both ways; after that we answer with what we have.
 */
export const RECIPIENT_LOOKUP_BUDGET_MS = 2_000;

/** How many of the team's latest recipients the picker also offers. */
const RECENT_RECIPIENTS = 50;

/** Slack shows at most 100 options. */
const MAX_OPTIONS = 100;

/** The recipient picker: recent conversations that match, plus the typed text when it is a number. */
export function recipientOptions(deps: ListenerDeps) {
  return async ({ options, body, ack }: Args): Promise<void> => {
    const query = options.value.trim();
    const [{ users }, sentTo, locale] = await Promise.all([
      deps.recipients.recentUsers({ query, budgetMs: RECIPIENT_LOOKUP_BUDGET_MS }),
      deps.store.recentRecipients(RECENT_RECIPIENTS),
      deps.locales.localeOf(body.user.id),
    ]);
    const found = users.map((user) => option(recipientLabel(user.id, user.name), user.id));
    // People the team sent cards to lately come after the bot's own conversations, once each.
    for (const recipient of sentTo) {
      if (found.some((o) => o.value === recipient.id)) continue;
      if (matchesQuery({ id: recipient.id, name: recipient.label }, query))
        found.push(option(recipient.label, recipient.id));
    }
    try {
      const typed = parseRecipient(query, { defaultCountry: deps.config.defaultCountry });
      if (!found.some((o) => o.value === typed)) {
        found.unshift(option(catalogue(locale).recipientOption.typed(formatUserId(typed)), typed));
      }
    } catch (error) {
      if (!(error instanceof CardInvalidError)) throw error;
    }
    await ack({ options: found.slice(0, MAX_OPTIONS) });
  };
}
