import type { App } from '@slack/bolt';
import { MessageShortcut, Shortcut } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { sendCardShortcut } from './send-card.js';
import { sendCardFromMessage } from './send-card-from-message.js';

export function register(app: App, deps: ListenerDeps): void {
  app.shortcut(Shortcut.SendCard, sendCardShortcut(deps));
  app.shortcut(MessageShortcut.SendCard, sendCardFromMessage(deps));
}
