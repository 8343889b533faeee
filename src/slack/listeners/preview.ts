/**
 * What every listener that leads to a preview shares: checking the people picked, and building
 * the preview so that Send delivers exactly what it shows. Its content (channel, recipients,
 * contacts) travels in `private_metadata` when it fits, otherwise in a draft (metadata.ts).
 */
import type { ModalView } from '@slack/types';
import {
  type CardIssue,
  CardIssueCode,
  type ContactsMessage,
  contactsMessageSchema,
  describeCardIssue,
  isWhatsAppUserId,
} from '../../card/index.js';
import type { Config } from '../../config.js';
import type { Submission } from '../../delivery/submission.js';
import type { Locale as RequesterLocale } from '../../errors.js';
import type { Logger } from '../../logging.js';
import { isAllowed, isUserAllowed } from '../access.js';
import { cardNameOf } from '../contacts.js';
import { type ConversationsClient, checkPostable, type PostableAnswer } from '../conversations.js';
import { readResultChannel } from '../form.js';
import { type Catalogue, catalogue, type Locale } from '../i18n/index.js';
import { BlockId } from '../ids.js';
import {
  carryPreviewContent,
  channelIdSchema,
  deepFreeze,
  MAX_RECIPIENTS,
  type PreviewContent,
  type Recipient,
} from '../metadata.js';
import { previewView } from '../views/preview.js';
import { windowNote } from '../window-notes.js';
import type { ListenerDeps } from './deps.js';

/** An issue about one of several recipients says which one. */
function recipientProblem(issue: CardIssue, recipient: Recipient, several: boolean, locale: Locale): string {
  const sentence = describeCardIssue(issue, locale);
  return several ? `${recipient.label}: ${sentence}` : sentence;
}

export type ChannelChecked =
  | Readonly<{ ok: true; channelId: string }>
  | Readonly<{ ok: false; errors: Record<string, string> }>;

/**
 * Where the result of a submission goes, if the person may send from there: the command's
 * channel (`fromMetadata`), or on the shortcut's views the channel chosen, else a DM to the
 * sender. Refusals are inline errors: on the recipient field for the person, on the channel
 * picker for a channel outside ALLOWED_CHANNEL_IDS (a DM is never on that list).
 */
export function checkResultChannel(
  access: Config['access'],
  userId: string,
  fromMetadata: string | undefined,
  values: unknown,
  t: Catalogue,
): ChannelChecked {
  if (!isUserAllowed(access, userId))
    return { ok: false, errors: { [BlockId.Recipient]: t.command.notAllowed } };
  const channelId = fromMetadata ?? readResultChannel(values) ?? userId;
  if (channelIdSchema.safeParse(channelId).success && isAllowed(access, userId, channelId))
    return { ok: true, channelId };
  return fromMetadata === undefined
    ? { ok: false, errors: { [BlockId.ResultChannel]: t.form.channelNotAllowed } }
    : { ok: false, errors: { [BlockId.Recipient]: t.command.notAllowed } };
}

/** What a submission may spend looking the chosen channel up, within Slack's 3 s. */
const CHANNEL_CHECK_BUDGET_MS = 1_000;

/**
 * On the shortcut's form, whether the app may post in the channel chosen (see checkPostable).
 * A command's own channel (in the metadata) is not looked up: the command ran there.
 */
export function checkChosenChannel(
  client: ConversationsClient,
  fromMetadata: string | undefined,
  values: unknown,
  logger: Logger,
): Promise<PostableAnswer> {
  const chosen = fromMetadata === undefined ? readResultChannel(values) : undefined;
  if (chosen === undefined) return Promise.resolve('ok');
  return checkPostable(client, chosen, CHANNEL_CHECK_BUDGET_MS, logger);
}

/** The inline error on the picker for a channel the app may not post in, if it may not. */
export function channelRefusal(answer: PostableAnswer, t: Catalogue): Record<string, string> | undefined {
  if (answer === 'external') return { [BlockId.ResultChannel]: t.form.channelExternal };
  if (answer === 'unreachable') return { [BlockId.ResultChannel]: t.form.channelUnreachable };
  return undefined;
}

export type RecipientsChecked =
  | Readonly<{ ok: true; recipients: Recipient[] }>
  | Readonly<{ ok: false; error: string }>;

/**
 * The people picked, each as a WhatsApp id checked and normalised the way the card's own
 * recipient is, once each; or the sentence for the recipient field: none picked, more than
 * `MAX_RECIPIENTS` (only a forged payload), or a number that is not one (named when several).
 */
