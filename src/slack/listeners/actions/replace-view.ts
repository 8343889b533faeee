import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { isHashConflict } from '../../api-errors.js';
import type { Locale } from '../../i18n/index.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** The modal a button was clicked in. */
export type ClickedView = NonNullable<BlockButtonAction['view']>;

/** What a click's next view is built from. */
export type Click = Readonly<{
  view: ClickedView;
  userId: string;
  locale: Locale;
  blockId: string;
  client: AllMiddlewareArgs['client'];
}>;

/**
 * A button in a modal that puts another view in its place (a row added, the preview back to the
 * form, a contact removed…): acknowledges, builds the next view from the clicked one and shows
 * it with `views.update`. The view's hash goes along, so Slack refuses the update when the view
 * changed meanwhile (a second click) and the newer view is kept. `next` answers `undefined` when
 * the click does not apply (a forged or stale view): nothing changes, as with any button Slack
 * would not have shown.
 */
export function replaceView(
  deps: ListenerDeps,
  what: string,
  next: (click: Click) => Promise<ModalView | undefined>,
) {
  return async ({ ack, body, action, client }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    const locale = await deps.locales.localeOf(body.user.id);
    const replacement = await next({ view, userId: body.user.id, locale, blockId: action.block_id, client });
    if (!replacement) {
      deps.logger.info({ what }, 'a click on a view that no longer applies; nothing changed');
      return;
    }
    try {
      await client.views.update({ view_id: view.id, hash: view.hash, view: replacement });
    } catch (error) {
      if (!isHashConflict(error)) throw error;
      deps.logger.info({ what }, 'the view changed before the click was answered; kept the newer view');
    }
  };
}
