import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { CardInvalidError, parseRecipient } from '../../../card/index.js';
import { matchesQuery, resolveTypedNumber } from '../../../jelou/index.js';
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

/** The typed text as a number's E.164 digits, or `undefined` when it is not a number. */
function typedDigits(query: string, deps: ListenerDeps): string | undefined {
  try {
    return parseRecipient(query, { defaultCountry: deps.config.defaultCountry });
  } catch (error) {
    if (!(error instanceof CardInvalidError)) throw error;
    return undefined;
  }
}

/**
 * The recipient picker: recent conversations that match, the team's recent recipients, and the
 * typed text when it is a number. A typed number that WhatsApp knows under another form (Mexico's
 * 521…, Argentina's 549…, Brazil without the ninth digit) is offered as the customer Jelou knows,
 * and its text says which id will be used; Jelou's user look-up runs alongside the history.
 */
export function recipientOptions(deps: ListenerDeps) {
  return async ({ options, body, ack }: Args): Promise<void> => {
    const query = options.value.trim();
    const digits = typedDigits(query, deps);
    const lookups = new Map<string, ReturnType<ListenerDeps['recipients']['userState']>>();
    const lookup = (id: string) => {
      let pending = lookups.get(id);
      if (pending === undefined) {
        pending = deps.recipients.userState(id, { budgetMs: RECIPIENT_LOOKUP_BUDGET_MS });
        lookups.set(id, pending);
      }
      return pending;
    };
    // Started before the history is read, so both share the same two seconds.
    const early = digits === undefined ? undefined : resolveTypedNumber(digits, [], lookup);
    const [{ users }, sentTo, locale] = await Promise.all([
      deps.recipients.recentUsers({
        query: digits === undefined ? query : '',
        budgetMs: RECIPIENT_LOOKUP_BUDGET_MS,
      }),
      deps.store.recentRecipients(RECENT_RECIPIENTS),
      deps.locales.localeOf(body.user.id),
    ]);
    const t = catalogue(locale);
    const shown = digits === undefined ? users : users.filter((user) => matchesQuery(user, query));
    const found = shown.map((user) => option(recipientLabel(user.id, user.name, locale), user.id));
    // People the team sent cards to lately come after the bot's own conversations, once each.
    for (const recipient of sentTo) {
      if (found.some((o) => o.value === recipient.id)) continue;
      if (matchesQuery({ id: recipient.id, name: recipient.label }, query))
        found.push(option(recipient.label, recipient.id));
    }
    if (digits !== undefined) {
      await early;
      const known = [
        ...users.map((user) => ({ id: user.id, ...(user.name ? { name: user.name } : {}) })),
        ...sentTo.map((recipient) => ({ id: recipient.id, name: recipient.label })),
      ];
      const chosen = await resolveTypedNumber(digits, known, lookup);
      const typedText = formatUserId(digits);
      const first =
        chosen.kind === 'known'
          ? option(
              t.recipientOption.typedKnown(typedText, chosen.name ?? formatUserId(chosen.id), chosen.id),
              chosen.id,
            )
          : option(t.recipientOption.typed(typedText), chosen.id);
      // The typed number's own line says which id it goes to; it replaces the plain one.
      const rest = found.filter((o) => o.value !== first.value);
      found.length = 0;
      found.push(first, ...rest);
    }
    await ack({ options: found.slice(0, MAX_OPTIONS) });
  };
}
