/**
 * What the preview says about WhatsApp's 24-hour window for each recipient, before Send (issue
 * 15): when the customer last wrote, from the bot's history the picker already read. A closed
 * window is not a hard block (the history may be incomplete), so Send stays possible; after Send,
 * Jelou's refusal offers a template.
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

/** Notes (mrkdwn, escaped) for the preview's context; one recipient gets one either way. */
export function windowNotes(
  recipients: readonly { id: string; label: string }[],
  lastWrite: (id: string) => LastWrite,
  locale: Locale,
  nowMs: number,
): string[] {
  const t = catalogue(locale).preview;
  const [only] = recipients;
  if (recipients.length === 1 && only) {
    const last = lastWrite(only.id);
    if (last.kind === 'unknown' || last.at === undefined) return [t.windowUnknown(who(only.label))];
    return nowMs - last.at.getTime() >= WHATSAPP_WINDOW_MS
      ? [t.windowClosed(who(only.label), ago(last.at))]
      : [t.windowOpen(who(only.label), ago(last.at))];
  }
  const closed = recipients.filter((recipient) => {
    const last = lastWrite(recipient.id);
    return last.kind === 'seen' && last.at !== undefined && nowMs - last.at.getTime() >= WHATSAPP_WINDOW_MS;
  });
  return closed.length > 0 ? [t.windowClosedMany(closed.map((r) => who(r.label)).join(', '))] : [];
}
