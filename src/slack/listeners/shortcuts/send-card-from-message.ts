import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { findPhoneNumbers } from '../../../card/find-phones.js';
import {
  CardInvalidError,
  type Contact,
  MAX_VCF_BYTES,
  parseContact,
  parseVcf,
  VcardError,
} from '../../../card/index.js';
import { isAllowed } from '../../access.js';
import { slackErrorCode } from '../../api-errors.js';
import { downloadSlackFile, fileDownloadUrl, SlackFileError, slackFileOrigins } from '../../files.js';
import { contactToInput, rowsFor } from '../../form.js';
import { catalogue, type Locale } from '../../i18n/index.js';
import { MAX_CARD_CONTACTS, MAX_RECIPIENTS, type Recipient } from '../../metadata.js';
import { cardFormView, INITIAL_ROWS } from '../../views/card-form.js';
import { messageView } from '../../views/message.js';
import type { ListenerDeps } from '../deps.js';
import { buildPreview, warmLastWrites } from '../preview.js';

type Args = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

/** The file objects a message carries (https://docs.slack.dev/reference/objects/file-object). */
const messageFilesSchema = z
  .array(
    z
      .object({
        name: z.string().optional(),
        filetype: z.string().optional(),
        mimetype: z.string().optional(),
        size: z.number().optional(),
        url_private: z.string().optional(),
        url_private_download: z.string().optional(),
      })
      .loose(),
  )
  .optional()
  .catch(undefined);
type MessageFile = NonNullable<z.infer<typeof messageFilesSchema>>[number];

function isVcf(file: MessageFile): boolean {
  return (
    /\.vcf$/iu.test(file.name ?? '') ||
    file.filetype === 'vcard' ||
    /^text\/(x-)?vcard$/iu.test(file.mimetype ?? '')
  );
}

/**
 * A message can take this long to give its .vcf file: the form is already open (the trigger id
 * is spent), so this only bounds how long the person looks at the form before the card appears.
 */
const MESSAGE_VCF_TIMEOUT_MS = 5_000;

/** The valid contacts of the message's .vcf file (at most a card's worth), or none. */
async function contactsOfFile(deps: ListenerDeps, file: MessageFile, token: string): Promise<Contact[]> {
  const url = fileDownloadUrl(file);
  if (url === undefined || (file.size !== undefined && file.size > MAX_VCF_BYTES)) return [];
  try {
    const text = await downloadSlackFile({
      url,
      token,
      allowedOrigins: slackFileOrigins(deps.config.slack.apiUrl),
      maxBytes: MAX_VCF_BYTES,
      timeoutMs: MESSAGE_VCF_TIMEOUT_MS,
    });
    const kept: Contact[] = [];
    for (const input of parseVcf(text).contacts) {
      if (kept.length >= MAX_CARD_CONTACTS) break;
      try {
        kept.push(parseContact(input, { defaultCountry: deps.config.defaultCountry }));
      } catch (error) {
        if (!(error instanceof CardInvalidError)) throw error;
      }
    }
    return kept;
  } catch (error) {
    if (!(error instanceof SlackFileError || error instanceof VcardError)) throw error;
    deps.logger.warn({ code: error.code }, "could not read the message's .vcf file");
    return [];
  }
}

/** The view that replaces the form once the message's .vcf file was read. */
async function viewWithFile(
  deps: ListenerDeps,
  input: Readonly<{ locale: Locale; userId: string; channelId: string; threadTs: string }>,
  recipients: readonly Recipient[],
  contacts: readonly Contact[],
): Promise<ModalView> {
  const { locale, channelId, threadTs } = input;
  const t = catalogue(locale);
  const [first] = contacts;
  if (!first) {
    return cardFormView({
      locale,
      channelId,
      threadTs,
      rows: INITIAL_ROWS,
      contact: {},
      recipients: [...recipients],
      hint: t.messageShortcut.vcfUnreadable,
    });
  }
  // With someone to send to, the file's card is shown as it would be sent; otherwise the form,
  // filled with it, waits for the recipient.
  if (recipients.length > 0) {
    return buildPreview(deps, {
      locale,
      userId: input.userId,
      content: { channelId, threadTs, recipients: [...recipients], contacts: [...contacts] },
    });
  }
  const contact = contactToInput(first);
  return cardFormView({
    locale,
    channelId,
    threadTs,
    rows: rowsFor(contact),
    contact,
    hint: t.messageShortcut.vcfLoaded,
  });
}

/**
 * The message shortcut "Send contact card": the form, from any message, with every phone number
 * in the message offered as a recipient and the result posted in the message's thread. A .vcf
 * file in the message is read after the form opens (the trigger id lasts 3 seconds) and replaces
 * it: with the card's preview when the message also named someone to send it to.
 */
export function sendCardFromMessage(deps: ListenerDeps) {
  return async ({ shortcut, ack, client, context }: Args): Promise<void> => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const userId = shortcut.user.id;
    const locale = await deps.locales.localeOf(userId);
    const t = catalogue(locale);
    const channelId = shortcut.channel.id;
    const { message } = shortcut;
    // A reply's result joins its thread; a message's result starts one under it.
    const threadTs = typeof message.thread_ts === 'string' ? message.thread_ts : message.ts;
    if (!isAllowed(deps.config.access, userId, channelId)) {
      deps.logger.info('refused the message shortcut: not on the allowed list');
      await client.views
        .open({ trigger_id: shortcut.trigger_id, view: messageView(t.command.notAllowed, locale) })
        .catch((error: unknown) =>
          deps.logger.warn({ slackError: slackErrorCode(error) }, 'could not open the refusal'),
        );
      return;
    }
    const recipients: Recipient[] = findPhoneNumbers(
      message.text ?? '',
      deps.config.defaultCountry,
      MAX_RECIPIENTS,
    ).map((phone) => ({ id: phone.digits, label: phone.international }));
    const file = messageFilesSchema.parse(message.files)?.find(isVcf);
    const hint = file
      ? t.messageShortcut.loadingVcf
      : recipients.length === 0
        ? t.messageShortcut.noNumbers
        : undefined;
    let opened: { id: string; hash: string } | undefined;
    try {
      const answer = await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: cardFormView({
          locale,
          channelId,
          threadTs,
          rows: INITIAL_ROWS,
          contact: {},
          recipients,
          hint,
        }),
      });
      opened =
        answer.view?.id && answer.view.hash ? { id: answer.view.id, hash: answer.view.hash } : undefined;
    } catch (error) {
      deps.logger.warn({ err: error, slackError: slackErrorCode(error) }, 'could not open the form');
      return;
    }
    if (recipients.length > 0) warmLastWrites(deps);
    if (!file || !opened || !context.botToken) return;
    try {
      const contacts = await contactsOfFile(deps, file, context.botToken);
      const view = await viewWithFile(deps, { locale, userId, channelId, threadTs }, recipients, contacts);
      // The hash: a person who already typed into the form keeps what they typed (hash_conflict).
      await client.views.update({ view_id: opened.id, hash: opened.hash, view });
    } catch (error) {
      // The form stays open as it was: the person can still fill it in or attach the file there.
      deps.logger.warn(
        { err: error, slackError: slackErrorCode(error) },
        "did not show the message's .vcf card",
      );
    }
  };
}
