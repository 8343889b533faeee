/**
 * The preview: the validated card laid out as the customer will see it on WhatsApp, who receives
 * it, and Send (the modal's submit) or Edit (back to the form with everything kept).
 */
import type { ActionsBlock, Button, ContextBlock, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Contact } from '../../card/index.js';
import { formCanHold } from '../contacts.js';
import { type Catalogue, catalogue, type Locale, type RowTypeKind, typeLabel } from '../i18n/index.js';
import { ActionId, BlockId, CallbackId, contactBlockId, WindowNoteBlockId } from '../ids.js';
import { MAX_CARD_CONTACTS } from '../metadata.js';
import { userText } from '../mrkdwn.js';
import type { WindowNote } from '../window-notes.js';
import { clip, plain } from './elements.js';

export type PreviewInput = Readonly<{
  locale: Locale;
  /** Who receives the card, as each was named in the picker; one or more. */
  recipientLabels: readonly string[];
  contacts: readonly Contact[];
  /** Already encoded and known to fit Slack's limit. */
  privateMetadata: string;
  /** Sentences about how the contacts were read (a .vcf file's left-out cards). mrkdwn, already escaped. */
  notes?: readonly string[] | undefined;
  /** What the bot's history tells of WhatsApp's 24-hour window for the recipients, if anything. */
  window?: WindowNote | undefined;
  /** "Send a template first" beside Send: one recipient, known to be outside the window. */
  offerTemplate?: boolean | undefined;
}>;

/** Slack refuses a modal with more blocks than this. */
const MODAL_BLOCKS_MAX = 100;

/** Slack refuses a context block with more elements than this. */
const CONTEXT_ELEMENTS_MAX = 10;

/** Slack refuses a section whose text is longer than this. */
const SECTION_TEXT_MAX = 3000;

/**
 * Longest value shown whole, in characters. Escaping can make text five times longer (`&` →
 * `&amp;`), and a 2,048-character URL must still fit a section; the card sent is never shortened.
 */
const SHOWN_MAX = 300;

/** The value for display, shortened by whole characters before escaping so no entity is cut. */
function shown(value: string): string {
  return userText(clip(value, SHOWN_MAX));
}

function line(label: string | undefined, value: string): string {
  return label ? `${shown(value)}  _${shown(label)}_` : shown(value);
}

/**
 * The card's phone grouped as the recipient's number beside it is (`+52 55 1234 5678`, see
 * formatUserId), so the two read alike; as stored when it cannot be read. Display only: the card
 * sent keeps the number as it is.
 */
function grouped(phone: string): string {
  return parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
}

/** A row's type in the reader's language when the form offers it (WhatsApp gets the wire value). */
function typed(locale: Locale, kind: RowTypeKind, type: string | undefined): string | undefined {
  return type === undefined ? undefined : typeLabel(locale, kind, type);
}

/** Picker labels are at most 75 characters; anything longer came from elsewhere and is cut. */
const LABEL_MAX = 100;

/** Who receives the card: one person on one line as before, several as a list under a count. */
function recipientBlocks(locale: Locale, labels: readonly string[]): SectionBlock[] {
  const t = catalogue(locale);
  const [only] = labels;
  if (labels.length === 1 && only !== undefined) {
    return [{ type: 'section', text: { type: 'mrkdwn', text: t.preview.to(userText(only)) } }];
  }
  const list = labels.map((label) => `• ${userText(clip(label, LABEL_MAX))}`);
  return sections([t.preview.toMany(labels.length), ...list]);
}

/** Groups lines into as few sections as fit Slack's limit per section. */
function sections(lines: readonly string[]): SectionBlock[] {
  const groups: string[][] = [];
  let size = 0;
  for (const text of lines) {
    const last = groups.at(-1);
    if (last && size + 1 + text.length <= SECTION_TEXT_MAX) {
      last.push(text);
      size += 1 + text.length;
    } else {
      groups.push([text]);
      size = text.length;
    }
  }
  return groups.map((group) => ({ type: 'section', text: { type: 'mrkdwn', text: group.join('\n') } }));
}

/** The lines of one contact, in the order WhatsApp shows them. */
export function contactLines(contact: Contact, locale: Locale): string[] {
  const { name, org } = contact;
  const lines = [`*${shown(name.formatted_name)}*`];
  // One line each: a line is never split across sections, and three long parts would not fit one.
  for (const part of [org?.title, org?.department, org?.company]) if (part) lines.push(shown(part));
  for (const phone of contact.phones ?? [])
    lines.push(`:telephone_receiver: ${line(typed(locale, 'phone', phone.type), grouped(phone.phone))}`);
  for (const email of contact.emails ?? [])
    lines.push(`:email: ${line(typed(locale, 'email', email.type), email.email)}`);
  for (const address of contact.addresses ?? []) {
    const place = [address.street, address.city, address.state, address.zip, address.country]
      .filter(Boolean)
      .join(', ');
    const withCode =
      address.country_code && place ? `${place} (${address.country_code})` : place || address.country_code;
    if (withCode) lines.push(`:round_pushpin: ${line(typed(locale, 'address', address.type), withCode)}`);
  }
  for (const url of contact.urls ?? []) lines.push(`:link: ${line(url.type, url.url)}`);
  if (contact.birthday) lines.push(`:birthday: ${shown(contact.birthday)}`);
  return lines;
}

