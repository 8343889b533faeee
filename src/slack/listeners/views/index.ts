import type { App } from '@slack/bolt';
import { CallbackId } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { templateSubmitted } from '../template.js';
import { cardSubmitted } from './card-submitted.js';
import { importSubmitted } from './import-submitted.js';
import { previewSubmitted } from './preview-submitted.js';

export function register(app: App, deps: ListenerDeps): void {
  app.view(CallbackId.CardModal, cardSubmitted(deps));
  app.view(CallbackId.PreviewModal, previewSubmitted(deps));
  app.view(CallbackId.ImportModal, importSubmitted(deps));
  app.view(CallbackId.TemplateModal, templateSubmitted(deps));
}
