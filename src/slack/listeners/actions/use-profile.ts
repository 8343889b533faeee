import { catalogue } from '../../i18n/index.js';
import { cardFormMetadataSchema, decodeMetadata, MAX_ROWS } from '../../metadata.js';
import { contactFromProfileWithin } from '../../profile.js';
import type { ListenerDeps } from '../deps.js';
import { formAgain } from './form-again.js';
import { replaceView } from './replace-view.js';

/** A button's moment has no 3-second trigger to keep alive, but the person is waiting. */
const PROFILE_BUDGET_MS = 2_500;

/**
 * "Use my Slack profile": the form again, with the name, job title, phone and email from the
 * sender's profile in place of what was there; everything else typed (recipient, addresses,
 * company…) is kept. Nothing is sent: the person reviews it as any card.
 */
export function useProfile(deps: ListenerDeps) {
  return replaceView(deps, 'use profile', async (click) => {
    const metadata = decodeMetadata(cardFormMetadataSchema, click.view.private_metadata);
    if (!metadata) return undefined;
    const profile = await contactFromProfileWithin(
      click.client,
      click.userId,
      PROFILE_BUDGET_MS,
      deps.logger,
    );
    return formAgain(deps.store, click, metadata, (typed) => {
      // Nothing to fill in: the same form, with a line saying why, rather than a button that did nothing.
      if (!profile) return { hint: catalogue(click.locale).form.profileFailed };
      const contact = { ...typed, ...profile };
      const rows = {
        ...metadata.rows,
        phone: Math.min(Math.max(metadata.rows.phone, contact.phones?.length ?? 0), MAX_ROWS.phone),
        email: Math.min(Math.max(metadata.rows.email, contact.emails?.length ?? 0), MAX_ROWS.email),
      };
      // Slack would keep the old values in fields whose ids are unchanged: new ids show the profile.
      return { contact, rows, generation: ((metadata.generation ?? 0) % 9999) + 1 };
    });
  });
}
