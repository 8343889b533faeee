/**
 * The message that tells the channel how a send went. Posted as "sending…" and then updated in
 * place as the send finishes. Every text that came from a person or an API is escaped. It speaks
 * the requester's language, stored with the send, whoever or whatever updates it later.
 *
 * A batch (one card to several people) has one message for all its sends: a headline with the
 * counts, then one line per person with how their send went and, where it failed or may not have
 * arrived, that send's own Retry or "Send again anyway" button; under a line the 24-hour window
 * refused, that send's own "Send a template first".
 */
import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { SendRecord } from '../../store/types.js';
import { catalogue } from '../i18n/index.js';
import { ActionId, BlockId, batchLineBlockId, batchTemplateBlockId } from '../ids.js';
import { userText } from '../mrkdwn.js';
import { labelName } from '../recipients.js';
import { clip, plain } from './elements.js';
import { STATUS_EMOJI, statusWords } from './history.js';

/** Jelou's message ids and reasons have no documented length; a context element holds 3000 characters. */
const EXTERNAL_TEXT_MAX = 500;

const external = (text: string) => userText(clip(text, EXTERNAL_TEXT_MAX));

export type NotificationMessage = Readonly<{ text: string; blocks: KnownBlock[] }>;

/** A Slack user mention; ids are checked so a forged id cannot smuggle mrkdwn in. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : userText(userId);
}

function headline(send: SendRecord): string {
  const args = [userText(send.recipientLabel), userText(send.cardName), mention(send.requestedBy)] as const;
  const n = catalogue(send.locale).notification;
  switch (send.status) {
    case 'pending':
    case 'sending':
      return n.sending(...args);
    case 'sent':
      if (send.dryRun) return n.sentDryRun(...args);
      return send.repliedAt ? n.sentAfterReply(...args) : n.sent(...args);
    case 'awaiting_reply':
      return n.awaiting(...args);
    case 'failed':
      return n.failed(...args);
    case 'unknown':
      return n.unknown(...args);
  }
}

/** A send waiting out a Jelou outage: it is pending, with a time for its next attempt. */
function isWaiting(send: SendRecord): send is SendRecord & { nextAttemptAt: string } {
  return send.status === 'pending' && send.nextAttemptAt !== undefined;
}

/**
 * "trying again at 14:32", in each reader's own time zone (Slack's date token); the UTC time is
 * the fallback where a client cannot render it.
 * https://docs.slack.dev/messaging/formatting-message-text#date-formatting
 */
function attemptTime(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{time}|${iso.slice(11, 16)} UTC>`;
}

/** A date and time in each reader's own time zone, e.g. for when a wait for a reply ends. */
function dateTime(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso.slice(0, 16).replace('T', ' ')} UTC>`;
}

/**
 * WhatsApp's 24-hour window refused the card (Jelou's refusal, explained by the bot's history),
 * or the template sent ahead of it came to nothing: a template is the way through.
 */
export const TEMPLATE_WORTHY_CODES: ReadonlySet<string> = new Set([
  'outside_24h_window',
  'template_refused',
  'reply_never_came',
  'reply_wait_cancelled',
]);

function templateWorthy(send: SendRecord): boolean {
  return send.status === 'failed' && !send.dryRun && TEMPLATE_WORTHY_CODES.has(send.errorCode ?? '');
}

/** The template's progress while the card waits behind it. */
function awaitingLines(send: SendRecord): string[] {
  const n = catalogue(send.locale).notification;
  const wait = send.awaiting;
  if (send.status !== 'awaiting_reply' || !wait) return [];
  const template = userText(clip(wait.template, EXTERNAL_TEXT_MAX));
  const lines = [
    wait.templateMessageId !== undefined
      ? n.templateSent(
          template,
          attemptTime(wait.since),
          userText(clip(labelName(send.recipientLabel), EXTERNAL_TEXT_MAX)),
        )
      : send.errorCode !== undefined
        ? n.templateUncertain(template)
        : n.templateSending(template),
    n.awaitUntil(dateTime(wait.until)),
  ];
  return lines;
}

