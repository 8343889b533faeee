/**
 * The message that tells the channel how a send went. Posted as "sending…" and then updated in
 * place as the send finishes. Every text that came from a person or an API is escaped. It speaks
 * the requester's language, stored with the send, whoever or whatever updates it later.
 */
import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { SendRecord } from '../../store/types.js';
import { catalogue } from '../i18n/index.js';
import { ActionId, BlockId } from '../ids.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { clip, plain } from './elements.js';

/** Jelou's message ids and reasons have no documented length; a context element holds 3000 characters. */
const EXTERNAL_TEXT_MAX = 500;

const external = (text: string) => escapeMrkdwn(clip(text, EXTERNAL_TEXT_MAX));

export type NotificationMessage = Readonly<{ text: string; blocks: KnownBlock[] }>;

/** A Slack user mention; ids are checked so a forged id cannot smuggle mrkdwn in. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

function headline(send: SendRecord): string {
  const args = [
    escapeMrkdwn(send.recipientLabel),
    escapeMrkdwn(send.cardName),
    mention(send.requestedBy),
  ] as const;
  const n = catalogue(send.locale).notification;
  switch (send.status) {
    case 'pending':
    case 'sending':
      return n.sending(...args);
    case 'sent':
      return send.dryRun ? n.sentDryRun(...args) : n.sent(...args);
    case 'failed':
      return n.failed(...args);
    case 'unknown':
      return n.unknown(...args);
  }
}

function details(send: SendRecord): string[] {
  const n = catalogue(send.locale).notification;
  const lines: string[] = [];
  if (send.status === 'sent' && send.messageId) lines.push(n.messageId(external(send.messageId)));
  if ((send.status === 'failed' || send.status === 'unknown') && send.reason) {
    lines.push(n.reason(external(send.reason[send.locale])));
  }
  if (send.status === 'unknown') lines.push(n.unknownAdvice);
  if (send.attempts > 1) lines.push(n.attempt(send.attempts));
  return lines;
}

function retryButton(send: SendRecord): Button | undefined {
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
  const elements = [retryButton(send), downloadButton(send)].filter(
    (button): button is Button => button !== undefined,
  );
  return elements.length > 0
    ? { type: 'actions', block_id: BlockId.NotificationActions, elements }
    : undefined;
}

/** The notification for a send in its current state. */
export function notificationMessage(send: SendRecord): NotificationMessage {
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
export function directNotificationMessage(send: SendRecord): NotificationMessage {
  const message = notificationMessage(send);
  const preface = catalogue(send.locale).notification.fallbackDm(`<#${send.channelId}>`);
  return {
    text: `${preface}\n${message.text}`,
    blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: preface }] }, ...message.blocks],
  };
}
