import { contactsMessageSchema, toVcf } from '../../../card/index.js';
import { slackErrorCode } from '../../api-errors.js';
import { uploadVcf } from '../../files.js';
import type { ListenerDeps } from '../deps.js';
import { sendButton } from './send-button.js';

/** Characters no file system (nor Slack's download) is happy with in a file name. */
const UNSAFE_IN_FILE_NAMES = /[\\/:*?"<>|\p{Cc}]+/gu;

/** `Juan Pérez +2.vcf`: the card's name, made safe for a file name and kept short. */
export function vcfFileName(cardName: string): string {
  const safe = cardName.replace(UNSAFE_IN_FILE_NAMES, ' ').replace(/\s+/gu, ' ').trim();
  const short = [...safe].slice(0, 80).join('').trim();
  return `${short || 'contact'}.vcf`;
}

/**
 * "Download .vcf" on a send's notification: the card that was sent (its stored body, so exactly
 * what went to Jelou) as a vCard 3.0 file, in a DM from the app to the person who clicked. Never
 * in the channel's thread: the card holds the contact's numbers and addresses, which the
 * notification does not show, so only the people who may retry a send may have it, and a
 * thread would show it to everyone in the channel.
 */
export function downloadVcf(deps: ListenerDeps) {
  return sendButton(
    deps,
    { what: '.vcf download', notFound: (t) => t.download.notFound, notYours: (t) => t.download.notYours },
    async ({ send, userId, client, words, tell }) => {
      const sendId = send.id;
      const t = await words();
      let content: string;
      try {
        content = toVcf(contactsMessageSchema.parse(JSON.parse(send.body)).contacts);
      } catch (error) {
        // Every stored body passed this schema before it was stored: one that fails now is a bug.
        deps.logger.error({ err: error, sendId }, 'a stored send body is not a contacts message');
        return tell((said) => said.download.failed);
      }
      const file = {
        filename: vcfFileName(send.cardName),
        content,
        title: t.download.fileTitle(send.cardName),
      };

      try {
        const opened = await client.conversations.open({ users: userId });
        const dm = opened.channel?.id;
        if (!dm) throw new Error('conversations.open gave no channel');
        await uploadVcf(client, { ...file, channelId: dm });
        deps.logger.info({ sendId }, 'sent the card as a .vcf file by DM');
      } catch (error) {
        const cause = error instanceof Error ? error.cause : undefined;
        deps.logger.error({ err: error, slackError: slackErrorCode(cause), sendId }, 'could not DM a .vcf');
        await tell((said) => said.download.failed);
      }
    },
  );
}
