/**
 * Who may send cards, from ALLOWED_USER_IDS and ALLOWED_CHANNEL_IDS. Checked on every path that
 * can lead to a send (the command, both modal submissions, the workflow step, the buttons on a
 * result), not only where the form opens.
 */
import type { Config } from '../config.js';

export type Access = Config['access'];

export function isUserAllowed(access: Access, userId: string): boolean {
  return access.userIds === undefined || access.userIds.has(userId);
}

export function isAllowed(access: Access, userId: string, channelId: string): boolean {
  return (
    isUserAllowed(access, userId) && (access.channelIds === undefined || access.channelIds.has(channelId))
  );
}

/** Why a person may not act on a send (Retry, Send again anyway, Cancel, Download .vcf), if they may not. */
export type SendRefusal = 'not_yours' | 'not_allowed';

/**
 * Whether `userId` may act on a send of `requestedBy` in `channelId`: its requester may, and so
 * may anyone on ALLOWED_USER_IDS (when that list is set), as long as the send's channel is still
 * allowed. One rule for every button on a result, so they cannot drift apart.
 */
export function sendRefusal(
  access: Access,
  userId: string,
  send: Readonly<{ requestedBy: string; channelId: string }>,
): SendRefusal | undefined {
  const entitled = send.requestedBy === userId || access.userIds?.has(userId) === true;
  if (!entitled) return 'not_yours';
  return isAllowed(access, userId, send.channelId) ? undefined : 'not_allowed';
}

/** Why a workflow step may not send, if it may not. */
export type StepRefusal = 'not_allowed' | 'channel_not_allowed';

/**
 * Whether a workflow step may send on behalf of `owner`, posting its result in `channel`.
 * `function_executed` names no person (https://docs.slack.dev/reference/events/function_executed),
 * so the only person Slack can provide is the card owner a workflow passes in: with
 * ALLOWED_USER_IDS set, a step runs only for a card owner on the list; with ALLOWED_CHANNEL_IDS
 * set, a result channel must be on it.
 */
export function stepRefusal(
  access: Access,
  owner: string | undefined,
  channel: string | undefined,
): StepRefusal | undefined {
  if (access.userIds !== undefined && (owner === undefined || !isUserAllowed(access, owner)))
    return 'not_allowed';
  if (channel !== undefined && access.channelIds !== undefined && !isAllowed(access, owner ?? '', channel))
    return 'channel_not_allowed';
  return undefined;
}
