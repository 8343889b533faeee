/** Who may send cards: ALLOWED_USER_IDS and ALLOWED_CHANNEL_IDS. */
import { describe, expect, it } from 'vitest';
import { type Access, isAllowed, isUserAllowed, sendRefusal } from '../../src/slack/access.js';

const everyone: Access = { userIds: undefined, channelIds: undefined };
const users = (...ids: string[]): Access => ({ userIds: new Set(ids), channelIds: undefined });
const channels = (...ids: string[]): Access => ({ userIds: undefined, channelIds: new Set(ids) });

describe('isUserAllowed', () => {
  it('lets anyone in without a user list', () => {
    expect(isUserAllowed(everyone, 'U0ANYONE')).toBe(true);
    expect(isUserAllowed(channels('C0SUPPORT'), 'U0ANYONE')).toBe(true);
  });

  it('lets in only the listed users with a list', () => {
    const access = users('U0ALICE', 'U0BOB');
    expect(isUserAllowed(access, 'U0ALICE')).toBe(true);
    expect(isUserAllowed(access, 'U0BOB')).toBe(true);
    expect(isUserAllowed(access, 'U0MALLORY')).toBe(false);
    expect(isUserAllowed(access, 'u0alice')).toBe(false);
  });

  it('lets nobody in with an empty list', () => {
    expect(isUserAllowed(users(), 'U0ALICE')).toBe(false);
  });
});

describe('isAllowed', () => {
  it('allows everyone everywhere without lists', () => {
    expect(isAllowed(everyone, 'U0ANYONE', 'C0ANYWHERE')).toBe(true);
  });

  it('checks the user list alone when there is no channel list', () => {
    expect(isAllowed(users('U0ALICE'), 'U0ALICE', 'C0ANYWHERE')).toBe(true);
    expect(isAllowed(users('U0ALICE'), 'U0MALLORY', 'C0ANYWHERE')).toBe(false);
  });

  it('checks the channel list alone when there is no user list', () => {
    expect(isAllowed(channels('C0SUPPORT'), 'U0ANYONE', 'C0SUPPORT')).toBe(true);
    expect(isAllowed(channels('C0SUPPORT'), 'U0ANYONE', 'C0RANDOM')).toBe(false);
  });

  it('needs both the user and the channel when both lists are set', () => {
    const access: Access = { userIds: new Set(['U0ALICE']), channelIds: new Set(['C0SUPPORT']) };
    expect(isAllowed(access, 'U0ALICE', 'C0SUPPORT')).toBe(true);
    expect(isAllowed(access, 'U0ALICE', 'C0RANDOM')).toBe(false);
    expect(isAllowed(access, 'U0MALLORY', 'C0SUPPORT')).toBe(false);
    expect(isAllowed(access, 'U0MALLORY', 'C0RANDOM')).toBe(false);
  });
});

describe('sendRefusal (the buttons on a result: Retry, Send again anyway, Cancel, Download .vcf)', () => {
  const send = { requestedBy: 'U0ALICE', channelId: 'C0SUPPORT' };
  const both = (userIds: string[], channelIds: string[]): Access => ({
    userIds: new Set(userIds),
    channelIds: new Set(channelIds),
  });

  it('lets the requester act, and only the requester without a user list', () => {
    expect(sendRefusal(everyone, 'U0ALICE', send)).toBeUndefined();
    expect(sendRefusal(everyone, 'U0BOB', send)).toBe('not_yours');
  });

  it('lets anyone on the user list act on anyone’s send', () => {
    expect(sendRefusal(users('U0ALICE', 'U0BOB'), 'U0BOB', send)).toBeUndefined();
    expect(sendRefusal(users('U0ALICE', 'U0BOB'), 'U0MALLORY', send)).toBe('not_yours');
  });

  it('refuses even the requester once they or the channel left the lists', () => {
    expect(sendRefusal(users('U0BOB'), 'U0ALICE', send)).toBe('not_allowed');
    expect(sendRefusal(channels('C0SALES'), 'U0ALICE', send)).toBe('not_allowed');
    expect(sendRefusal(both(['U0ALICE', 'U0BOB'], ['C0SALES']), 'U0BOB', send)).toBe('not_allowed');
  });
});
