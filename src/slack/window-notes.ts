/**
 * What the preview says about WhatsApp's 24-hour window for each recipient, before Send (issue
 * 15): when the customer last wrote, from the bot's history already read (by the picker, or in
 * the background once a form opened with a recipient in it): the preview answers Slack within its
 * 3 seconds and never waits on Jelou. A closed window is not a hard block (the history may be
 * incomplete), so Send stays possible.
 */
import { WHATSAPP_WINDOW_MS } from '../jelou/recipients.js';
import { catalogue, type Locale } from './i18n/index.js';
import { userText } from './mrkdwn.js';
import { labelName } from './recipients.js';
import { clip } from './views/elements.js';

type LastWrite = { readonly kind: 'seen'; readonly at?: Date } | { readonly kind: 'unknown' };

/** "3 days ago", in each reader's words (Slack's `{ago}` date token); the ISO time is the fallback. */
function ago(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{ago}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

/** Who, as the picker named them ("María López · +593 …" → "María López"). */
function who(label: string): string {
  return userText(clip(labelName(label), 80));
}

/** What the preview can say about the window: open, closed, or not known. */
export type WindowState = 'open' | 'closed' | 'unknown';

/** The preview's note on the window: its state (the block id shows it) and the sentence (mrkdwn, escaped). */
export type WindowNote = Readonly<{ state: WindowState; text: string }>;

/**
 * The note for the preview's recipients: one recipient gets one either way; several get one only
 * when some of them are known to be outside the window (naming those).
 */
export function windowNote(
  recipients: readonly { id: string; label: string }[],
  lastWrite: (id: string) => LastWrite,
  locale: Locale,
  nowMs: number,
): WindowNote | undefined {
  const t = catalogue(locale).preview;
  const [only] = recipients;
  if (recipients.length === 1 && only) {
    const last = lastWrite(only.id);
    if (last.kind === 'unknown' || last.at === undefined)
      return { state: 'unknown', text: t.windowUnknown(who(only.label)) };
    return nowMs - last.at.getTime() >= WHATSAPP_WINDOW_MS
      ? { state: 'closed', text: t.windowClosed(who(only.label), ago(last.at)) }
      : { state: 'open', text: t.windowOpen(who(only.label), ago(last.at)) };
  }
  const closed = recipients.filter((recipient) => {
    const last = lastWrite(recipient.id);
    return last.kind === 'seen' && last.at !== undefined && nowMs - last.at.getTime() >= WHATSAPP_WINDOW_MS;
  });
  return closed.length > 0
    ? { state: 'closed', text: t.windowClosedMany(closed.map((r) => who(r.label)).join(', ')) }
    : undefined;
}
