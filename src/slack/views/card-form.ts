/**
 * The card form modal. A pure function of what the form should show: the same input always
 * gives the same view, so it is tested as data and rebuilt whole on every `views.update`.
 */
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  InputBlock,
  KnownBlock,
  ModalView,
  PlainTextInput,
  StaticSelect,
} from '@slack/types';
import { type ContactInput, MAX_LENGTH } from '../../card/index.js';
import { ActionId, BlockId, CallbackId, type RowKind, rowBlockId } from '../ids.js';
import {
  type CardFormMetadata,
  encodeMetadata,
  MAX_ROWS,
  type Recipient,
  type RowCounts,
} from '../metadata.js';
import { strings } from '../strings.js';
import { option, plain } from './elements.js';

export type CardFormInput = Readonly<{
  channelId: string;
  rows: RowCounts;
  contact: ContactInput;
  recipient?: Recipient | undefined;
  /** A sentence shown above the form, e.g. why the command's text was not used. mrkdwn, already escaped. */
  hint?: string | undefined;
}>;

/** A new form: one phone, one email, one address, as in Jelou's own example card. */
export const INITIAL_ROWS: RowCounts = { phone: 1, email: 1, address: 1 };

function textInput(
  blockId: string,
  label: string,
  initial: string | undefined,
  maxLength: number,
  extra: { optional?: boolean; placeholder?: string; hint?: string } = {},
): InputBlock {
  const element: PlainTextInput = {
    type: 'plain_text_input',
    action_id: ActionId.Value,
    max_length: maxLength,
  };
  if (initial) element.initial_value = initial.slice(0, maxLength);
  if (extra.placeholder) element.placeholder = plain(extra.placeholder);
  const block: InputBlock = {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    optional: extra.optional ?? true,
    element,
  };
  if (extra.hint) block.hint = plain(extra.hint);
  return block;
}

function typeSelect(
  blockId: string,
  label: string,
  choices: readonly string[],
  initial: string | undefined,
): InputBlock {
  const options = choices.map((choice) => option(choice, choice));
  // A type the form does not offer (e.g. from an edited preview) is kept as an extra choice.
  if (initial && !choices.includes(initial))
    options.push(option(initial.slice(0, 75), initial.slice(0, 150)));
  const selected = options.find((o) => o.value === (initial ?? choices[0]));
  const element: StaticSelect = { type: 'static_select', action_id: ActionId.Value, options };
  if (selected) element.initial_option = selected;
  return { type: 'input', block_id: blockId, label: plain(label), optional: true, element };
}

function addButton(kind: RowKind, rows: RowCounts): ActionsBlock | undefined {
  if (rows[kind] >= MAX_ROWS[kind]) return undefined;
  const button: Button = {
    type: 'button',
    action_id: { phone: ActionId.AddPhone, email: ActionId.AddEmail, address: ActionId.AddAddress }[kind],
    text: plain(
      {
        phone: strings.buttons.addPhone,
        email: strings.buttons.addEmail,
        address: strings.buttons.addAddress,
      }[kind],
    ),
  };
  return {
    type: 'actions',
    block_id: { phone: BlockId.AddPhone, email: BlockId.AddEmail, address: BlockId.AddAddress }[kind],
    elements: [button],
  };
}

/** How a one-value row (a phone or an email) and its type menu are labelled and bounded. */
const VALUE_ROWS = {
  phone: {
    field: 'number',
    label: strings.fields.phone,
    typeLabel: strings.fields.phoneType,
    placeholder: strings.fields.phonePlaceholder,
    max: MAX_LENGTH.phone,
    types: strings.types.phone,
  },
  email: {
    field: 'address',
    label: strings.fields.email,
    typeLabel: strings.fields.emailType,
    placeholder: strings.fields.emailPlaceholder,
    max: MAX_LENGTH.email,
    types: strings.types.email,
  },
} as const;

/** The rows of phones or emails: each a text input and its type menu. */
function valueRowBlocks(
  kind: keyof typeof VALUE_ROWS,
  count: number,
  values: readonly { value?: string | undefined; type?: string | undefined }[],
): InputBlock[] {
  const row = VALUE_ROWS[kind];
  return Array.from({ length: count }, (_, i) => [
    textInput(rowBlockId(kind, i, row.field), row.label(i + 1), values[i]?.value, row.max, {
      placeholder: row.placeholder,
    }),
    typeSelect(rowBlockId(kind, i, 'type'), row.typeLabel(i + 1), row.types, values[i]?.type),
  ]).flat();
}

