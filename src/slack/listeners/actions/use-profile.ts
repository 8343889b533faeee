import { formContext } from '../../contacts.js';
import { readCardForm, readResultChannel } from '../../form.js';
import { catalogue } from '../../i18n/index.js';
import { cardFormMetadataSchema, decodeMetadata, MAX_ROWS } from '../../metadata.js';
import { contactFromProfileWithin } from '../../profile.js';
import { cardFormView } from '../../views/card-form.js';
import type { ListenerDeps } from '../deps.js';
import { replaceView } from './replace-view.js';

/** A button's moment has no 3-second trigger to keep alive, but the person is waiting. */
const PROFILE_BUDGET_MS = 2_500;

/**
 * "Use my Slack profile": the form again, with the name, job title, phone and email from the
 * sender's profile in place of what was there; everything else typed (recipient, addresses,
 * company…) is kept. Nothing is sent: the person reviews it as any card.
 */
export function useProfile(deps: ListenerDeps) {
  return replaceView(deps, 'use profile', async ({ view, userId, locale, client }) => {
    const metadata = decodeMetadata(cardFormMetadataSchema, view.private_metadata);
    if (!metadata) return undefined;
    const profile = await contactFromProfileWithin(client, userId, PROFILE_BUDGET_MS, deps.logger);
    const { contact: typed, recipients } = readCardForm(view.state.values);
    // Nothing to fill in: the same form, with a line saying why, rather than a button that did nothing.
    const contact = profile ? { ...typed, ...profile } : typed;
    const context = await formContext(deps.store, userId, metadata, locale);
    const rows = {
      ...metadata.rows,
      phone: Math.min(Math.max(metadata.rows.phone, contact.phones?.length ?? 0), MAX_ROWS.phone),
      email: Math.min(Math.max(metadata.rows.email, contact.emails?.length ?? 0), MAX_ROWS.email),
    };
    return cardFormView({
      locale,
      channelId: metadata.channelId,
      rows,
      contact,
      recipients,
      resultChannel: readResultChannel(view.state.values),
      ...context,
      hint: profile ? context.hint : catalogue(locale).form.profileFailed,
    });
  });
}
