/**
 * The preview: the validated card laid out as the customer will see it on WhatsApp, who receives
 * it, and Send (the modal's submit) or Edit (back to the form with everything kept).
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Contact } from '../../card/index.js';
import { ActionId, BlockId, CallbackId } from '../ids.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { strings } from '../strings.js';
import { plain } from './card-form.js';

export type PreviewInput = Readonly<{
  recipientLabel: string;
  contacts: readonly Contact[];
  /** Already encoded and known to fit Slack's limit. */
  privateMetadata: string;
}>;

function line(label: string | undefined, value: string): string {
  return label ? `${escapeMrkdwn(value)}  _${escapeMrkdwn(label)}_` : escapeMrkdwn(value);
}

/** The lines of one contact, in the order WhatsApp shows them. */
export function contactLines(contact: Contact): string[] {
  const { name, org } = contact;
  const lines = [`*${escapeMrkdwn(name.formatted_name)}*`];
  const orgLine = [org?.title, org?.department, org?.company].filter(Boolean).join(' · ');
  if (orgLine) lines.push(escapeMrkdwn(orgLine));
  for (const phone of contact.phones ?? [])
    lines.push(`:telephone_receiver: ${line(phone.type, phone.phone)}`);
  for (const email of contact.emails ?? []) lines.push(`:email: ${line(email.type, email.email)}`);
  for (const address of contact.addresses ?? []) {
    const place = [address.street, address.city, address.state, address.zip, address.country]
      .filter(Boolean)
      .join(', ');
    const withCode = address.country_code ? `${place} (${address.country_code})` : place;
    if (withCode) lines.push(`:round_pushpin: ${line(address.type, withCode)}`);
  }
  for (const url of contact.urls ?? []) lines.push(`:link: ${line(url.type, url.url)}`);
  if (contact.birthday) lines.push(`:birthday: ${escapeMrkdwn(contact.birthday)}`);
  return lines;
}

export function previewView(input: PreviewInput): ModalView {
  const cards: KnownBlock[] = input.contacts.flatMap((contact): KnownBlock[] => [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: contactLines(contact).join('\n') } },
  ]);
  return {
    type: 'modal',
    callback_id: CallbackId.PreviewModal,
    title: plain(strings.modal.title),
    submit: plain(strings.modal.send),
    close: plain(strings.modal.cancel),
    private_metadata: input.privateMetadata,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: strings.preview.to(escapeMrkdwn(input.recipientLabel)) },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: strings.preview.intro }] },
      ...cards,
      { type: 'divider' },
      {
        type: 'actions',
        block_id: BlockId.PreviewActions,
        elements: [
          { type: 'button', action_id: ActionId.BackToEdit, text: plain(strings.buttons.backToEdit) },
        ],
      },
    ],
  };
}
