import type { App } from '@slack/bolt';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import type { ListenerDeps } from './deps.js';
import * as events from './events/index.js';
import * as functions from './functions/index.js';
import * as options from './options/index.js';
import * as shortcuts from './shortcuts/index.js';
import * as views from './views/index.js';

/** Registers every listener, one module per kind of Slack request. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  commands.register(app, deps);
  shortcuts.register(app, deps);
  views.register(app, deps);
  actions.register(app, deps);
  options.register(app, deps);
  events.register(app, deps);
  functions.register(app, deps);
}
