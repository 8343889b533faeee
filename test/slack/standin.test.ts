/**
 * The Slack stand-in answers as Slack documents (test/support/slack-model.ts): each modelled
 * behaviour, called the way the app calls it, through @slack/web-api's own WebClient.
 */
import { webApi } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { isInputBlock } from '../support/slack-payloads.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';

let slack: SlackStandIn;
afterEach(async () => slack?.close());

async function client(): Promise<webApi.WebClient> {
  slack = await startSlackStandIn();
  return new webApi.WebClient('xoxb-standin', {
    slackApiUrl: slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
}

/** Slack's error code for a call that failed, or `ok` when it did not. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
    if (error instanceof webApi.WebAPIRateLimitedError) return `429 retry-after ${error.retryAfter}`;
    throw error;
  }
}

const FORM: ModalView = {
  type: 'modal',
  callback_id: 'form',
  title: { type: 'plain_text', text: 'Form' },
  submit: { type: 'plain_text', text: 'Save' },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks: [
    {
      type: 'input',
      block_id: 'name',
      label: { type: 'plain_text', text: 'Name' },
      element: { type: 'plain_text_input', action_id: 'value', max_length: 100 },
    },
    {
      type: 'input',
      block_id: 'company',
      label: { type: 'plain_text', text: 'Company' },
      element: { type: 'plain_text_input', action_id: 'value', max_length: 100 },
    },
  ],
};

function initialValues(view: ModalView | undefined): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const block of (view?.blocks ?? []).filter(isInputBlock)) {
    if (block.element.type === 'plain_text_input') values[block.block_id ?? ''] = block.element.initial_value;
  }
  return values;
}

describe('views', () => {
  it('views.update keeps what was typed in inputs whose ids are unchanged, and shows new ones', async () => {
    const web = await client();
    const opened = await web.views.open({ trigger_id: `trigger-${Date.now()}-1-x`, view: FORM });
    const id = opened.view?.id ?? '';
    slack.typed(id, { name: { value: { type: 'plain_text_input', value: 'typed' } } });
    const next: ModalView = {
      ...FORM,
      blocks: FORM.blocks.filter(isInputBlock).map((block) =>
        block.element.type === 'plain_text_input'
          ? {
              ...block,
              block_id: block.block_id === 'company' ? 'company__g1' : block.block_id,
              element: { ...block.element, initial_value: 'from the app' },
            }
          : block,
      ),
    };
    await web.views.update({ view_id: id, view: next });
    expect(initialValues(slack.shownView(id))).toEqual({ name: 'typed', company__g1: 'from the app' });
  });

  it('views.update with a stale hash answers hash_conflict (when checked)', async () => {
    const web = await client();
    slack.model.checkHash = true;
    const opened = await web.views.open({ trigger_id: `trigger-${Date.now()}-1-x`, view: FORM });
    const id = opened.view?.id ?? '';
    const hash = opened.view?.hash ?? '';
    expect(await outcome(web.views.update({ view_id: id, hash, view: FORM }))).toBe('ok');
    expect(await outcome(web.views.update({ view_id: id, hash, view: FORM }))).toBe('hash_conflict');
  });

  it('views.open with a trigger older than 3 s answers expired_trigger_id', async () => {
    const web = await client();
    const old = `trigger-${Date.now() - 3_500}-1-x`;
    expect(await outcome(web.views.open({ trigger_id: old, view: FORM }))).toBe('expired_trigger_id');
    slack.model.expireTriggers = false;
    expect(await outcome(web.views.open({ trigger_id: old, view: FORM }))).toBe('ok');
  });
});

describe('posting', () => {
  it('chat.postMessage to a user id answers with the D… channel it used', async () => {
    const web = await client();
    const posted = await web.chat.postMessage({ channel: 'U0ALICE', text: 'hi' });
    expect(posted.channel).toBe('DU0ALICE');
  });

  it('answers each documented refusal for the conversation described', async () => {
    const web = await client();
    const post = (channel: string) => outcome(web.chat.postMessage({ channel, text: 'hi' }));
    slack.describeConversation('G0PRIVATE', { kind: 'private', botMember: false });
    slack.describeConversation('C0PUBLIC', { kind: 'public', botMember: false });
    slack.describeConversation('C0OLD', { kind: 'public', botMember: true, archived: true });
    slack.describeConversation('C0THREADS', { kind: 'public', botMember: true, restriction: 'thread_only' });
    slack.describeConversation('C0NEWS', { kind: 'public', botMember: true, restriction: 'announcement' });
    slack.describeConversation('C0LOCKED', { kind: 'public', botMember: true, restriction: 'no_permission' });
    expect(await post('G0PRIVATE')).toBe('channel_not_found');
    expect(await post('C0PUBLIC')).toBe('ok');
    slack.model.scopes.delete('chat:write.public');
    expect(await post('C0PUBLIC')).toBe('not_in_channel');
    expect(await post('C0OLD')).toBe('is_archived');
    expect(await post('C0THREADS')).toBe('restricted_action_thread_only_channel');
    expect(await post('C0NEWS')).toBe('restricted_action');
    expect(await post('C0LOCKED')).toBe('no_permission');
    expect(await outcome(web.chat.postEphemeral({ channel: 'G0PRIVATE', user: 'U0ALICE', text: 'hi' }))).toBe(
      'channel_not_found',
    );
  });

  it('chat.postEphemeral to someone not in the channel answers user_not_in_channel', async () => {
    const web = await client();
    slack.describeConversation('C0TEAM', { kind: 'public', botMember: true, members: ['U0ALICE'] });
    const ephemeral = (user: string) =>
      outcome(web.chat.postEphemeral({ channel: 'C0TEAM', user, text: 'hi' }));
    expect(await ephemeral('U0ALICE')).toBe('ok');
    expect(await ephemeral('U0MALLORY')).toBe('user_not_in_channel');
  });

  it('chat.update answers message_not_found for a deleted message and is_inactive once archived', async () => {
    const web = await client();
    const first = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'one' });
    const second = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'two' });
    const update = (ts: string | undefined) =>
      outcome(web.chat.update({ channel: 'C0SUPPORT', ts: ts ?? '', text: 'x' }));
    expect(await update(first.ts)).toBe('ok');
    slack.deleteMessage('C0SUPPORT', first.ts ?? '');
    expect(await update(first.ts)).toBe('message_not_found');
    expect(await update('1.000000')).toBe('message_not_found');
    slack.describeConversation('C0SUPPORT', { kind: 'public', botMember: true, archived: true });
    expect(await update(second.ts)).toBe('is_inactive');
  });
});

describe('rate limits', () => {
  it('chat.postMessage: a short burst per channel, then 429 with Retry-After', async () => {
    const web = await client();
    const post = (channel: string) => outcome(web.chat.postMessage({ channel, text: 'hi' }));
    const burst = [await post('C0ONE'), await post('C0ONE'), await post('C0ONE'), await post('C0ONE')];
    expect(burst).toEqual(['ok', 'ok', 'ok', '429 retry-after 1']);
    expect(await post('C0TWO')).toBe('ok');
  });

  it('chat.update: 50 a minute per workspace, then 429 with Retry-After', async () => {
    const web = await client();
    const posted = await web.chat.postMessage({ channel: 'C0ONE', text: 'hi' });
    const answers: string[] = [];
    for (let i = 0; i < 51; i += 1)
      answers.push(await outcome(web.chat.update({ channel: 'C0ONE', ts: posted.ts ?? '', text: `${i}` })));
    expect(answers.slice(0, 50).every((answer) => answer === 'ok')).toBe(true);
    expect(answers[50]).toMatch(/^429 retry-after \d+$/u);
    slack.model.rateLimits = false;
    expect(await outcome(web.chat.update({ channel: 'C0ONE', ts: posted.ts ?? '', text: 'more' }))).toBe(
      'ok',
    );
  });
});
