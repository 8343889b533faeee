/**
 * Every Slack id the app uses: callback ids of views, block ids of input blocks (the keys of
 * `view.state.values` and of `response_action: "errors"`), action ids, the slash command.
 * Views, listeners, the submission parser and tests import them from here and nowhere else.
 */

export const Command = {
  JelouCard: '/jelou-card',
} as const;

/** Global shortcuts (the lightning-bolt menu), by callback id. */
export const Shortcut = {
  SendCard: 'jelou_card_shortcut',
} as const;

/** Message shortcuts (a message's "More actions" menu), by callback id. */
export const MessageShortcut = {
  SendCard: 'jelou_card_message_shortcut',
} as const;

export const Event = {
  AppHomeOpened: 'app_home_opened',
  /** A workflow reached one of the app's custom steps (Workflow Builder). */
  FunctionExecuted: 'function_executed',
} as const;

/** Custom workflow steps (the manifest's `functions`), by callback id. */
export const WorkflowStep = {
  SendCard: 'send_whatsapp_contact_card',
} as const;

/** The inputs of the "Send WhatsApp contact card" step, as the manifest and the event name them. */
export const StepInput = {
  Recipient: 'recipient',
  Name: 'name',
  Phone: 'phone',
  Email: 'email',
  Company: 'company',
  Title: 'title',
  Website: 'website',
  CardOwner: 'card_owner',
  ResultChannel: 'result_channel',
} as const;

/** The outputs of the "Send WhatsApp contact card" step. */
export const StepOutput = {
  Status: 'status',
  MessageId: 'message_id',
  Reason: 'reason',
} as const;

/** `metadata.event_type` of every result message, for apps and workflows that react to a card sent. */
export const MetadataEventType = {
  CardSent: 'jelou_card_sent',
} as const;

export const CallbackId = {
  CardModal: 'jelou_card_form',
  PreviewModal: 'jelou_card_preview',
  /** Attach a .vcf file: replaces the card form, answers with the preview of the file's contacts. */
  ImportModal: 'jelou_card_import',
  /** "Send a template first": pick an approved template, fill its parameters, send it. */
  TemplateModal: 'jelou_card_template',
} as const;

/** Input blocks with a fixed place in the card form. Repeated rows use `RowBlockId`. */
export const BlockId = {
  Recipient: 'recipient',
  /** Only on a form opened from the shortcut: where the result is posted. */
  ResultChannel: 'result_channel',
  ProfileActions: 'profile_actions',
  FormattedName: 'name_formatted',
  FirstName: 'name_first',
  LastName: 'name_last',
  Company: 'org_company',
  Department: 'org_department',
  Title: 'org_title',
  Website: 'url_website',
  Birthday: 'birthday',
  AddPhone: 'phone_actions',
  AddEmail: 'email_actions',
  AddAddress: 'address_actions',
  PreviewActions: 'preview_actions',
  NotificationActions: 'notification_actions',
  /** The card form's "Attach a .vcf file" section. */
  ImportOffer: 'vcf_import_offer',
  /** The import view's `file_input`. */
  VcfFile: 'vcf_file',
  ImportActions: 'vcf_import_actions',
  /** The template modal's picker (an input block that dispatches its choice). */
  TemplatePick: 'template_pick',
} as const;

/**
 * Block id of the preview's note on WhatsApp's 24-hour window, by what it says (window-notes.ts):
 * whoever reads the view (a test, another app) tells open from closed without reading its words.
 */
export const WindowNoteBlockId = {
  open: 'preview_window_open',
  closed: 'preview_window_closed',
  unknown: 'preview_window_unknown',
} as const;

/**
 * Block id of parameter `index` (from 0) of the template picked `generation`-th in the modal: a new
 * template gets new block ids, so Slack shows its prefilled values instead of keeping the last
 * template's (api.slack.com/methods/views.update, "Preserving input entry").
 */
export function templateParamBlockId(generation: number, index: number): string {
  return `template_${generation}_param_${index}`;
}

