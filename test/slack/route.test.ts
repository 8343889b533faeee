import { App, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { action, routeActions, routeViews, view } from '../../src/slack/listeners/route.js';

/** A Bolt app that receives nothing by itself: the test hands it each request. */
function boltApp(): App {
  const receiver: Receiver = { init: () => {}, start: async () => {}, stop: async () => {} };
  return new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-test', botId: 'B1', botUserId: 'U0BOT' }),
  });
}

const blockAction = (actionId: string) => ({
  type: 'block_actions',
  team: { id: 'T1' },
  user: { id: 'U1' },
  actions: [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: '1' }],
});

const viewSubmission = (callbackId: string) => ({
  type: 'view_submission',
  team: { id: 'T1' },
  user: { id: 'U1' },
  view: { id: 'V1', type: 'modal', callback_id: callbackId, state: { values: {} }, private_metadata: '' },
});

async function deliver(app: App, body: object): Promise<boolean> {
  let acked = false;
  await app.processEvent({
    body,
    ack: async () => {
      acked = true;
    },
  });
  return acked;
}

describe('routeActions and routeViews', () => {
  it('hand each block action to the listener of its action id, and only that one', async () => {
    const app = boltApp();
    const calls: string[] = [];
    routeActions(app, [
      action('jc.add', async ({ ack, action: a }) => {
        calls.push(`add:${a.action_id}`);
        await ack();
      }),
      action('jc_retry', async ({ ack }) => {
        calls.push('retry');
        await ack();
      }),
    ]);
    expect(await deliver(app, blockAction('jc_retry'))).toBe(true);
    expect(await deliver(app, blockAction('jc.add'))).toBe(true);
    expect(calls).toEqual(['retry', 'add:jc.add']);
  });

  it('match ids exactly: a pattern character in an id matches only itself', async () => {
    const app = boltApp();
    const calls: string[] = [];
    routeActions(app, [
      action('jc.add', async ({ ack }) => {
        calls.push('add');
        await ack();
      }),
    ]);
    for (const id of ['jcXadd', 'jc.add_more', 'x_jc.add'])
      expect(await deliver(app, blockAction(id))).toBe(false);
    expect(calls).toEqual([]);
  });

  it('hand each view submission to the listener of its callback id', async () => {
    const app = boltApp();
    const calls: string[] = [];
    routeViews(app, [
      view('card_modal', async ({ ack, view: v }) => {
        calls.push(v.callback_id);
        await ack();
      }),
      view('preview_modal', async ({ ack, view: v }) => {
        calls.push(v.callback_id);
        await ack();
      }),
    ]);
    expect(await deliver(app, viewSubmission('preview_modal'))).toBe(true);
    expect(await deliver(app, viewSubmission('other_modal'))).toBe(false);
    expect(calls).toEqual(['preview_modal']);
  });

  it('refuse two listeners for one id at start rather than let one of them never run', () => {
    const listener = async () => {};
    expect(() => routeActions(boltApp(), [action('a', listener), action('a', listener)])).toThrow(
      'two listeners for a',
    );
  });
});
