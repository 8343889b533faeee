/**
 * The .vcf import view: who receives the card and a file to read the contacts from. It replaces
 * the card form (`views.update`); its submission answers with the preview of every contact in
 * the file, or with an inline error on the file. Slack hands the app the file only on submission.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { catalogue, type Locale } from '../i18n/index.js';
import { ActionId, BlockId, CallbackId } from '../ids.js';
import { encodeMetadata, type ImportMetadata, MAX_CARD_CONTACTS, type Recipient } from '../metadata.js';
import { recipientBlock, resultChannelBlock } from './card-form.js';
import { plain } from './elements.js';

/** One file at a time: its contacts go in the preview, where more can be added. */
export const VCF_MAX_FILES = 1;

export type ImportViewInput = Readonly<{
  locale: Locale;
  /** Absent when the form came from the shortcut: the view then asks where to post the result. */
  channelId?: string | undefined;
  /** The thread of `channelId` the result goes to (a form opened from a message's shortcut). */
  threadTs?: string | undefined;
  /** The channel already chosen for the result on the shortcut's form. */
  resultChannel?: string | undefined;
  recipients?: readonly Recipient[] | undefined;
  /** The draft of the contacts added before, and how many; the file's contacts come after them. */
  draftId?: string | undefined;
  collected?: number | undefined;
}>;

export function importView(input: ImportViewInput): ModalView {
  const t = catalogue(input.locale);
  const collected = input.collected ?? 0;
  const metadata: ImportMetadata = {
    ...(input.channelId === undefined ? {} : { channelId: input.channelId }),
    ...(input.threadTs === undefined ? {} : { threadTs: input.threadTs }),
    ...(input.draftId === undefined ? {} : { draftId: input.draftId }),
  };
  const intro = [t.vcf.intro(MAX_CARD_CONTACTS), ...(collected > 0 ? [t.vcf.kept(collected)] : [])];
  const blocks: KnownBlock[] = [
    { type: 'context', elements: intro.map((text) => ({ type: 'mrkdwn' as const, text })) },
    recipientBlock(t, input.recipients ?? []),
    ...(input.channelId === undefined ? [resultChannelBlock(t, input.resultChannel)] : []),
    {
      type: 'input',
      block_id: BlockId.VcfFile,
      label: plain(t.vcf.fileLabel),
      element: {
        type: 'file_input',
        action_id: ActionId.Value,
        filetypes: ['vcf'],
        max_files: VCF_MAX_FILES,
      },
    },
    {
      type: 'actions',
      block_id: BlockId.ImportActions,
      elements: [{ type: 'button', action_id: ActionId.BackToForm, text: plain(t.buttons.backToForm) }],
    },
  ];
  return {
    type: 'modal',
    callback_id: CallbackId.ImportModal,
    title: plain(t.modal.title),
    submit: plain(t.modal.preview),
    close: plain(t.modal.cancel),
    // At most a channel id and a UUID: always within Slack's limit.
    private_metadata: encodeMetadata(metadata) ?? '',
    blocks,
  };
}
