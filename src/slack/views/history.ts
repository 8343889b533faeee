/**
 * Where a person sees their sends: `/jelou-card history` (an ephemeral message) and the App Home
 * tab (their sends and the team's counts). Pure functions over stored sends, in the language of
 * the person looking (not of whoever made each send).
 */
import type { HomeView, KnownBlock, SectionBlock } from '@slack/types';
import type { SendRecord, SendStatus, StatusCounts } from '../../store/types.js';
import { catalogue, type Locale } from '../i18n/index.js';
import { userText } from '../mrkdwn.js';
import { clip } from './elements.js';

/** The emoji of each state, in history lines and a batch's notification. */
export const STATUS_EMOJI: Readonly<Record<SendStatus, string>> = {
  pending: ':hourglass_flowing_sand:',
  sending: ':hourglass_flowing_sand:',
  sent: ':white_check_mark:',
  failed: ':x:',
  unknown: ':warning:',
  awaiting_reply: ':speech_balloon:',
};

/** Long names are shortened so one line always fits a section. */
const NAME_MAX = 80;

/** Slack shows the time in each reader's own time zone; the ISO text is the fallback. */
function when(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso}>`;
}

/** How a send went, in a few words: "sent", "not sent", "sent (dry run)"… */
export function statusWords(send: SendRecord, locale: Locale): string {
  const { history } = catalogue(locale);
  if (send.dryRun && send.status === 'sent') return history.dryRunStatus;
  // The furthest receipt says more than "sent": delivered to the phone, read, answered.
  if (send.status === 'sent' && send.receipt) return history.receipt[send.receipt];
  return history.status[send.status];
}

/** One send as a line: what, to whom, when, how it went. */
export function sendLine(send: SendRecord, locale: Locale): string {
  const { history } = catalogue(locale);
  const status = statusWords(send, locale);
  return history.line(
    STATUS_EMOJI[send.status],
    userText(clip(send.cardName, NAME_MAX)),
    userText(clip(send.recipientLabel, NAME_MAX)),
    when(send.createdAt),
    status,
  );
}

function sendSections(sends: readonly SendRecord[], locale: Locale): SectionBlock[] {
  return sends.map((send) => ({ type: 'section', text: { type: 'mrkdwn', text: sendLine(send, locale) } }));
}

/** The answer to `/jelou-card history`. */
export function historyMessage(
  sends: readonly SendRecord[],
  locale: Locale,
): { text: string; blocks: KnownBlock[] } {
  const { history } = catalogue(locale);
  if (sends.length === 0) return { text: history.empty, blocks: [] };
  return {
    text: history.title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: history.title } },
      ...sendSections(sends, locale),
    ],
  };
}

/** The App Home tab: the team's counts and the person's latest sends. */
export function homeView(sends: readonly SendRecord[], counts: StatusCounts, locale: Locale): HomeView {
  const { home, history } = catalogue(locale);
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: home.title } },
      { type: 'section', text: { type: 'mrkdwn', text: home.intro } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: home.team(
              counts.sent,
              counts.failed,
              counts.unknown,
              counts.pending + counts.sending + counts.awaiting_reply,
            ),
          },
        ],
      },
      { type: 'divider' },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: sends.length > 0 ? home.yours : history.empty },
      },
      ...sendSections(sends, locale),
    ],
  };
}
