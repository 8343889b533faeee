/**
 * A message shortcut as Slack sends it (`message_action`,
 * https://docs.slack.dev/interactivity/implementing-shortcuts#messages): the message it was
 * started from, its channel, and a fresh trigger id.
 */
import { MessageShortcut } from '../../src/slack/ids.js';
import { ALICE, CHANNEL, type SlackUser } from './slack-payloads.js';
import type { StandInFile } from './slack-standin.js';

export type ShortcutMessage = Readonly<{
  ts: string;
  text: string;
  threadTs?: string;
  files?: StandInFile[];
}>;

let triggers = 0;

export function messageShortcut(message: ShortcutMessage, user: SlackUser = ALICE, channel = CHANNEL) {
  triggers += 1;
  return {
    type: 'message_action',
    callback_id: MessageShortcut.SendCard,
    trigger_id: `msg-trigger-${triggers}`,
    message_ts: message.ts,
    response_url: '',
    action_ts: '1700000100.000001',
    token: 'legacy-verification-token',
    team: { id: user.teamId, domain: 'standin' },
    user: { id: user.id, name: user.id.toLowerCase(), team_id: user.teamId },
    channel: { id: channel, name: 'support' },
    message: {
      type: 'message',
      user: 'U0CUSTOMERAGENT',
      ts: message.ts,
      text: message.text,
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
      ...(message.files === undefined
        ? {}
        : { files: message.files.map((file) => ({ ...file, filetype: 'vcard' })) }),
    },
    is_enterprise_install: false,
  };
}
