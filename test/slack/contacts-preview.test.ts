/**
 * Several contacts in one card, as views: the preview's Edit / Remove / Add another contact, its
 * notes about a .vcf file, ten long contacts within Slack's limits, in English and Spanish; the
 * form for the next contact and the .vcf import view.
 */
import type { ActionsBlock, AnyBlock, Button, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { buildContactsMessage, type Contact, type ContactInput } from '../../src/card/index.js';
import { formCanHold } from '../../src/slack/contacts.js';
import { CATALOGUES, LOCALES } from '../../src/slack/i18n/index.js';
import { ActionId, BlockId, CallbackId, contactBlockId, contactIndexOf } from '../../src/slack/ids.js';
import {
  cardFormMetadataSchema,
  decodeMetadata,
  importMetadataSchema,
  MAX_CARD_CONTACTS,
} from '../../src/slack/metadata.js';
import { cardFormView, INITIAL_ROWS } from '../../src/slack/views/card-form.js';
import { previewView } from '../../src/slack/views/preview.js';
import { importView } from '../../src/slack/views/vcf-import.js';
import { actionIds, shownTexts } from '../support/blocks.js';
import { BIG_REALISTIC, JUAN, NOW, RECIPIENT } from './cards.js';
import { CHANNEL, inputBlock, modalLimitViolations } from './helpers.js';

const WHO = 'María López · +593 99 123 4567';
const DRAFT = '0b9a4e8e-4a8c-4d2a-9b7e-3f1e2d3c4b5a';

function contactsOf(inputs: readonly ContactInput[]): Contact[] {
  return buildContactsMessage(RECIPIENT, inputs, { now: NOW }).contacts;
}

function actionBlocks(view: ModalView): ActionsBlock[] {
  return view.blocks.filter((block): block is ActionsBlock => block.type === 'actions');
}

function isActions(block: AnyBlock | undefined): block is ActionsBlock {
  return block?.type === 'actions';
}

function buttons(block: AnyBlock | undefined): { action: string; text: string; value?: string }[] {
  if (!isActions(block)) return [];
  return block.elements
    .filter((element): element is Button => element.type === 'button')
    .map((button) => ({
      action: button.action_id ?? '',
      text: button.text.text,
      ...(button.value === undefined ? {} : { value: button.value }),
    }));
}

describe('contact block ids', () => {
  it('read back the index they were made from, and nothing else', () => {
    for (const index of [0, 1, 9]) expect(contactIndexOf(contactBlockId(index))).toBe(index);
    for (const other of [undefined, '', BlockId.PreviewActions, 'contact_x_actions', 'contact_100_actions'])
      expect(contactIndexOf(other)).toBeUndefined();
  });
});

describe('the preview of several contacts', () => {
  it.each(LOCALES)('%s: each contact has Edit and Remove, the bottom Add another contact', (locale) => {
    const t = CATALOGUES[locale];
    const contacts = contactsOf([JUAN, { formattedName: 'Ana', phones: [{ number: '+593 99 765 4321' }] }]);
    const view = previewView({ locale, recipientLabels: [WHO], contacts, privateMetadata: '' });
    const blocks = actionBlocks(view);
    expect(blocks.map((block) => block.block_id)).toEqual([
      contactBlockId(0),
      contactBlockId(1),
      BlockId.PreviewActions,
    ]);
    for (const [index, block] of blocks.slice(0, 2).entries()) {
      expect(buttons(block)).toEqual([
        { action: ActionId.EditContact, text: t.buttons.editContact, value: String(index) },
        { action: ActionId.RemoveContact, text: t.buttons.removeContact, value: String(index) },
      ]);
    }
    expect(buttons(blocks[2])).toEqual([{ action: ActionId.AddContact, text: t.buttons.addContact }]);
    expect(shownTexts(view.blocks)).toContain(t.contacts.introMany(2));
    expect(modalLimitViolations(view)).toEqual([]);
  });

  it('offers no Edit for a contact the form cannot show whole, and says why', () => {
    const [withMiddleName, plainOne] = contactsOf([
      { formattedName: 'José Andrés Núñez', firstName: 'José', middleName: 'Andrés', lastName: 'Núñez' },
      { formattedName: 'Ana' },
    ]);
    if (!withMiddleName || !plainOne) throw new Error('contacts missing');
    expect([formCanHold(withMiddleName), formCanHold(plainOne)]).toEqual([false, true]);
    const view = previewView({
      locale: 'en',
      recipientLabels: [WHO],
      contacts: [withMiddleName, plainOne],
      privateMetadata: '',
    });
    const [first, second] = actionBlocks(view);
    expect(buttons(first).map((button) => button.action)).toEqual([ActionId.RemoveContact]);
    expect(buttons(second).map((button) => button.action)).toEqual([
      ActionId.EditContact,
      ActionId.RemoveContact,
    ]);
    expect(shownTexts(view.blocks)).toContain(CATALOGUES.en.contacts.notEditable);
  });

  it('a single contact from a file the form cannot hold: Add another contact, no Edit', () => {
    const contacts = contactsOf([{ formattedName: 'Dra. Ana', firstName: 'Ana', prefix: 'Dra.' }]);
    const view = previewView({ locale: 'es', recipientLabels: [WHO], contacts, privateMetadata: '' });
    expect(actionBlocks(view).map(buttons)).toEqual([
      [{ action: ActionId.AddContact, text: 'Agregar otro contacto' }],
    ]);
  });

  it.each(LOCALES)(
    '%s: shows the notes about the file, escaped by the caller, above the contacts',
    (locale) => {
      const t = CATALOGUES[locale];
      const notes = [t.vcf.skipped(2), t.vcf.invalid('Ana &lt;b&gt;', 'x')];
      const view = previewView({
        locale,
        recipientLabels: [WHO],
        contacts: contactsOf([JUAN]),
        privateMetadata: '',
        notes,
      });
      expect(view.blocks[2]).toEqual({
        type: 'context',
        elements: notes.map((text) => ({ type: 'mrkdwn', text })),
      });
    },
  );

  it.each(LOCALES)(
    '%s: ten contacts, each as long as a card gets, within 100 blocks and every Slack limit',
    (locale) => {
      const long: ContactInput = BIG_REALISTIC;
      const contacts = contactsOf(Array.from({ length: MAX_CARD_CONTACTS }, () => long));
      const t = CATALOGUES[locale];
      const notes = [t.vcf.truncated(40, 10, 10), t.vcf.skipped(3), 'x'.repeat(5000)];
      const view = previewView({
        locale,
        recipientLabels: ['Ñ'.repeat(200)],
        contacts,
        privateMetadata: '',
        notes,
      });
      expect(modalLimitViolations(view)).toEqual([]);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      // Full: no Add another contact; every contact still has its Remove.
      expect(actionIds(view.blocks)).not.toContain(ActionId.AddContact);
      expect(actionBlocks(view).map((block) => block.block_id)).toEqual(
        Array.from({ length: MAX_CARD_CONTACTS }, (_, index) => contactBlockId(index)),
      );
    },
  );

  it('shortens only the preview of a contact with more lines than its share of blocks, and says how many', () => {
    const phones = Array.from({ length: 20 }, (_, i) => ({ number: `+593 99 123 ${String(4500 + i)}` }));
    const many: ContactInput = {
      formattedName: 'Ana',
      phones,
      // Each shown as 300 characters that escape to 1,500: two to a section, ten sections.
      addresses: Array.from({ length: 20 }, () => ({ street: '&'.repeat(256), city: 'Quito' })),
    };
    const contacts = contactsOf(Array.from({ length: MAX_CARD_CONTACTS }, () => many));
    const view = previewView({ locale: 'en', recipientLabels: [WHO], contacts, privateMetadata: '' });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(modalLimitViolations(view)).toEqual([]);
    expect(shownTexts(view.blocks).filter((text) => /^_…and \d+ more lines_$/u.test(text))).not.toEqual([]);
  });
});

describe('the form for another contact', () => {
  it('carries the draft and the index being edited, and offers the .vcf file only when adding', () => {
    const adding = cardFormView({
      locale: 'en',
      channelId: CHANNEL,
      rows: INITIAL_ROWS,
      contact: {},
      draftId: DRAFT,
      hint: CATALOGUES.en.contacts.adding(3),
    });
    expect(decodeMetadata(cardFormMetadataSchema, adding.private_metadata)).toEqual({
      channelId: CHANNEL,
      rows: INITIAL_ROWS,
      draftId: DRAFT,
    });
    expect(buttons(adding.blocks.find((block) => block.block_id === BlockId.ImportOffer))).toEqual([
      { action: ActionId.OpenImport, text: 'Import from a .vcf file' },
    ]);

    const editing = cardFormView({
      locale: 'es',
      channelId: CHANNEL,
      rows: INITIAL_ROWS,
      contact: JUAN,
      draftId: DRAFT,
      editing: 1,
    });
    expect(decodeMetadata(cardFormMetadataSchema, editing.private_metadata)).toMatchObject({ editing: 1 });
    expect(editing.blocks.some((block) => block.block_id === BlockId.ImportOffer)).toBe(false);
  });

  it('a new form carries no draft', () => {
    const view = cardFormView({ locale: 'en', channelId: CHANNEL, rows: INITIAL_ROWS, contact: {} });
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ channelId: CHANNEL, rows: INITIAL_ROWS });
  });
});

