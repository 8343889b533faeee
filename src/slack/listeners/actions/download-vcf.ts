import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { contactsMessageSchema, toVcf } from '../../../card/index.js';
import { sendRefusal } from '../../access.js';
import { slackErrorCode } from '../../api-errors.js';
import { uploadVcf } from '../../files.js';
import { type Catalogue, catalogue } from '../../i18n/index.js';
import type { ListenerDeps } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

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
  return async ({ ack, body, action, respond, client }: Args): Promise<void> => {
    await ack();
    const sendId = action.value ?? '';
    const userId = body.user.id;
    const t = catalogue(await deps.locales.localeOf(userId));
    const tell = async (sentence: (t: Catalogue) => string) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text: sentence(t) });
    };
    const send = await deps.store.get(sendId);
    if (!send) return tell((words) => words.download.notFound);
    const { access } = deps.config;
    const refusal = sendRefusal(access, userId, send);
    if (refusal) {
      deps.logger.info({ sendId }, 'refused a .vcf download: not the requester or not allowed');
      return tell((words) =>
        refusal === 'not_allowed' ? words.command.notAllowed : words.download.notYours,
      );
    }
    let content: string;
    try {
      content = toVcf(contactsMessageSchema.parse(JSON.parse(send.body)).contacts);
    } catch (error) {
      // Every stored body passed this schema before it was stored: one that fails now is a bug.
      deps.logger.error({ err: error, sendId }, 'a stored send body is not a contacts message');
      return tell((words) => words.download.failed);
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
      await tell((words) => words.download.failed);
    }
  };
}