/** The parameter index a {@link templateParamBlockId} names, or `undefined` for any other block id. */
export function templateParamIndexOf(blockId: string): number | undefined {
  const match = /^template_\d{1,4}_param_(\d{1,2})$/u.exec(blockId);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Block id of the Edit / Remove buttons of the preview's contact `index` (from 0), e.g.
 * `contact_2_actions`: the listener reads the index back from it with {@link contactIndexOf}.
 */
export function contactBlockId(index: number): string {
  return `contact_${index}_actions`;
}

/** The contact index a {@link contactBlockId} names, or `undefined` for any other block id. */
export function contactIndexOf(blockId: string | undefined): number | undefined {
  const match = /^contact_(\d{1,2})_actions$/u.exec(blockId ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Fields of the rows the form can repeat ("Add phone", "Add email", "Add address"). */
export const RowField = {
  /** `noWhatsApp`: the checkbox that keeps the number's wa_id off the card. */
  phone: ['number', 'type', 'noWhatsApp'],
  email: ['address', 'type'],
  address: ['street', 'city', 'state', 'zip', 'country', 'countryCode', 'type'],
} as const;
export type RowKind = keyof typeof RowField;
export type RowFieldName<K extends RowKind> = (typeof RowField)[K][number];

/**
 * Block id of one field of one repeated row, e.g. `phone_1_number`. Stable across
 * `views.update`, so what a person typed survives when the form grows.
 */
export function rowBlockId<K extends RowKind>(kind: K, index: number, field: RowFieldName<K>): string {
  return `${kind}_${index}_${field}`;
}

/** Whether `field` is one of `kind`'s row fields (issue paths from the domain are plain strings). */
export function isRowField<K extends RowKind>(kind: K, field: unknown): field is RowFieldName<K> {
  return (RowField[kind] as readonly unknown[]).includes(field);
}

/**
 * The fields "Use my Slack profile" fills (name, title, phones, emails). Slack keeps what an input
 * holds across `views.update` while its block id is unchanged and ignores a new initial value
 * (api.slack.com/methods/views.update, "Preserving input entry"), so each use of the profile
 * gives these fields a new generation of block ids; everything else keeps its id and its value.
 */
const PROFILE_FILLED =
  /^(?:name_formatted|name_first|name_last|org_title|phone_\d+_(?:number|type)|email_\d+_(?:address|type))$/u;
const GENERATION = /__g(\d{1,4})$/u;

/** `blockId` as shown in a form of profile generation `generation` (0: the id itself). */
export function generationBlockId(blockId: string, generation: number | undefined): string {
  return generation && PROFILE_FILLED.test(blockId) ? `${blockId}__g${generation}` : blockId;
}

/** The id a {@link generationBlockId} was made from, for reading a form whatever its generation. */
export function baseBlockId(blockId: string): string {
  return blockId.replace(GENERATION, '');
}

/**
 * Block id of one recipient's line in the notification of a batch (a send to several people): the
 * line carries that send's Retry or "Send again anyway" button, and block ids must be unique.
 */
export function batchLineBlockId(index: number): string {
  return `notification_send_${index}`;
}

/**
 * Block id of the "Send a template first" button under line `index` of a batch's notification,
 * for a send the 24-hour window refused: a line's section holds one button (its Retry).
 */
export function batchTemplateBlockId(index: number): string {
  return `notification_template_${index}`;
}

export const ActionId = {
  /** Every input element uses this one action id; its block id says which field it is. */
  Value: 'value',
  /** The one option of a phone's "no WhatsApp" checkbox. */
  NoWhatsAppOption: 'no_whatsapp',
  /** The recipient picker (a multi-select: one card to up to MAX_RECIPIENTS people). */
  RecipientSelect: 'recipient_select',
  UseProfile: 'use_profile',
  AddPhone: 'add_phone',
  AddEmail: 'add_email',
  AddAddress: 'add_address',
  BackToEdit: 'back_to_edit',
  Retry: 'retry_send',
  SendAgainAnyway: 'send_again_anyway',
  /** Cancel on a send waiting out a Jelou outage: it fails, and Retry can bring it back. */
  CancelWaitingSend: 'cancel_waiting_send',
  /** The card form's button that swaps it for the .vcf import view. */
  OpenImport: 'open_vcf_import',
  /** The import view's button back to the card form. */
  BackToForm: 'back_to_form',
  AddContact: 'add_contact',
  EditContact: 'edit_contact',
  RemoveContact: 'remove_contact',
  /** "Download .vcf" on a send's notification; its value is the send id. */
  DownloadVcf: 'download_vcf',
  /** "Send a template first" on a card WhatsApp's 24-hour window refused; its value is the send id. */
  SendTemplate: 'send_template_first',
  /**
   * "Send a template first" on a preview whose recipient's window is known closed: the template
   * modal, pushed over the preview, for the card the preview shows.
   */
  TemplateFromPreview: 'send_template_from_preview',
  /** The template modal's picker: choosing a template shows its parameters. */
  TemplateSelect: 'template_select',
} as const;
