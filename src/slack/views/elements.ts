/**
 * Small Block Kit building blocks shared by the views, and the one way text is shortened for
 * Slack's limits.
 */
import type { PlainTextElement, PlainTextOption } from '@slack/types';

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

/** Slack cuts option text at 75 characters and values at 150. */
export const OPTION_TEXT_MAX = 75;
export const OPTION_VALUE_MAX = 150;

export function option(text: string, value: string): PlainTextOption {
  return { text: plain(clip(text, OPTION_TEXT_MAX)), value };
}

/**
 * `text` shortened to at most `max` UTF-16 units (the stricter of the ways Slack may count) with a
 * trailing '…', cutting only between whole characters so an emoji is never split in two.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const character of text) {
    if (kept.length + character.length > max - 1) break;
    kept += character;
  }
  return `${kept}…`;
}
