import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import {
  CardInvalidError,
  type Contact,
  type ContactInput,
  describeCardIssue,
  MAX_VCF_BYTES,
  parseContact,
  parseVcf,
  VcardError,
} from '../../../card/index.js';
import { ErrorCode, sentenceFor } from '../../../errors.js';
import { isUserAllowed } from '../../access.js';
import { downloadSlackFile, fileDownloadUrl, SlackFileError, slackFileOrigins } from '../../files.js';
import { readCardForm } from '../../form.js';
import { type Catalogue, catalogue, type Locale } from '../../i18n/index.js';
import { ActionId, BlockId } from '../../ids.js';
import { decodeMetadata, importMetadataSchema, loadContacts, MAX_CARD_CONTACTS } from '../../metadata.js';
import { userText } from '../../mrkdwn.js';
import { clip } from '../../views/elements.js';
import type { ListenerDeps } from '../deps.js';
import {
  buildPreview,
  channelRefusal,
  checkChosenChannel,
  checkRecipients,
  checkResultChannel,
} from '../preview.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The whole download may take this long. Slack wants the submission answered within 3 seconds
 * and the answer (the preview, or an error on the file) needs the file; the person's language is
 * looked up meanwhile (800 ms at most), and reading and checking a file of 1 MiB takes well under
 * the rest. Slack serves files from its CDN in a fraction of this.
 */
export const IMPORT_DOWNLOAD_TIMEOUT_MS = 1_500;

/** A name from a file is shown (in the preview's notes and inline errors) at most this long. */
const NAME_SHOWN_MAX = 80;

/** Most left-out contacts named one by one in the preview (the rest are counted). */
const INVALID_LISTED_MAX = 5;

/** The `file_input`'s state: Slack puts each attached file's object in `files`. */
const fileStateSchema = z.object({
  files: z
    .array(
      z
        .object({
          size: z.number().optional(),
          url_private: z.string().optional(),
          url_private_download: z.string().optional(),
        })
        .loose(),
    )
    .optional(),
});

/** A file's contact the card cannot carry as it is, and why. */
type LeftOut = { readonly name: string; readonly reason: string };

function nameOf(contact: ContactInput, index: number, t: Catalogue): string {
  const parts = [contact.firstName, contact.lastName].filter((part) => part?.trim());
  const name = contact.formattedName?.trim() || parts.join(' ') || t.vcf.unnamed(index + 1);
  // Too long a name is one reason a contact is left out: say which without repeating all of it.
  return clip(name, NAME_SHOWN_MAX);
}

/** The file's contacts that pass the card's checks, the first `room` of them, and those left out. */
function checkContacts(
  inputs: readonly ContactInput[],
  room: number,
  locale: Locale,
  defaultCountry: ListenerDeps['config']['defaultCountry'],
): { kept: Contact[]; leftOut: LeftOut[]; unread: number } {
  const t = catalogue(locale);
  const kept: Contact[] = [];
  const leftOut: LeftOut[] = [];
  let index = 0;
  // Stops once the card is full: a large address book is not checked past what can be sent.
  for (; index < inputs.length && kept.length < room; index += 1) {
    const input = inputs[index] ?? {};
    try {
      kept.push(parseContact(input, { defaultCountry }));
    } catch (error) {
      if (!(error instanceof CardInvalidError)) throw error;
      const [issue] = error.issues;
      const reason = issue ? describeCardIssue(issue, locale) : sentenceFor(ErrorCode.CardInvalid)[locale];
      leftOut.push({ name: nameOf(input, index, t), reason });
    }
  }
  return { kept, leftOut, unread: inputs.length - index };
}

/** What a failed download tells the person, in their language. */
function downloadSentence(error: unknown, locale: Locale): string {
  if (error instanceof SlackFileError && error.reason === 'refused') return catalogue(locale).vcf.refused;
  if (error instanceof SlackFileError) return error.sentence[locale];
  return sentenceFor(ErrorCode.FileDownloadFailed)[locale];
}

/**
 * The .vcf import view was submitted: download the file with the bot token (`files:read`), read
 * its contacts, check each, and answer with the preview of the contacts put together before and
 * the file's after them, or with an error on the file. All inside the acknowledgement: Slack
 * gives the file only with the submission, and only the submission's answer can mark a field.
 * More than fit one message: the first that fit are taken, and the preview says so.
 */
