/**
 * Where a person sees their sends: `/jelou-card history` (an ephemeral message) and the App Home
 * tab (their sends and the team's counts). Pure functions over stored sends.
 */
import type { HomeView, KnownBlock, SectionBlock } from '@slack/types';
import type { SendRecord, SendStatus, StatusCounts } from '../../store/types.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { strings } from '../strings.js';
import { clip } from './elements.js';

const EMOJI: Readonly<Record<SendStatus, string>> = {
  pending: ':hourglass_flowing_sand:',
  sending: ':hourglass_flowing_sand:',
  sent: ':white_check_mark:',
  failed: ':x:',
  unknown: ':warning:',
};

/** Long names are shortened so one line always fits a section. */
const NAME_MAX = 80;

/** Slack shows the time in each reader's own time zone; the ISO text is the fallback. */
function when(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso}>`;
}

/** One send as a line: what, to whom, when, how it went. */
export function sendLine(send: SendRecord): string {
  const status =
    send.dryRun && send.status === 'sent'
      ? `${strings.history.status.sent} (dry run)`
      : strings.history.status[send.status];
  return strings.history.line(
    EMOJI[send.status],
    escapeMrkdwn(clip(send.cardName, NAME_MAX)),
    escapeMrkdwn(clip(send.recipientLabel, NAME_MAX)),
    when(send.createdAt),
    status,
  );
}

function sendSections(sends: readonly SendRecord[]): SectionBlock[] {
  return sends.map((send) => ({ type: 'section', text: { type: 'mrkdwn', text: sendLine(send) } }));
}

/** The answer to `/jelou-card history`. */
export function historyMessage(sends: readonly SendRecord[]): { text: string; blocks: KnownBlock[] } {
  if (sends.length === 0) return { text: strings.history.empty, blocks: [] };
  return {
    text: strings.history.title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: strings.history.title } },
      ...sendSections(sends),
    ],
  };
}

/** The App Home tab: the team's counts and the person's latest sends. */
export function homeView(sends: readonly SendRecord[], counts: StatusCounts): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: strings.home.title } },
      { type: 'section', text: { type: 'mrkdwn', text: strings.home.intro } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: strings.home.team(
              counts.sent,
              counts.failed,
              counts.unknown,
              counts.pending + counts.sending,
            ),
          },
        ],
      },
      { type: 'divider' },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: sends.length > 0 ? strings.home.yours : strings.history.empty },
      },
      ...sendSections(sends),
    ],
  };
}
