import type { App } from '@slack/bolt';
import { Shortcut } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { sendCardShortcut } from './send-card.js';

export function register(app: App, deps: ListenerDeps): void {
  app.shortcut(Shortcut.SendCard, sendCardShortcut(deps));
}
