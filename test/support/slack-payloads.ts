/**
 * Typed factories for the payloads Slack sends an app, shaped after real ones. `stateValuesFor`
 * builds `view.state.values` from the view the app actually opened, the way Slack does.
 */
import type { AnyBlock, InputBlock, ModalView, PlainTextOption } from '@slack/types';

export type SlackUser = Readonly<{ id: string; teamId: string }>;

export const ALICE: SlackUser = { id: 'U0ALICE', teamId: 'T0STANDIN' };
export const MALLORY: SlackUser = { id: 'U0MALLORY', teamId: 'T0STANDIN' };

export const CHANNEL = 'C0SUPPORT';

let triggers = 0;

/** Slack gives every interaction a trigger id of its own, so no two payloads are byte-identical. */
function newTriggerId(): string {
  triggers += 1;
  // The issue time leads, so the Slack stand-in can expire it after 3 s as Slack does.
  return `trigger-${Date.now()}-${triggers}-${Math.random().toString(36).slice(2)}`;
}

/** An option as the person picked it in a select menu. */
export function picked(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text }, value };
}

/** An opened view as Slack echoes it back in payloads: the app's view plus id and hash. */
export type OpenedView = ModalView & { id: string; hash: string };

export function isInputBlock(block: AnyBlock): block is InputBlock {
  return block.type === 'input';
}

export function inputBlocks(view: ModalView): InputBlock[] {
  return view.blocks.filter(isInputBlock);
}

export function inputBlockIds(view: ModalView): string[] {
  return inputBlocks(view).map((block) => block.block_id ?? '');
}

/** The input block with `blockId`; fails the test when the view has none. */
export function inputBlock(view: ModalView, blockId: string): InputBlock {
  const block = inputBlocks(view).find((b) => b.block_id === blockId);
  if (!block) throw new Error(`no input block ${blockId} in the view`);
  return block;
}

/** One element's state in `view.state.values`, as Slack reports the element types the form uses. */
export type ElementState =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'static_select' | 'external_select'; selected_option: PlainTextOption | null }
  | { type: 'multi_external_select' | 'checkboxes'; selected_options: PlainTextOption[] }
  | { type: 'datepicker'; selected_date: string | null }
  | { type: 'conversations_select'; selected_conversation: string | null }
  | { type: 'file_input'; files: readonly object[] }
  | { type: string };

export type StateValues = Record<string, Record<string, ElementState>>;

/** Files attached to a `file_input`: the file objects Slack reports (see the stand-in's `serveFile`). */
export type FilesAnswer = Readonly<{ files: readonly object[] }>;

/**
 * What the person did to one input, by block id: typed text, a picked option, or (in a
 * multi-select) the options picked; `null` clears it. One option in a multi-select is a list of one.
 */
export type FormAnswers = Readonly<
  Record<string, string | PlainTextOption | readonly PlainTextOption[] | FilesAnswer | null>
>;

function isFilesAnswer(answer: FormAnswers[string]): answer is FilesAnswer {
  return typeof answer === 'object' && answer !== null && 'files' in answer;
}

/** `Array.isArray` does not narrow a readonly array out of a union; this does. */
function isOptionList(
  answer: PlainTextOption | readonly PlainTextOption[],
): answer is readonly PlainTextOption[] {
  return Array.isArray(answer);
}

/** An answer as the options Slack reports for it (typed text becomes an option with that value). */
function optionsOf(answer: FormAnswers[string] | undefined): PlainTextOption[] {
  if (answer === null || answer === undefined) return [];
  if (typeof answer === 'string') return [{ text: { type: 'plain_text', text: answer }, value: answer }];
  if (isFilesAnswer(answer)) return [];
  return isOptionList(answer) ? [...answer] : [answer];
}

/**
 * `view.state.values` for `view` with `answers`, the way Slack builds it: every input block is
 * reported, and an input the person did not touch reports its initial value (or `null`).
 */
export function stateValuesFor(view: ModalView, answers: FormAnswers = {}): StateValues {
  const values: StateValues = {};
  for (const block of inputBlocks(view)) {
    const element = block.element;
    const blockId = block.block_id ?? '';
    const actionId = 'action_id' in element && element.action_id ? element.action_id : '';
    const answered = blockId in answers;
    const given = answers[blockId] ?? null;
    const files = isFilesAnswer(given) ? given.files : [];
    const answer = isFilesAnswer(given) ? null : given;
    let state: ElementState;
    switch (element.type) {
      case 'plain_text_input':
        state = {
          type: element.type,
          value: answered ? (typeof answer === 'string' ? answer : null) : (element.initial_value ?? null),
        };
        break;
      case 'datepicker':
        state = {
          type: element.type,
          selected_date: answered
            ? typeof answer === 'string'
              ? answer
              : null
            : (element.initial_date ?? null),
        };
        break;
      case 'conversations_select':
        state = {
          type: 'conversations_select',
          selected_conversation: answered
            ? typeof answer === 'string'
              ? answer
              : null
            : (element.initial_conversation ?? null),
        };
        break;
      case 'static_select':
      case 'external_select': {
        const picked = optionsOf(answer)[0] ?? null;
        state = { type: element.type, selected_option: answered ? picked : (element.initial_option ?? null) };
        break;
      }
      case 'multi_external_select': {
        const picked = optionsOf(answer);
        state = { type: element.type, selected_options: answered ? picked : (element.initial_options ?? []) };
        break;
      }
      // Slack reports checkboxes as the options ticked (docs.slack.dev/reference/block-kit/block-elements/checkboxes-element).
      case 'checkboxes': {
        const picked = optionsOf(answer);
        const initial = (element.initial_options ?? []).filter(
          (o): o is PlainTextOption => o.text.type === 'plain_text',
        );
        state = { type: element.type, selected_options: answered ? picked : initial };
        break;
      }
      case 'file_input':
        state = { type: element.type, files };
        break;
      default:
        state = { type: element.type };
    }
    values[blockId] = { [actionId]: state };
  }
  return values;
}

function viewEnvelope(view: OpenedView, values: StateValues) {
  return {
    ...view,
    team_id: ALICE.teamId,
    state: { values },
    root_view_id: view.id,
    app_id: 'A0JELOUCARD',
    bot_id: 'B0BOT',
  };
}

/** The fields every interaction payload starts with. */
function interaction(type: string, user: SlackUser) {
  return {
    type,
    team: { id: user.teamId, domain: 'standin' },
    user: userOf(user),
    api_app_id: 'A0JELOUCARD',
    token: 'legacy-verification-token',
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
    trigger_id: newTriggerId(),
  };
}

export function viewSubmission(view: OpenedView, answers: FormAnswers, user: SlackUser = ALICE) {
  return {
    ...interaction('view_submission', user),
    trigger_id: newTriggerId(),
    view: viewEnvelope(view, stateValuesFor(view, answers)),
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** A global shortcut chosen from Slack's shortcut menu. */
export function globalShortcut(callbackId: string, user: SlackUser = ALICE) {
  return {
    ...interaction('shortcut', user),
    callback_id: callbackId,
    trigger_id: newTriggerId(),
    action_ts: '1700000000.000001',
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
    ...interaction('block_actions', user),
    container: { type: 'view', view_id: view.id },
    trigger_id: newTriggerId(),
    view: viewEnvelope(view, stateValuesFor(view, answers)),
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
    ...interaction('block_actions', user),
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: newTriggerId(),
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
    ...interaction('block_suggestion', user),
    container: { type: 'view', view_id: view.id },
    action_id: actionId,
    block_id: blockId,
    value: query,
    view: viewEnvelope(view, stateValuesFor(view)),
  };
}