/**
 * The contact's sections, at most `max` of them: past that, the last one says how many lines
 * are not shown (the card sent is whole; only its preview is shortened, so ten long contacts
 * still fit Slack's 100 blocks).
 */
function cappedSections(t: Catalogue, lines: readonly string[], max: number): SectionBlock[] {
  const all = sections(lines);
  if (all.length <= max) return all;
  const kept = all.slice(0, Math.max(max - 1, 0));
  const shownLines = kept.reduce((sum, section) => sum + (section.text?.text.split('\n').length ?? 0), 0);
  const more: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: `_${t.contacts.moreLines(lines.length - shownLines)}_` },
  };
  return [...kept, more];
}

function button(actionId: string, text: string, value?: string): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(text),
    ...(value === undefined ? {} : { value }),
  };
}

/** Edit (when the form can show the whole contact) and Remove, for one of several contacts. */
function contactActions(t: Catalogue, contact: Contact, index: number): ActionsBlock {
  const value = String(index);
  return {
    type: 'actions',
    block_id: contactBlockId(index),
    elements: [
      ...(formCanHold(contact) ? [button(ActionId.EditContact, t.buttons.editContact, value)] : []),
      button(ActionId.RemoveContact, t.buttons.removeContact, value),
    ],
  };
}

/** The window note, right under who receives the card, its block id saying open, closed or unknown. */
function windowBlock(note: WindowNote): ContextBlock {
  return {
    type: 'context',
    block_id: WindowNoteBlockId[note.state],
    elements: [{ type: 'mrkdwn', text: clip(note.text, SECTION_TEXT_MAX) }],
  };
}

export function previewView(input: PreviewInput): ModalView {
  const t = catalogue(input.locale);
  const { contacts } = input;
  const several = contacts.length > 1;
  const editable = contacts.map(formCanHold);
  const notes = [...(input.notes ?? []), ...(editable.every(Boolean) ? [] : [t.contacts.notEditable])];
  const notesBlock: KnownBlock[] =
    notes.length > 0
      ? [
          {
            type: 'context',
            elements: notes
              .slice(0, CONTEXT_ELEMENTS_MAX)
              .map((text) => ({ type: 'mrkdwn' as const, text: clip(text, SECTION_TEXT_MAX) })),
          },
        ]
      : [];
  const bottom: Button[] = [
    ...(input.offerTemplate ? [button(ActionId.TemplateFromPreview, t.buttons.sendTemplate)] : []),
    // One contact keeps the single Edit it always had; several have an Edit each.
    ...(!several && editable[0] ? [button(ActionId.BackToEdit, t.buttons.backToEdit)] : []),
    ...(contacts.length < MAX_CARD_CONTACTS ? [button(ActionId.AddContact, t.buttons.addContact)] : []),
  ];
  const bottomBlocks: KnownBlock[] =
    bottom.length > 0
      ? [{ type: 'divider' }, { type: 'actions', block_id: BlockId.PreviewActions, elements: bottom }]
      : [];
  const recipients: KnownBlock[] = [
    ...recipientBlocks(input.locale, input.recipientLabels),
    ...(input.window ? [windowBlock(input.window)] : []),
  ];
  // Recipients, intro, notes and the bottom are fixed; each contact has a divider, its sections
  // and (when there are several) its buttons, and shares what is left of the 100 blocks.
  const fixed = recipients.length + 1 + notesBlock.length + bottomBlocks.length;
  const perContact = Math.floor((MODAL_BLOCKS_MAX - fixed) / Math.max(contacts.length, 1));
  const sectionsMax = perContact - 1 - (several ? 1 : 0);
  const cards: KnownBlock[] = contacts.flatMap((contact, index): KnownBlock[] => [
    { type: 'divider' },
    ...cappedSections(t, contactLines(contact, input.locale), sectionsMax),
    ...(several ? [contactActions(t, contact, index)] : []),
  ]);
  return {
    type: 'modal',
    callback_id: CallbackId.PreviewModal,
    title: plain(t.modal.title),
    submit: plain(t.modal.send),
    close: plain(t.modal.cancel),
    private_metadata: input.privateMetadata,
    blocks: [
      ...recipients,
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: several ? t.contacts.introMany(contacts.length) : t.preview.intro },
        ],
      },
      ...notesBlock,
      ...cards,
      ...bottomBlocks,
    ],
  };
}
