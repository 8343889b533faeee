/**
 * Typed factories for the payloads Slack sends an app, shaped after real ones. `fillView` builds
 * `view.state.values` from the view the app actually opened, the way Slack does.
 */
import type { InputBlock, ModalView } from '@slack/types';

export type SlackUser = Readonly<{ id: string; teamId: string }>;

export const ALICE: SlackUser = { id: 'U0ALICE', teamId: 'T0STANDIN' };
export const MALLORY: SlackUser = { id: 'U0MALLORY', teamId: 'T0STANDIN' };

export const CHANNEL = 'C0SUPPORT';

/** An opened view as Slack echoes it back in payloads: the app's view plus id and hash. */
export type OpenedView = ModalView & { id: string; hash: string };

type ElementState = Record<string, unknown>;

/** Answers for the form, by block id: text for text inputs and selects, `{ value, text }` for a picked option. */
export type FormAnswers = Readonly<Record<string, string | { value: string; text: string } | undefined>>;

function isInput(block: { type: string }): block is InputBlock {
  return block.type === 'input';
}

/** `view.state.values` for `view` with `answers` typed in; unanswered inputs keep their initial value. */
export function fillView(
  view: ModalView,
  answers: FormAnswers,
): Record<string, Record<string, ElementState>> {
  const values: Record<string, Record<string, ElementState>> = {};
  for (const block of view.blocks.filter(isInput)) {
    const element = block.element as { type: string; action_id?: string } & Record<string, unknown>;
    const blockId = block.block_id ?? '';
    const actionId = element.action_id ?? '';
    const answer = answers[blockId];
    let state: ElementState;
    switch (element.type) {
      case 'plain_text_input':
        state = {
          type: element.type,
          value: typeof answer === 'string' ? answer : (element.initial_value ?? null),
        };
        break;
      case 'datepicker':
        state = {
          type: element.type,
          selected_date: typeof answer === 'string' ? answer : (element.initial_date ?? null),
        };
        break;
      case 'static_select':
      case 'external_select': {
        const picked =
          typeof answer === 'string'
            ? { value: answer, text: { type: 'plain_text', text: answer } }
            : answer
              ? { value: answer.value, text: { type: 'plain_text', text: answer.text } }
              : (element.initial_option ?? null);
        state = { type: element.type, selected_option: picked };
        break;
      }
      default:
        state = { type: element.type };
    }
    values[blockId] = { [actionId]: state };
  }
  return values;
}

function viewEnvelope(view: OpenedView, values: Record<string, Record<string, ElementState>>) {
  return {
    ...view,
    team_id: ALICE.teamId,
    state: { values },
    root_view_id: view.id,
    app_id: 'A0JELOUCARD',
    bot_id: 'B0BOT',
  };
}

function userOf(user: SlackUser) {
  return { id: user.id, username: user.id.toLowerCase(), name: user.id.toLowerCase(), team_id: user.teamId };
}

export function slashCommand(text: string, user: SlackUser = ALICE, channel = CHANNEL, responseUrl = '') {
  return {
    token: 'legacy-verification-token',
    team_id: user.teamId,
    team_domain: 'standin',
    channel_id: channel,
    channel_name: 'support',
    user_id: user.id,
    user_name: user.id.toLowerCase(),
    command: '/jelou-card',
    text,
    api_app_id: 'A0JELOUCARD',
    response_url: responseUrl,
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
  };
}

export function viewSubmission(view: OpenedView, answers: FormAnswers, user: SlackUser = ALICE) {
  return {
    type: 'view_submission',
    team: { id: user.teamId, domain: 'standin' },
    user: userOf(user),
    api_app_id: 'A0JELOUCARD',
    token: 'legacy-verification-token',
    trigger_id: 'trigger-submit',
    view: viewEnvelope(view, fillView(view, answers)),
    response_urls: [],
    is_enterprise_install: false,
  };
}

export function viewButtonClick(
  view: OpenedView,
  actionId: string,
  blockId: string,
  answers: FormAnswers = {},
  user = ALICE,
) {
  return {
    type: 'block_actions',
    team: { id: user.teamId, domain: 'standin' },
    user: userOf(user),
    api_app_id: 'A0JELOUCARD',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: view.id },
    trigger_id: 'trigger-click',
    view: viewEnvelope(view, fillView(view, answers)),
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: blockId,
        text: { type: 'plain_text', text: actionId },
        action_ts: '1',
      },
    ],
  };
}

export function messageButtonClick(
  message: { channel: string; ts: string; blocks: unknown },
  action: { actionId: string; blockId: string; value: string },
  responseUrl: string,
  user: SlackUser = ALICE,
) {
  return {
    type: 'block_actions',
    team: { id: user.teamId, domain: 'standin' },
    user: userOf(user),
    api_app_id: 'A0JELOUCARD',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: 'trigger-click',
    channel: { id: message.channel, name: 'support' },
    message: { type: 'message', ts: message.ts, text: '', blocks: message.blocks },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: action.actionId,
        block_id: action.blockId,
        value: action.value,
        text: { type: 'plain_text', text: action.actionId },
        action_ts: '1',
      },
    ],
  };
}

export function blockSuggestion(
  view: OpenedView,
  actionId: string,
  blockId: string,
  query: string,
  user = ALICE,
) {
  return {
    type: 'block_suggestion',
    team: { id: user.teamId, domain: 'standin' },
    user: userOf(user),
    api_app_id: 'A0JELOUCARD',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: view.id },
    action_id: actionId,
    block_id: blockId,
    value: query,
    view: viewEnvelope(view, fillView(view, {})),
  };
}
