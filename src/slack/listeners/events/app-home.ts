import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { homeView } from '../../views/history.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** How many of the person's sends the Home tab lists. */
const HOME_LENGTH = 10;

/** The App Home tab: publishes the person's latest sends and the team's counts each time it opens. */
export function appHomeOpened(deps: ListenerDeps) {
  return async ({ event, client }: Args): Promise<void> => {
    if (event.tab !== 'home') return;
    const [sends, counts, locale] = await Promise.all([
      deps.store.history(event.user, HOME_LENGTH),
      deps.store.countsByStatus(),
      deps.locales.localeOf(event.user),
    ]);
    await client.views.publish({ user_id: event.user, view: homeView(sends, counts, locale) });
  };
}
