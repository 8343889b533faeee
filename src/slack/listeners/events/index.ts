import type { App } from '@slack/bolt';
import { Event } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { appHomeOpened } from './app-home.js';

export function register(app: App, deps: ListenerDeps): void {
  app.event(Event.AppHomeOpened, appHomeOpened(deps));
}
