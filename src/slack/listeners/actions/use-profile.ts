import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { formContext } from '../../contacts.js';
import { readCardForm } from '../../form.js';
import { catalogue } from '../../i18n/index.js';
import { cardFormMetadataSchema, decodeMetadata, MAX_ROWS } from '../../metadata.js';
import { slackErrorCode } from '../../notifier.js';
import { contactFromProfileWithin } from '../../profile.js';
import { cardFormView } from '../../views/card-form.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** A button's moment has no 3-second trigger to keep alive, but the person is waiting. */
const PROFILE_BUDGET_MS = 2_500;

/**
 * "Use my Slack profile": the form again, with the name, job title, phone and email from the
 * sender's profile in place of what was there; everything else typed (recipient, addresses,
 * company…) is kept. Nothing is sent: the person reviews it as any card.
 */
export function useProfile(deps: ListenerDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    const metadata = decodeMetadata(cardFormMetadataSchema, view?.private_metadata);
    if (!view || !metadata) return;
    const [profile, locale] = await Promise.all([
      contactFromProfileWithin(client, body.user.id, PROFILE_BUDGET_MS, deps.logger),
      deps.locales.localeOf(body.user.id),
    ]);
    const { contact: typed, recipients } = readCardForm(view.state.values);
    // Nothing to fill in: the same form, with a line saying why, rather than a button that did nothing.
    const contact = profile ? { ...typed, ...profile } : typed;
    const context = await formContext(deps.store, body.user.id, metadata, locale);
    const hint = profile ? context.hint : catalogue(locale).form.profileFailed;
    const rows = {
      ...metadata.rows,
      phone: Math.min(Math.max(metadata.rows.phone, contact.phones?.length ?? 0), MAX_ROWS.phone),
      email: Math.min(Math.max(metadata.rows.email, contact.emails?.length ?? 0), MAX_ROWS.email),
    };
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: cardFormView({
          locale,
          channelId: metadata.channelId,
          rows,
          contact,
          recipients,
          ...context,
          hint,
        }),
      });
    } catch (error) {
      if (slackErrorCode(error) !== 'hash_conflict') throw error;
      deps.logger.info('form changed before the profile was filled in; kept the newer form');
    }
  };
}
