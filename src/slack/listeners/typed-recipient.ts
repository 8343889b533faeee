/**
 * A number typed after `/jelou-card`, as the recipient the form opens with: the customer Jelou
 * knows under another WhatsApp form of it when there is one (docs/whatsapp-ids.md), else the
 * number's E.164 digits. Shared shape with the picker's typed line, so the preview says which id
 * the card goes to either way.
 */
import { whatsAppIdVariants } from '../../card/index.js';
import { resolveTypedNumber, type UserStateResult } from '../../jelou/index.js';
import { catalogue, type Locale } from '../i18n/index.js';
import type { Recipient } from '../metadata.js';
import { formatUserId, recipientLabel } from '../recipients.js';
import type { ListenerDeps } from './deps.js';

/** How many of the team's latest recipients are checked for a typed number. */
const RECENT_RECIPIENTS = 50;

/**
 * The recipient for `digits` (a typed number's E.164 digits), looked up within `budgetMs`. Only a
 * number WhatsApp may know under another form (Mexico, Argentina, Brazil) costs a look-up; the
 * bot's history and Jelou's user look-up run side by side.
 */
export async function typedRecipient(
  deps: Pick<ListenerDeps, 'recipients' | 'store'>,
  digits: string,
  locale: Locale,
  budgetMs: number,
): Promise<Recipient> {
  const plain = { id: digits, label: recipientLabel(digits, undefined, locale) };
  if (whatsAppIdVariants(digits).length === 1) return plain;
  const lookups = new Map<string, Promise<UserStateResult>>();
  const lookup = (id: string) => {
    let pending = lookups.get(id);
    if (pending === undefined) {
      pending = deps.recipients.userState(id, { budgetMs });
      lookups.set(id, pending);
    }
    return pending;
  };
  const early = resolveTypedNumber(digits, [], lookup);
  const [{ users }, sentTo] = await Promise.all([
    deps.recipients.recentUsers({ query: '', budgetMs }),
    // The store failing costs only this match, never the form.
    deps.store.recentRecipients(RECENT_RECIPIENTS).catch(() => []),
  ]);
  await early;
  const chosen = await resolveTypedNumber(
    digits,
    [
      ...users.map((user) => ({ id: user.id, ...(user.name ? { name: user.name } : {}) })),
      ...sentTo.map((recipient) => ({ id: recipient.id, name: recipient.label })),
    ],
    lookup,
  );
  if (chosen.kind === 'typed') return plain;
  const label = catalogue(locale).recipientOption.typedKnown(
    formatUserId(digits),
    chosen.name ?? formatUserId(chosen.id),
    chosen.id,
  );
  return { id: chosen.id, label };
}