function details(send: SendRecord): string[] {
  const n = catalogue(send.locale).notification;
  const lines: string[] = [...awaitingLines(send)];
  if (isWaiting(send)) {
    lines.push(n.waiting(attemptTime(send.nextAttemptAt)));
    if (send.reason) lines.push(n.reason(external(send.reason[send.locale])));
  }
  if (send.status === 'sent' && send.receipt && !send.dryRun) lines.push(n.receipt(n.receipts[send.receipt]));
  if (send.status === 'sent' && send.messageId) lines.push(n.messageId(external(send.messageId)));
  if ((send.status === 'failed' || send.status === 'unknown') && send.reason) {
    lines.push(n.reason(external(send.reason[send.locale])));
  }
  if (send.status === 'unknown') lines.push(n.unknownAdvice);
  if (templateWorthy(send) && send.errorCode === 'outside_24h_window') lines.push(n.windowClosed);
  if (send.attempts > 1) lines.push(n.attempt(send.attempts));
  return lines;
}

/** "Send a template first" on a card the 24-hour window keeps out, carrying the send's id. */
function templateButton(send: SendRecord): Button | undefined {
  if (!templateWorthy(send)) return undefined;
  return {
    type: 'button',
    action_id: ActionId.SendTemplate,
    text: plain(catalogue(send.locale).buttons.sendTemplate),
    value: send.id,
  };
}

/**
 * Retry (failed), "Send again anyway" (unknown) or Cancel (waiting out an outage), carrying the
 * send's id; none in any other state.
 */
function retryElement(send: SendRecord): Button | undefined {
  if (isWaiting(send) || send.status === 'awaiting_reply') {
    return {
      type: 'button',
      action_id: ActionId.CancelWaitingSend,
      text: plain(catalogue(send.locale).buttons.cancel),
      value: send.id,
    };
  }
  if (send.status !== 'failed' && send.status !== 'unknown') return undefined;
  const failed = send.status === 'failed';
  const { buttons } = catalogue(send.locale);
  return {
    type: 'button',
    action_id: failed ? ActionId.Retry : ActionId.SendAgainAnyway,
    text: plain(failed ? buttons.retry : buttons.sendAgainAnyway),
    value: send.id,
    ...(failed ? { style: 'primary' as const } : {}),
  };
}

/**
 * "Download .vcf" once the send has finished: the card as a file to keep or forward. Not for a
 * dry run, which only tries the setup out.
 */
function downloadButton(send: SendRecord): Button | undefined {
  const finished = send.status === 'sent' || send.status === 'failed' || send.status === 'unknown';
  if (!finished || send.dryRun) return undefined;
  return {
    type: 'button',
    action_id: ActionId.DownloadVcf,
    text: plain(catalogue(send.locale).buttons.downloadVcf),
    value: send.id,
  };
}

function actionsBlock(send: SendRecord): ActionsBlock | undefined {
  const elements = [retryElement(send), templateButton(send), downloadButton(send)].filter(
    (button): button is Button => button !== undefined,
  );
  return elements.length > 0
    ? { type: 'actions', block_id: BlockId.NotificationActions, elements }
    : undefined;
}

/**
 * In a batch's lines Jelou's texts and the labels are cut shorter than in a single send's message:
 * escaped (up to five times longer), a line stays far below a section's 3,000 characters, and
 * twenty of them make a message Slack shows whole.
 */
const BATCH_LABEL_MAX = 100;
const BATCH_MESSAGE_ID_MAX = 100;
const BATCH_REASON_MAX = 300;

/**
 * One person's line in a batch: who, how it went, and Jelou's message id, the reason, or where the
 * template its card waits behind stands.
 */
function batchLine(send: SendRecord): string {
  const n = catalogue(send.locale).notification;
  const parts = [
    `${STATUS_EMOJI[send.status]} ${userText(clip(send.recipientLabel, BATCH_LABEL_MAX))}`,
    statusWords(send, send.locale),
  ];
  if (send.status === 'sent' && send.messageId)
    parts.push(n.messageId(userText(clip(send.messageId, BATCH_MESSAGE_ID_MAX))));
  if (isWaiting(send)) parts.push(n.waiting(attemptTime(send.nextAttemptAt)));
  // The template's progress only: when the wait ends is said once the card is back on its own.
  const [template] = awaitingLines(send);
  if (template) parts.push(template);
  if ((send.status === 'failed' || send.status === 'unknown') && send.reason)
    parts.push(n.reason(userText(clip(send.reason[send.locale], BATCH_REASON_MAX))));
  if (send.attempts > 1) parts.push(n.attempt(send.attempts));
  return parts.join(' · ');
}