function addressBlocks(contact: ContactInput, rows: RowCounts): KnownBlock[] {
  return Array.from({ length: rows.address }, (_, i): KnownBlock[] => {
    const address = contact.addresses?.[i];
    const id = (field: 'street' | 'city' | 'state' | 'zip' | 'country' | 'countryCode' | 'type') =>
      rowBlockId('address', i, field);
    return [
      { type: 'section', text: { type: 'mrkdwn', text: strings.fields.addressHeader(i + 1) } },
      textInput(id('street'), strings.fields.street, address?.street, MAX_LENGTH.street),
      textInput(id('city'), strings.fields.city, address?.city, MAX_LENGTH.city),
      textInput(id('state'), strings.fields.state, address?.state, MAX_LENGTH.state),
      textInput(id('zip'), strings.fields.zip, address?.zip, MAX_LENGTH.zip),
      textInput(id('country'), strings.fields.country, address?.country, MAX_LENGTH.country),
      textInput(id('countryCode'), strings.fields.countryCode, address?.countryCode, 2, {
        hint: strings.fields.countryCodeHint,
      }),
      typeSelect(id('type'), strings.fields.addressType, strings.types.address, address?.type),
    ];
  }).flat();
}

function recipientBlock(recipient: Recipient | undefined): InputBlock {
  const element = {
    type: 'external_select' as const,
    action_id: ActionId.RecipientSelect,
    placeholder: plain(strings.fields.recipientPlaceholder),
    // Zero: the recent conversations show as soon as the menu opens, before any typing.
    min_query_length: 0,
    ...(recipient ? { initial_option: option(recipient.label, recipient.id) } : {}),
  };
  return {
    type: 'input',
    block_id: BlockId.Recipient,
    label: plain(strings.fields.recipient),
    hint: plain(strings.fields.recipientHint),
    element,
  };
}

/** The card form: recipient, name and the first phone first, so they show without scrolling. */
export function cardFormView(input: CardFormInput): ModalView {
  const { contact, rows } = input;
  const metadata: CardFormMetadata = { channelId: input.channelId, rows };
  const hint: ContextBlock[] = input.hint
    ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: input.hint }] }]
    : [];
  const blocks: (KnownBlock | undefined)[] = [
    ...hint,
    recipientBlock(input.recipient),
    textInput(BlockId.FormattedName, strings.fields.formattedName, contact.formattedName, MAX_LENGTH.name, {
      optional: false,
      placeholder: strings.fields.formattedNamePlaceholder,
    }),
    ...valueRowBlocks(
      'phone',
      rows.phone,
      (contact.phones ?? []).map((phone) => ({ value: phone.number, type: phone.type })),
    ),
    addButton('phone', rows),
    textInput(BlockId.FirstName, strings.fields.firstName, contact.firstName, MAX_LENGTH.name),
    textInput(BlockId.LastName, strings.fields.lastName, contact.lastName, MAX_LENGTH.name),
    ...valueRowBlocks(
      'email',
      rows.email,
      (contact.emails ?? []).map((email) => ({ value: email.address, type: email.type })),
    ),
    addButton('email', rows),
    ...addressBlocks(contact, rows),
    addButton('address', rows),
    { type: 'section', text: { type: 'mrkdwn', text: strings.fields.more } },
    textInput(BlockId.Company, strings.fields.company, contact.company, MAX_LENGTH.org),
    textInput(BlockId.Department, strings.fields.department, contact.department, MAX_LENGTH.org),
    textInput(BlockId.Title, strings.fields.title, contact.title, MAX_LENGTH.org),
    textInput(BlockId.Website, strings.fields.website, contact.urls?.[0]?.url, MAX_LENGTH.url, {
      placeholder: strings.fields.websitePlaceholder,
    }),
    {
      type: 'input',
      block_id: BlockId.Birthday,
      label: plain(strings.fields.birthday),
      optional: true,
      element: {
        type: 'datepicker',
        action_id: ActionId.Value,
        ...(contact.birthday ? { initial_date: contact.birthday } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CallbackId.CardModal,
    title: plain(strings.modal.title),
    submit: plain(strings.modal.preview),
    close: plain(strings.modal.cancel),
    // Row counts and a channel id are a few dozen characters: always within Slack's limit.
    private_metadata: encodeMetadata(metadata) ?? '',
    blocks: blocks.filter((block): block is KnownBlock => block !== undefined),
  };
}
