import type { App } from '@slack/bolt';
import { Command } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { jelouCardCommand } from './jelou-card.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(Command.JelouCard, jelouCardCommand(deps));
}