function batchEmoji(counts: Readonly<Record<'sent' | 'failed' | 'unknown' | 'inProgress', number>>): string {
  if (counts.inProgress > 0) return STATUS_EMOJI.sending;
  if (counts.failed > 0) return STATUS_EMOJI.failed;
  if (counts.unknown > 0) return STATUS_EMOJI.unknown;
  return STATUS_EMOJI.sent;
}

/** The summary of a batch's sends (all made by one person, in one language, of one card). */
function batchMessage(first: SendRecord, sends: readonly SendRecord[]): NotificationMessage {
  const n = catalogue(first.locale).notification;
  const count = (...statuses: SendRecord['status'][]) =>
    sends.filter((send) => statuses.includes(send.status)).length;
  const counts = {
    sent: count('sent'),
    failed: count('failed'),
    unknown: count('unknown'),
    inProgress: count('pending', 'sending', 'awaiting_reply'),
  };
  const text = [
    n.batch(batchEmoji(counts), userText(first.cardName), sends.length, mention(first.requestedBy)),
    n.batchCounts(counts.sent, counts.failed, counts.unknown, counts.inProgress),
  ].join('\n');
  const notes = [
    ...(sends.some((send) => send.dryRun) ? [n.batchDryRun] : []),
    ...(counts.unknown > 0 ? [n.unknownAdvice] : []),
  ];
  // Twenty lines, each with a template button at most, stay within Slack's 50 blocks a message.
  const lines = sends.flatMap((send, index): KnownBlock[] => {
    const button = retryElement(send);
    const template = templateButton(send);
    return [
      {
        type: 'section',
        block_id: batchLineBlockId(index),
        text: { type: 'mrkdwn', text: batchLine(send) },
        ...(button ? { accessory: button } : {}),
      },
      ...(template
        ? [{ type: 'actions' as const, block_id: batchTemplateBlockId(index), elements: [template] }]
        : []),
    ];
  });
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (notes.length > 0)
    blocks.push({ type: 'context', elements: notes.map((note) => ({ type: 'mrkdwn', text: note })) });
  blocks.push(...lines);
  // Every send of a batch carries the same card: one download for all, once any has finished.
  const download = sends.map(downloadButton).find((button) => button !== undefined);
  if (download) blocks.push({ type: 'actions', block_id: BlockId.NotificationActions, elements: [download] });
  return { text, blocks };
}

/**
 * The notification for a send in its current state. For a send in a batch, pass the batch's sends
 * (`SendStore.batch`): the message then summarises them all, whichever of them changed.
 */
export function notificationMessage(
  send: SendRecord,
  batch: readonly SendRecord[] = [],
): NotificationMessage {
  if (send.batchId !== undefined && batch.length > 0) return batchMessage(batch[0] ?? send, batch);
  const text = headline(send);
  const section: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text } };
  const lines = details(send);
  const context: ContextBlock | undefined =
    lines.length > 0
      ? { type: 'context', elements: lines.map((line) => ({ type: 'mrkdwn', text: line })) }
      : undefined;
  const candidates: (KnownBlock | undefined)[] = [section, context, actionsBlock(send)];
  const blocks = candidates.filter((block): block is KnownBlock => block !== undefined);
  return { text, blocks };
}

/** The notification sent as a DM when the channel could not be used, saying why it came here. */
export function directNotificationMessage(
  send: SendRecord,
  batch: readonly SendRecord[] = [],
): NotificationMessage {
  const message = notificationMessage(send, batch);
  const preface = catalogue(send.locale).notification.fallbackDm(`<#${send.channelId}>`);
  return {
    text: `${preface}\n${message.text}`,
    blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: preface }] }, ...message.blocks],
  };
}