export function importSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, context, client }: Args): Promise<void> => {
    const userId = body.user.id;
    const located = deps.locales.localeOf(userId);
    const metadata = decodeMetadata(importMetadataSchema, view.private_metadata);
    const form = readCardForm(view.state.values);
    const state = fileStateSchema.safeParse(view.state.values[BlockId.VcfFile]?.[ActionId.Value]);
    const file = state.success ? state.data.files?.[0] : undefined;
    const url = file ? fileDownloadUrl(file) : undefined;

    const fail = async (blockId: string, sentence: (t: Catalogue, locale: Locale) => string) => {
      const locale = await located;
      await ack({ response_action: 'errors', errors: { [blockId]: sentence(catalogue(locale), locale) } });
    };
    if (!metadata) return fail(BlockId.VcfFile, (t) => t.form.expired);
    // The person first, before anything is fetched; the channel and the numbers once words are known.
    if (!isUserAllowed(deps.config.access, userId)) {
      return fail(BlockId.Recipient, (t) => t.command.notAllowed);
    }
    if (form.recipientCount === 0) return fail(BlockId.Recipient, (t) => t.form.recipientRequired);
    if (!url || !context.botToken) {
      return fail(BlockId.VcfFile, (_t, locale) => sentenceFor(ErrorCode.FileDownloadFailed)[locale]);
    }
    // Slack reports the size: a file over the limit is refused without fetching it.
    if (file?.size !== undefined && file.size > MAX_VCF_BYTES) {
      return fail(BlockId.VcfFile, (_t, locale) => sentenceFor(ErrorCode.FileTooLarge)[locale]);
    }

    const downloaded = downloadSlackFile({
      url,
      token: context.botToken,
      allowedOrigins: slackFileOrigins(deps.config.slack.apiUrl),
      maxBytes: MAX_VCF_BYTES,
      timeoutMs: IMPORT_DOWNLOAD_TIMEOUT_MS,
    }).then(
      (text) => ({ ok: true as const, text }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // Looked up alongside the download: the two together stay within Slack's 3 s.
    const postable = checkChosenChannel(client, metadata.channelId, view.state.values, deps.logger);
    const [locale, download, reachable] = await Promise.all([located, downloaded, postable]);
    const t = catalogue(locale);
    const channel = checkResultChannel(deps.config.access, userId, metadata.channelId, view.state.values, t);
    if (!channel.ok) {
      await ack({ response_action: 'errors', errors: channel.errors });
      return;
    }
    const refused = channelRefusal(reachable, t);
    if (refused) {
      await ack({ response_action: 'errors', errors: refused });
      return;
    }
    const picked = checkRecipients(form, locale);
    if (!picked.ok) return fail(BlockId.Recipient, () => picked.error);
    if (!download.ok) {
      const { error } = download;
      deps.logger.warn(
        error instanceof SlackFileError ? { reason: error.reason, status: error.status } : { err: error },
        'could not download an attached .vcf file',
      );
      return fail(BlockId.VcfFile, () => downloadSentence(error, locale));
    }

    let inputs: ContactInput[];
    let skipped: number;
    try {
      const parsed = parseVcf(download.text);
      inputs = parsed.contacts;
      skipped = parsed.skipped.length;
    } catch (error) {
      if (!(error instanceof VcardError)) throw error;
      deps.logger.info({ reason: error.reason }, 'an attached file gave no contacts');
      return fail(BlockId.VcfFile, () => error.sentence[locale]);
    }

    const earlier = await loadContacts(deps.store, userId, metadata.draftId);
    if (earlier === undefined) return fail(BlockId.VcfFile, () => t.form.expired);
    const room = MAX_CARD_CONTACTS - earlier.length;
    if (room <= 0) return fail(BlockId.VcfFile, () => t.vcf.full(MAX_CARD_CONTACTS));

    const { kept, leftOut, unread } = checkContacts(inputs, room, locale, deps.config.defaultCountry);
    if (kept.length === 0) {
      const details = leftOut
        .slice(0, INVALID_LISTED_MAX)
        .map(({ name, reason }) => `${name}: ${reason}`)
        .join(' ');
      return fail(BlockId.VcfFile, () => t.vcf.noneValid(details));
    }
    const contacts = [...earlier, ...kept];
    const invalid = leftOut.map(({ name, reason }) => t.vcf.invalid(userText(name), userText(reason)));
    const notes = [
      ...(unread > 0 ? [t.vcf.truncated(inputs.length, kept.length, MAX_CARD_CONTACTS)] : []),
      ...(skipped > 0 ? [t.vcf.skipped(skipped)] : []),
      // One note for all of them: a context block holds at most ten.
      ...(invalid.length > 0 ? [invalid.join('\n')] : []),
    ];
    deps.logger.info(
      { contacts: kept.length, leftOut: leftOut.length, skipped, unread },
      'read the contacts of an attached .vcf file',
    );
    let previewed: ModalView;
    try {
      previewed = await buildPreview(deps, {
        locale,
        userId,
        content: {
          channelId: channel.channelId,
          ...(metadata.threadTs === undefined ? {} : { threadTs: metadata.threadTs }),
          recipients: picked.recipients,
          contacts,
        },
        notes,
      });
    } catch (error) {
      // The draft could not be saved: say so on the file rather than let Slack time out.
      deps.logger.error({ err: error }, 'could not save a draft of the preview');
      return fail(BlockId.VcfFile, () => sentenceFor(ErrorCode.Unexpected)[locale]);
    }
    await ack({ response_action: 'update', view: previewed });
  };
}
