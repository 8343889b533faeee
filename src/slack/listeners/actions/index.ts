import type { App } from '@slack/bolt';
import { ActionId } from '../../ids.js';
import type { ListenerDeps } from '../deps.js';
import { action, routeActions } from '../route.js';
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
  routeActions(app, [
    action(ActionId.AddPhone, addRow('phone', deps)),
    action(ActionId.AddEmail, addRow('email', deps)),
    action(ActionId.AddAddress, addRow('address', deps)),
    action(ActionId.UseProfile, useProfile(deps)),
    action(ActionId.BackToEdit, backToEdit(deps)),
    action(ActionId.Retry, tellOnFailure(deps, 'retry', retrySend(deps))),
    action(ActionId.SendAgainAnyway, tellOnFailure(deps, 'send again anyway', retrySend(deps))),
    action(ActionId.CancelWaitingSend, tellOnFailure(deps, 'cancel', cancelWaitingSend(deps))),
    action(ActionId.AddContact, addContact(deps)),
    action(ActionId.EditContact, editContact(deps)),
    action(ActionId.RemoveContact, removeContact(deps)),
    action(ActionId.OpenImport, openImport(deps)),
    action(ActionId.BackToForm, backToForm(deps)),
    action(ActionId.DownloadVcf, tellOnFailure(deps, 'download .vcf', downloadVcf(deps))),
    action(ActionId.SendTemplate, tellOnFailure(deps, 'send a template', openTemplateModal(deps))),
    action(ActionId.TemplateFromPreview, openTemplateFromPreview(deps)),
    action(ActionId.TemplateSelect, pickTemplate(deps)),
  ]);
}
