import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { catalogue } from '../../i18n/index.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * A message button (Retry, Send again anyway, Cancel, Send a template first, Download .vcf) whose
 * handler fails unexpectedly (the store cannot be read, a bug): the person is told, in their
 * language, that it did not work and that nothing was sent twice, instead of a button that seems
 * to do nothing. The failure is logged here, as `app.error` would have; it does not reach
 * `app.error` as well.
 */
export function tellOnFailure(deps: ListenerDeps, what: string, handler: (args: Args) => Promise<void>) {
  return async (args: Args): Promise<void> => {
    try {
      await handler(args);
    } catch (error) {
      deps.logger.error({ err: error, what }, 'a button failed; telling the person');
      try {
        const t = catalogue(await deps.locales.localeOf(args.body.user.id));
        await args.respond({ response_type: 'ephemeral', replace_original: false, text: t.button.failed });
      } catch (telling) {
        deps.logger.error({ err: telling, what }, 'could not tell the person a button failed');
      }
    }
  };
}