export function checkRecipients(
  picked: Readonly<{ recipients: readonly Recipient[]; recipientCount: number }>,
  locale: Locale,
): RecipientsChecked {
  const t = catalogue(locale);
  if (picked.recipientCount === 0) return { ok: false, error: t.form.recipientRequired };
  if (picked.recipientCount > MAX_RECIPIENTS)
    return { ok: false, error: t.form.tooManyRecipients(MAX_RECIPIENTS, picked.recipientCount) };
  const several = picked.recipients.length > 1;
  const checked = new Map<string, Recipient>();
  for (const recipient of picked.recipients) {
    // Picker values are Jelou's user ids, sent verbatim: WhatsApp's own forms (521…, a Brazilian
    // id without the ninth digit, a business-scoped id) are not numbers libphonenumber accepts.
    if (!isWhatsAppUserId(recipient.id)) {
      const issue: CardIssue = { path: [], code: CardIssueCode.PhoneInvalid };
      return { ok: false, error: recipientProblem(issue, recipient, several, locale) };
    }
    if (!checked.has(recipient.id)) checked.set(recipient.id, recipient);
  }
  return { ok: true, recipients: [...checked.values()] };
}

export type PreviewOf = Readonly<{
  locale: Locale;
  userId: string;
  content: PreviewContent;
  /** Sentences about how the contacts were read (a .vcf file's left-out cards). mrkdwn, already escaped. */
  notes?: readonly string[] | undefined;
}>;

/**
 * The preview view for `input`; its content saved as a draft of `userId`'s when it is too large to
 * carry. Every way to a preview comes here, so every preview says what is known of the recipients'
 * 24-hour window: from history already read only, since a view submission is answered before
 * Jelou may be called (see {@link warmLastWrites}).
 */
export async function buildPreview(
  deps: Pick<ListenerDeps, 'store' | 'recipients' | 'config'>,
  input: PreviewOf,
): Promise<ModalView> {
  const { content } = input;
  const window = windowNote(
    content.recipients,
    (id) => deps.recipients.lastWriteKnown(id),
    input.locale,
    Date.now(),
  );
  return previewView({
    locale: input.locale,
    recipientLabels: content.recipients.map((recipient) => recipient.label),
    contacts: content.contacts,
    privateMetadata: await carryPreviewContent(deps.store, content, input.userId),
    notes: input.notes,
    window,
    // One customer known to be outside the window: a template now, the card when they answer. Not
    // in a dry run, which sends nothing to Jelou while a template would really go (and cost).
    offerTemplate: window?.state === 'closed' && content.recipients.length === 1 && !deps.config.dryRun,
  });
}

/**
 * The message to each of the preview's recipients, checked as Jelou receives it; `undefined` when
 * one does not pass. Kept per content object: a preview read from the same metadata is the same
 * frozen object (metadata.ts), whose messages are the same every time it is sent.
 */
const checkedMessages = new WeakMap<PreviewContent, readonly ContactsMessage[] | undefined>();

function messagesOf(content: PreviewContent): readonly ContactsMessage[] | undefined {
  if (checkedMessages.has(content)) return checkedMessages.get(content);
  let messages: ContactsMessage[] | undefined = [];
  for (const recipient of content.recipients) {
    const parsed = contactsMessageSchema.safeParse({
      type: 'contacts',
      userId: recipient.id,
      contacts: content.contacts,
    });
    if (!parsed.success) {
      messages = undefined;
      break;
    }
    messages.push(parsed.data);
  }
  if (Object.isFrozen(content)) checkedMessages.set(content, deepFreeze(messages));
  return messages;
}

/**
 * The submission a preview's content makes (Send, or "Send a template first"): one message per
 * recipient, each checked again (the content came back from Slack); `undefined` when one fails.
 * `key` identifies the request: the preview's view and hash, shared by both ways of sending it.
 */
export function previewSubmission(
  content: PreviewContent,
  request: Readonly<{
    key: string;
    teamId: string | undefined;
    requestedBy: string;
    locale: RequesterLocale;
  }>,
): Submission | undefined {
  const messages = messagesOf(content);
  if (!messages) return undefined;
  const labels = new Map(content.recipients.map((recipient) => [recipient.id, recipient.label]));
  return {
    key: request.key,
    teamId: request.teamId,
    requestedBy: request.requestedBy,
    channelId: content.channelId,
    threadTs: content.threadTs,
    cardName: cardNameOf(content.contacts),
    locale: request.locale,
    to: messages.map((message) => ({ message, label: labels.get(message.userId) ?? message.userId })),
  };
}

/**
 * Nobody waits on this read: a form usually stays open for longer. Longer than the picker's budget
 * (which Slack's 3 seconds bound) so a slow Jelou still answers in time for the preview.
 */
const WARM_HISTORY_BUDGET_MS = 8_000;

/**
 * Reads the bot's history in the background, once a form opened with a recipient already in it (a
 * number typed after the command, numbers found in a message): nobody typed in the picker, which
 * would have read it, and the preview may not ask Jelou itself. By the time the person presses
 * Preview, it knows when they last wrote. Call it after `views.open`, never before (the trigger
 * dies in 3 s). Never throws: a failed read only leaves the preview saying "not known".
 */
export function warmLastWrites(deps: Pick<ListenerDeps, 'recipients' | 'logger'>): void {
  void deps.recipients.recentUsers({ query: '', budgetMs: WARM_HISTORY_BUDGET_MS }).then(
    ({ complete }) => {
      if (!complete) deps.logger.info('read part of the bot history ahead of a preview');
    },
    (error: unknown) => {
      deps.logger.warn({ err: error }, 'could not read the bot history ahead of a preview');
    },
  );
}
