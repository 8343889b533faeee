import type { Config } from '../../config.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { JelouClient } from '../../jelou/index.js';
import type { Logger } from '../../logging.js';

/** What the listeners need from the rest of the app; built once in app.ts. */
export type ListenerDeps = Readonly<{
  config: Pick<Config, 'access' | 'defaultCountry'>;
  delivery: Pick<DeliveryService, 'record' | 'deliver' | 'retry'>;
  recipients: Pick<JelouClient, 'recentUsers'>;
  logger: Logger;
}>;
