import type { App } from '@slack/bolt';
import { CallbackId } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { routeViews, view } from '../route.js';
import { templateSubmitted } from '../template.js';
import { cardSubmitted } from './card-submitted.js';
import { importSubmitted } from './import-submitted.js';
import { previewSubmitted } from './preview-submitted.js';

export function register(app: App, deps: ListenerDeps): void {
  routeViews(app, [
    view(CallbackId.CardModal, cardSubmitted(deps)),
    view(CallbackId.PreviewModal, previewSubmitted(deps)),
    view(CallbackId.ImportModal, importSubmitted(deps)),
    view(CallbackId.TemplateModal, templateSubmitted(deps)),
  ]);
}
