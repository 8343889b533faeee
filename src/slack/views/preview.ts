/**
 * The preview: the validated card laid out as the customer will see it on WhatsApp, who receives
 * it, and Send (the modal's submit) or Edit (back to the form with everything kept).
 */
import type { KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { Contact } from '../../card/index.js';
import { catalogue, type Locale, type RowTypeKind, typeLabel } from '../i18n/index.js';
import { ActionId, BlockId, CallbackId } from '../ids.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { clip, plain } from './elements.js';

export type PreviewInput = Readonly<{
  locale: Locale;
  /** Who receives the card, as each was named in the picker; one or more. */
  recipientLabels: readonly string[];
  contacts: readonly Contact[];
  /** Already encoded and known to fit Slack's limit. */
  privateMetadata: string;
}>;

/** Slack refuses a section whose text is longer than this. */
const SECTION_TEXT_MAX = 3000;

/**
 * Longest value shown whole, in characters. Escaping can make text five times longer (`&` →
 * `&amp;`), and a 2,048-character URL must still fit a section; the card sent is never shortened.
 */
const SHOWN_MAX = 300;

/** The value for display, shortened by whole characters before escaping so no entity is cut. */
function shown(value: string): string {
  return escapeMrkdwn(clip(value, SHOWN_MAX));
}

function line(label: string | undefined, value: string): string {
  return label ? `${shown(value)}  _${shown(label)}_` : shown(value);
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
    return [{ type: 'section', text: { type: 'mrkdwn', text: t.preview.to(escapeMrkdwn(only)) } }];
  }
  const list = labels.map((label) => `• ${escapeMrkdwn(clip(label, LABEL_MAX))}`);
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
    lines.push(`:telephone_receiver: ${line(typed(locale, 'phone', phone.type), phone.phone)}`);
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

export function previewView(input: PreviewInput): ModalView {
  const t = catalogue(input.locale);
  const cards: KnownBlock[] = input.contacts.flatMap((contact): KnownBlock[] => [
    { type: 'divider' },
    ...sections(contactLines(contact, input.locale)),
  ]);
  return {
    type: 'modal',
    callback_id: CallbackId.PreviewModal,
    title: plain(t.modal.title),
    submit: plain(t.modal.send),
    close: plain(t.modal.cancel),
    private_metadata: input.privateMetadata,
    blocks: [
      ...recipientBlocks(input.locale, input.recipientLabels),
      { type: 'context', elements: [{ type: 'mrkdwn', text: t.preview.intro }] },
      ...cards,
      { type: 'divider' },
      {
        type: 'actions',
        block_id: BlockId.PreviewActions,
        elements: [{ type: 'button', action_id: ActionId.BackToEdit, text: plain(t.buttons.backToEdit) }],
      },
    ],
  };
}
