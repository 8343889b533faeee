import type { App } from '@slack/bolt';
import { ActionId } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { openTemplateFromPreview, openTemplateModal, pickTemplate } from '../template.js';
import { addRow } from './add-row.js';
import { backToEdit } from './back-to-edit.js';
import { cancelWaitingSend } from './cancel-waiting.js';
import { addContact, backToForm, editContact, openImport, removeContact } from './contacts.js';
import { downloadVcf } from './download-vcf.js';
import { retrySend } from './retry.js';
import { tellOnFailure } from './tell-on-failure.js';
import { useProfile } from './use-profile.js';

export function register(app: App, deps: ListenerDeps): void {
  app.action(ActionId.AddPhone, addRow('phone', deps));
  app.action(ActionId.AddEmail, addRow('email', deps));
  app.action(ActionId.AddAddress, addRow('address', deps));
  app.action(ActionId.UseProfile, useProfile(deps));
  app.action(ActionId.BackToEdit, backToEdit(deps));
  app.action(ActionId.Retry, tellOnFailure(deps, 'retry', retrySend(deps)));
  app.action(ActionId.SendAgainAnyway, tellOnFailure(deps, 'send again anyway', retrySend(deps)));
  app.action(ActionId.CancelWaitingSend, tellOnFailure(deps, 'cancel', cancelWaitingSend(deps)));
  app.action(ActionId.AddContact, addContact(deps));
  app.action(ActionId.EditContact, editContact(deps));
  app.action(ActionId.RemoveContact, removeContact(deps));
  app.action(ActionId.OpenImport, openImport(deps));
  app.action(ActionId.BackToForm, backToForm(deps));
  app.action(ActionId.DownloadVcf, tellOnFailure(deps, 'download .vcf', downloadVcf(deps)));
  app.action(ActionId.SendTemplate, tellOnFailure(deps, 'send a template', openTemplateModal(deps)));
  app.action(ActionId.TemplateFromPreview, openTemplateFromPreview(deps));
  app.action(ActionId.TemplateSelect, pickTemplate(deps));
}
