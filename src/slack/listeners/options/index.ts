import type { App } from '@slack/bolt';
import { ActionId } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { recipientOptions } from './recipient.js';

export function register(app: App, deps: ListenerDeps): void {
  app.options(ActionId.RecipientSelect, recipientOptions(deps));
}
