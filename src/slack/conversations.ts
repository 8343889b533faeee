/**
 * Whether the app may post a result in a conversation chosen on the shortcut's form. Slack's
 * conversations_select lists what the *person* can see, so the choice is checked with
 * `conversations.info` before the preview: a Slack Connect channel (shared with another
 * organisation) would show a customer's name and number to outsiders, and a private channel the
 * app is not in would refuse the result (api.slack.com/methods/conversations.info).
 */
import { z } from 'zod';
import type { Logger } from '../logging.js';
import { isChannelNotFound, slackErrorCode } from './api-errors.js';

export type PostableAnswer = 'ok' | 'external' | 'unreachable';

export type ConversationsClient = Readonly<{
  conversations: { info(args: { channel: string }): Promise<unknown> };
}>;

const infoSchema = z
  .object({
    channel: z
      .object({
        is_ext_shared: z.boolean().optional(),
        is_archived: z.boolean().optional(),
      })
      .loose(),
  })
  .loose();

/**
 * Answers within `budgetMs` (the submission must be acknowledged within Slack's 3 s). A look-up
 * that fails in another way or runs out of time lets the choice through: the picker already
 * leaves Slack Connect channels out, and a result that cannot be posted goes by DM.
 */
export async function checkPostable(
  client: ConversationsClient,
  channel: string,
  budgetMs: number,
  logger: Logger,
): Promise<PostableAnswer> {
  // A DM (to the person) or a user id: never shared, and the app can always write there.
  if (!/^[CG]/u.test(channel)) return 'ok';
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
  });
  try {
    const answer = await Promise.race([client.conversations.info({ channel }), late]);
    if (answer === 'late') {
      logger.warn({ budgetMs }, 'conversations.info did not answer in time; accepting the channel');
      return 'ok';
    }
    const info = infoSchema.safeParse(answer);
    if (!info.success) return 'ok';
    if (info.data.channel.is_ext_shared === true) return 'external';
    return info.data.channel.is_archived === true ? 'unreachable' : 'ok';
  } catch (error) {
    // A private channel the app is not in is, to the app, a channel that does not exist.
    if (isChannelNotFound(error)) return 'unreachable';
    logger.warn(
      { slackError: slackErrorCode(error), err: error },
      'could not look the channel up; accepting it',
    );
    return 'ok';
  } finally {
    clearTimeout(timer);
  }
}
