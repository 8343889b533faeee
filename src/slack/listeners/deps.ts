import type { Config } from '../../config.js';
import type { AwaitingReplies } from '../../delivery/awaiting.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { JelouClient } from '../../jelou/index.js';
import type { TemplateApi } from '../../jelou/templates.js';
import type { Logger } from '../../logging.js';
import type { SendStore } from '../../store/types.js';
import type { LocaleResolver } from '../locale.js';

/** What the listeners need from the rest of the app; built once in app.ts. */
export type ListenerDeps = Readonly<{
  config: Pick<Config, 'access' | 'defaultCountry' | 'slack' | 'defaultLocale' | 'dryRun'>;
  delivery: Pick<DeliveryService, 'submit' | 'requeue' | 'cancelWaiting'>;
  store: Pick<
    SendStore,
    'get' | 'history' | 'countsByStatus' | 'recentRecipients' | 'saveDraft' | 'getDraft'
  >;
  recipients: Pick<JelouClient, 'recentUsers' | 'userState' | 'lastWriteKnown'>;
  /** The language to answer each Slack user in: `catalogue(await deps.locales.localeOf(userId))`. */
  locales: Pick<LocaleResolver, 'localeOf'>;
  logger: Logger;
  /** A template ahead of a card the 24-hour window refused, or is known to close to (issue 15). */
  awaiting: Pick<AwaitingReplies, 'begin' | 'sendTemplate' | 'submitAhead'>;
  templates: Pick<TemplateApi, 'list' | 'allows'>;
}>;
