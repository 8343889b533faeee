/**
 * The card form modal. A pure function of what the form should show: the same input always
 * gives the same view, so it is tested as data and rebuilt whole on every `views.update`.
 */
import type {
  ActionsBlock,
  Button,
  Checkboxes,
  ContextBlock,
  InputBlock,
  KnownBlock,
  ModalView,
  MultiExternalSelect,
  PlainTextInput,
  StaticSelect,
} from '@slack/types';
import { ADDRESS_TYPES, type ContactInput, EMAIL_TYPES, MAX_LENGTH, PHONE_TYPES } from '../../card/index.js';
import { type Catalogue, catalogue, type Locale, type RowTypeKind, typeLabel } from '../i18n/index.js';
import { ActionId, BlockId, CallbackId, generationBlockId, type RowKind, rowBlockId } from '../ids.js';
import {
  type CardFormMetadata,
  deepFreeze,
  encodeMetadata,
  MAX_RECIPIENTS,
  MAX_ROWS,
  type Recipient,
  type RowCounts,
} from '../metadata.js';
import { option, plain } from './elements.js';

export type CardFormInput = Readonly<{
  /** The language of every label; the values the form sends back do not depend on it. */
  locale: Locale;
  /** Where the result goes; absent when the form came from the shortcut and asks for it. */
  channelId?: string | undefined;
  /** The thread of `channelId` the result goes to (a form opened from a message's shortcut). */
  threadTs?: string | undefined;
  /** On the shortcut's form, the channel already chosen for the result (kept across views). */
  resultChannel?: string | undefined;
  rows: RowCounts;
  contact: ContactInput;
  /** People already chosen (from the command's number, or back from the preview). */
  recipients?: readonly Recipient[] | undefined;
  /** A sentence shown above the form, e.g. why the command's text was not used. mrkdwn, already escaped. */
  hint?: string | undefined;
  /** The draft holding the contacts put together before this one (see src/slack/metadata.ts). */
  draftId?: string | undefined;
  /** Set when the form edits the draft's contact at this index rather than adding one. */
  editing?: number | undefined;
  /** The profile generation of the fields "Use my Slack profile" fills (see ids.ts). */
  generation?: number | undefined;
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

/** The values each type menu offers, as WhatsApp receives them, in the order shown. */
const TYPE_CHOICES: Readonly<Record<RowTypeKind, readonly string[]>> = {
  phone: PHONE_TYPES,
  email: EMAIL_TYPES,
  address: ADDRESS_TYPES,
};

/** A type menu: each option's value is the wire value, its text the label in the person's language. */
function typeSelect(
  locale: Locale,
  blockId: string,
  label: string,
  kind: RowTypeKind,
  initial: string | undefined,
): InputBlock {
  const choices = TYPE_CHOICES[kind];
  const options = choices.map((choice) => option(typeLabel(locale, kind, choice), choice));
  // A type the form does not offer (e.g. from an edited preview) is kept as an extra choice.
  if (initial && !choices.includes(initial))
    options.push(option(initial.slice(0, 75), initial.slice(0, 150)));
  const selected = options.find((o) => o.value === (initial ?? choices[0]));
  const element: StaticSelect = { type: 'static_select', action_id: ActionId.Value, options };
  if (selected) element.initial_option = selected;
  return { type: 'input', block_id: blockId, label: plain(label), optional: true, element };
}

function addButton(t: Catalogue, kind: RowKind, rows: RowCounts): ActionsBlock | undefined {
  if (rows[kind] >= MAX_ROWS[kind]) return undefined;
  const button: Button = {
    type: 'button',
    action_id: { phone: ActionId.AddPhone, email: ActionId.AddEmail, address: ActionId.AddAddress }[kind],
    text: plain(
      {
        phone: t.buttons.addPhone,
        email: t.buttons.addEmail,
        address: t.buttons.addAddress,
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
    label: (t: Catalogue) => t.fields.phone,
    typeLabel: (t: Catalogue) => t.fields.phoneType,
    placeholder: (t: Catalogue) => t.fields.phonePlaceholder,
    max: MAX_LENGTH.phone,
  },
  email: {
    field: 'address',
    label: (t: Catalogue) => t.fields.email,
    typeLabel: (t: Catalogue) => t.fields.emailType,
    placeholder: (t: Catalogue) => t.fields.emailPlaceholder,
    max: MAX_LENGTH.email,
  },
} as const;

/** The rows of phones or emails: each a text input and its type menu. */
function valueRowBlocks(
  locale: Locale,
  kind: keyof typeof VALUE_ROWS,
  count: number,
  values: readonly {
    value?: string | undefined;
    type?: string | undefined;
    noWhatsApp?: boolean | undefined;
  }[],
): InputBlock[] {
  const t = catalogue(locale);
  const row = VALUE_ROWS[kind];
  return Array.from({ length: count }, (_, i) => [
    textInput(rowBlockId(kind, i, row.field), row.label(t)(i + 1), values[i]?.value, row.max, {
      placeholder: row.placeholder(t),
    }),
    typeSelect(locale, rowBlockId(kind, i, 'type'), row.typeLabel(t)(i + 1), kind, values[i]?.type),
    ...(kind === 'phone' ? [noWhatsAppBlock(t, i, values[i]?.noWhatsApp === true)] : []),
  ]).flat();
}

/** "No WhatsApp on this number": the card then leaves out its wa_id, so WhatsApp shows "Invite". */
function noWhatsAppBlock(t: Catalogue, index: number, checked: boolean): InputBlock {
  const choice = option(t.fields.noWhatsApp, ActionId.NoWhatsAppOption);
  const element: Checkboxes = { type: 'checkboxes', action_id: ActionId.Value, options: [choice] };
  if (checked) element.initial_options = [choice];
  return {
    type: 'input',
    block_id: rowBlockId('phone', index, 'noWhatsApp'),
    label: plain(t.fields.whatsApp(index + 1)),
    optional: true,
    element,
  };
}

function addressBlocks(locale: Locale, contact: ContactInput, rows: RowCounts): KnownBlock[] {
  const t = catalogue(locale);
  return Array.from({ length: rows.address }, (_, i): KnownBlock[] => {
    const address = contact.addresses?.[i];
    const id = (field: 'street' | 'city' | 'state' | 'zip' | 'country' | 'countryCode' | 'type') =>
      rowBlockId('address', i, field);
    return [
      { type: 'section', text: { type: 'mrkdwn', text: t.fields.addressHeader(i + 1) } },
      textInput(id('street'), t.fields.street, address?.street, MAX_LENGTH.street),
      textInput(id('city'), t.fields.city, address?.city, MAX_LENGTH.city),
      textInput(id('state'), t.fields.state, address?.state, MAX_LENGTH.state),
      textInput(id('zip'), t.fields.zip, address?.zip, MAX_LENGTH.zip),
      textInput(id('country'), t.fields.country, address?.country, MAX_LENGTH.country),
      textInput(id('countryCode'), t.fields.countryCode, address?.countryCode, 2, {
        hint: t.fields.countryCodeHint,
      }),
      typeSelect(locale, id('type'), t.fields.addressType, 'address', address?.type),
    ];
  }).flat();
}

/** The recipient picker; the .vcf import view shows the same one. */
export function recipientBlock(t: Catalogue, recipients: readonly Recipient[]): InputBlock {
  const element: MultiExternalSelect = {
    type: 'multi_external_select',
    action_id: ActionId.RecipientSelect,
    placeholder: plain(t.fields.recipientPlaceholder),
    // Zero: the recent conversations show as soon as the menu opens, before any typing.
    min_query_length: 0,
    max_selected_items: MAX_RECIPIENTS,
  };
  const initial = recipients.slice(0, MAX_RECIPIENTS).map((r) => option(r.label, r.id));
  if (initial.length > 0) element.initial_options = initial;
  return {
    type: 'input',
    block_id: BlockId.Recipient,
    label: plain(t.fields.recipient),
    hint: plain(t.fields.recipientHint),
    element,
  };
}

/** Only on the shortcut's form: the channel for the result; none chosen means a DM to the sender. */
export function resultChannelBlock(t: Catalogue, chosen?: string): InputBlock {
  return {
    type: 'input',
    block_id: BlockId.ResultChannel,
    label: plain(t.fields.resultChannel),
    hint: plain(t.fields.resultChannelHint),
    optional: true,
    element: {
      type: 'conversations_select',
      action_id: ActionId.Value,
      // Slack Connect channels include other companies: a customer's number must not go there.
      filter: {
        include: ['public', 'private'],
        exclude_external_shared_channels: true,
        exclude_bot_users: true,
      },
      ...(chosen === undefined ? {} : { initial_conversation: chosen }),
    },
  };
}

function profileButton(t: Catalogue): ActionsBlock {
  return {
    type: 'actions',
    block_id: BlockId.ProfileActions,
    elements: [{ type: 'button', action_id: ActionId.UseProfile, text: plain(t.buttons.useProfile) }],
  };
}

/**
 * "Attach a .vcf file": a button rather than a `file_input` here, because Slack will not submit
 * a form whose required name is empty, and a file needs no typed name.
 */
function importOffer(t: Catalogue): ActionsBlock {
  return {
    type: 'actions',
    block_id: BlockId.ImportOffer,
    elements: [{ type: 'button', action_id: ActionId.OpenImport, text: plain(t.buttons.attachVcf) }],
  };
}

/**
 * The blocks of the form as `/jelou-card` opens it with nothing typed, per language and per kind
 * (with or without its result channel picker). Every command opens it, and building it afresh was
 * about a tenth of the app's own CPU per command (BENCHMARKS.md). Frozen, so a caller that changed
 * one view's blocks would fail at once instead of changing every later form.
 */
const blankForms = new Map<string, readonly KnownBlock[]>();

/** The key of `input`'s blocks among the blank forms, or undefined when it shows anything typed. */
function blankFormKey(input: CardFormInput): string | undefined {
  const blank =
    Object.keys(input.contact).length === 0 &&
    (input.recipients ?? []).length === 0 &&
    !input.hint &&
    input.resultChannel === undefined &&
    input.editing === undefined &&
    !input.generation &&
    input.rows.phone === INITIAL_ROWS.phone &&
    input.rows.email === INITIAL_ROWS.email &&
    input.rows.address === INITIAL_ROWS.address;
  return blank ? `${input.locale}:${input.channelId === undefined ? 'picker' : 'channel'}` : undefined;
}

/** The card form: recipient, name and the first phone first, so they show without scrolling. */
export function cardFormView(input: CardFormInput): ModalView {
  const t = catalogue(input.locale);
  const metadata: CardFormMetadata = {
    ...(input.channelId === undefined ? {} : { channelId: input.channelId }),
    ...(input.threadTs === undefined ? {} : { threadTs: input.threadTs }),
    rows: input.rows,
    ...(input.generation ? { generation: input.generation } : {}),
    ...(input.draftId === undefined ? {} : { draftId: input.draftId }),
    ...(input.editing === undefined ? {} : { editing: input.editing }),
  };
  const key = blankFormKey(input);
  let blocks = key === undefined ? undefined : blankForms.get(key);
  if (!blocks) {
    blocks = formBlocks(input, t);
    if (key !== undefined) blankForms.set(key, deepFreeze(blocks));
  }
  return {
    type: 'modal',
    callback_id: CallbackId.CardModal,
    title: plain(t.modal.title),
    submit: plain(t.modal.preview),
    close: plain(t.modal.cancel),
    // Row counts and a channel id are a few dozen characters: always within Slack's limit.
    private_metadata: encodeMetadata(metadata) ?? '',
    blocks: [...blocks],
  };
}

function formBlocks(input: CardFormInput, t: Catalogue): KnownBlock[] {
  const { contact, rows, locale } = input;
  const hint: ContextBlock[] = input.hint
    ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: input.hint }] }]
    : [];
  const blocks: (KnownBlock | undefined)[] = [
    ...hint,
    recipientBlock(t, input.recipients ?? []),
    input.channelId === undefined ? resultChannelBlock(t, input.resultChannel) : undefined,
    textInput(BlockId.FormattedName, t.fields.formattedName, contact.formattedName, MAX_LENGTH.name, {
      optional: false,
      placeholder: t.fields.formattedNamePlaceholder,
    }),
    ...valueRowBlocks(
      locale,
      'phone',
      rows.phone,
      (contact.phones ?? []).map((phone) => ({
        value: phone.number,
        type: phone.type,
        noWhatsApp: phone.noWhatsApp,
      })),
    ),
    addButton(t, 'phone', rows),
    // After the first things to fill in, not before: recipient, name and phone stay on screen.
    profileButton(t),
    textInput(BlockId.FirstName, t.fields.firstName, contact.firstName, MAX_LENGTH.name),
    textInput(BlockId.LastName, t.fields.lastName, contact.lastName, MAX_LENGTH.name),
    ...valueRowBlocks(
      locale,
      'email',
      rows.email,
      (contact.emails ?? []).map((email) => ({ value: email.address, type: email.type })),
    ),
    addButton(t, 'email', rows),
    ...addressBlocks(locale, contact, rows),
    addButton(t, 'address', rows),
    { type: 'section', text: { type: 'mrkdwn', text: t.fields.more } },
    textInput(BlockId.Company, t.fields.company, contact.company, MAX_LENGTH.org),
    textInput(BlockId.Department, t.fields.department, contact.department, MAX_LENGTH.org),
    textInput(BlockId.Title, t.fields.title, contact.title, MAX_LENGTH.org),
    textInput(BlockId.Website, t.fields.website, contact.urls?.[0]?.url, MAX_LENGTH.url, {
      placeholder: t.fields.websitePlaceholder,
    }),
    {
      type: 'input',
      block_id: BlockId.Birthday,
      label: plain(t.fields.birthday),
      optional: true,
      element: {
        type: 'datepicker',
        action_id: ActionId.Value,
        ...(contact.birthday ? { initial_date: contact.birthday } : {}),
      },
    },
    // Last, so the typed card keeps the top of the form; not while one contact is being edited.
    input.editing === undefined ? importOffer(t) : undefined,
  ];
  const generation = input.generation;
  const withIds = (block: KnownBlock): KnownBlock =>
    block.type === 'input' && block.block_id
      ? { ...block, block_id: generationBlockId(block.block_id, generation) }
      : block;
  return blocks.filter((block): block is KnownBlock => block !== undefined).map(withIds);
}
