/**
 * Who may send cards, from ALLOWED_USER_IDS and ALLOWED_CHANNEL_IDS. Checked on every path that
 * can lead to a send (the command, both modal submissions, Retry), not only where the form opens.
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