describe('the .vcf import view', () => {
  it.each(LOCALES)('%s: the recipient, a required file input for one .vcf, and the way back', (locale) => {
    const t = CATALOGUES[locale];
    const recipient = { id: '593991234567', label: WHO };
    const view = importView({
      locale,
      channelId: CHANNEL,
      recipients: [recipient],
      draftId: DRAFT,
      collected: 2,
    });
    expect(view.callback_id).toBe(CallbackId.ImportModal);
    expect([view.title.text, view.submit?.text, view.close?.text]).toEqual([
      t.modal.title,
      t.modal.preview,
      t.modal.cancel,
    ]);
    const file = inputBlock(view, BlockId.VcfFile);
    expect(file.optional).not.toBe(true);
    expect(file.element).toEqual({
      type: 'file_input',
      action_id: ActionId.Value,
      filetypes: ['vcf'],
      max_files: 1,
    });
    expect(inputBlock(view, BlockId.Recipient).element).toMatchObject({
      initial_options: [{ value: recipient.id }],
    });
    expect(view.blocks[0]).toEqual({
      type: 'context',
      elements: [t.vcf.intro(MAX_CARD_CONTACTS), t.vcf.kept(2)].map((text) => ({ type: 'mrkdwn', text })),
    });
    expect(buttons(view.blocks.find((block) => block.block_id === BlockId.ImportActions))).toEqual([
      { action: ActionId.BackToForm, text: t.buttons.backToForm },
    ]);
    expect(decodeMetadata(importMetadataSchema, view.private_metadata)).toEqual({
      channelId: CHANNEL,
      draftId: DRAFT,
    });
    expect(modalLimitViolations(view)).toEqual([]);
  });

  it('without contacts before it, says nothing about keeping them', () => {
    const view = importView({ locale: 'en', channelId: CHANNEL });
    expect(view.blocks[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: CATALOGUES.en.vcf.intro(MAX_CARD_CONTACTS) }],
    });
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ channelId: CHANNEL });
  });
});
