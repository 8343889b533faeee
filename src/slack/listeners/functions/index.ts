import type { App } from '@slack/bolt';
import { WorkflowStep } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { sendCardStep } from './send-card.js';

export function register(app: App, deps: ListenerDeps): void {
  // Acknowledged by the listener itself, once the send is recorded (Bolt would ack first).
  app.function(WorkflowStep.SendCard, { autoAcknowledge: false }, sendCardStep(deps));
}
