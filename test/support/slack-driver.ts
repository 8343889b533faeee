/**
 * Drives a running app the way Slack does: signed requests to its events URL, with the views it
 * opens read back from the Slack stand-in. Works against the in-process app and a spawned one.
 */
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { modalLimitViolations } from './block-kit-limits.js';
import {
  ALICE,
  blockSuggestion,
  type FormAnswers,
  messageButtonClick,
  type OpenedView,
  type SlackUser,
  slashCommand,
  viewButtonClick,
  viewSubmission,
} from './slack-payloads.js';
import {
  commandBody,
  payloadBody,
  postSigned,
  type SignOptions,
  type SlackHttpResponse,
} from './slack-requests.js';
import type { SlackCall, SlackStandIn } from './slack-standin.js';

const openedView = z.object({ view: z.object({ id: z.string(), hash: z.string() }) });

export type SlackDriver = Readonly<{
  /** POSTs a signed request body; `sign` overrides the signature for forgery tests. */
  post(body: string, sign?: Partial<SignOptions>): Promise<SlackHttpResponse>;
  command(text: string, user?: SlackUser, channel?: string): Promise<SlackHttpResponse>;
  /** Runs the command and returns the view the app opened. */
  openForm(text?: string, user?: SlackUser, channel?: string): Promise<OpenedView>;
  submit(view: OpenedView, answers: FormAnswers, user?: SlackUser): Promise<SlackHttpResponse>;
  /** Submits the form and returns the preview the app answered with, as the view Slack then holds. */
  preview(form: OpenedView, answers: FormAnswers, previewId?: string): Promise<OpenedView>;
  click(
    view: OpenedView,
    actionId: string,
    blockId: string,
    answers?: FormAnswers,
  ): Promise<SlackHttpResponse>;
  suggest(view: OpenedView, actionId: string, blockId: string, query: string): Promise<SlackHttpResponse>;
  /**
   * Clicks a button of a message the app posted or updated (`message`, as the stand-in recorded
   * the call): the first with `actionId`, or the one carrying `value` when there are several.
   */
  clickMessage(
    message: SlackCall,
    actionId: string,
    options?: MessageClickOptions,
  ): Promise<SlackHttpResponse>;
}>;

export type MessageClickOptions = Readonly<{ user?: SlackUser; value?: string; ephemeral?: boolean }>;

type MessageButton = { action_id?: string; value?: string };
type MessageBlock = { block_id?: string; elements?: MessageButton[]; accessory?: MessageButton };

/** The button with `actionId` (and `value`, if given) in a message's blocks, with its block's id. */
function findButton(blocks: readonly MessageBlock[], actionId: string, value?: string) {
  for (const block of blocks) {
    for (const button of [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])]) {
      if (button.action_id === actionId && (value === undefined || button.value === value)) {
        return { blockId: block.block_id ?? '', value: button.value ?? '' };
      }
    }
  }
  throw new Error(`the message has no ${actionId} button${value === undefined ? '' : ` for ${value}`}`);
}

/** The view a submission answered with in `response_action`, if any. */
export function answeredView(response: SlackHttpResponse): ModalView | undefined {
  const answered = response.json;
  if (typeof answered !== 'object' || answered === null || !('view' in answered)) return undefined;
  return answered.view as ModalView;
}

export function slackDriver(eventsUrl: string, signingSecret: string, slack: SlackStandIn): SlackDriver {
  const post = (body: string, sign: Partial<SignOptions> = {}) =>
    postSigned(eventsUrl, body, { signingSecret, ...sign });
  const command = (text: string, user = ALICE, channel?: string) =>
    post(commandBody(slashCommand(text, user, channel, slack.responseUrl)));
  const submit = async (view: OpenedView, answers: FormAnswers, user = ALICE) => {
    const response = await post(payloadBody(viewSubmission(view, answers, user)));
    // A view in response_action is refused by Slack just as one sent to views.update would be.
    const view_ = answeredView(response);
    const problems = view_ ? modalLimitViolations(view_) : [];
    if (problems.length > 0) throw new Error(`Slack would refuse this view: ${problems.join('; ')}`);
    return response;
  };
  return {
    post,
    command,
    submit,
    async openForm(text = '', user = ALICE, channel?: string) {
      const before = slack.callsTo('views.open').length;
      const response = await command(text, user, channel);
      if (response.status !== 200) throw new Error(`command answered ${response.status}: ${response.text}`);
      const call = await slack.waitFor('views.open', () => slack.callsTo('views.open').length > before);
      // The id and hash Slack gave the view it opened, so later updates name the view it knows.
      const opened = openedView.safeParse(call.answer);
      const id = opened.success ? opened.data.view.id : `V${before + 1}`;
      const hash = opened.success ? opened.data.view.hash : `hash-${before + 1}`;
      return { ...(call.args.view as ModalView), id, hash };
    },
    async preview(form, answers, previewId = form.id) {
      const response = await submit(form, answers);
      const view = answeredView(response);
      if (!view) throw new Error(`expected a preview, got ${response.text}`);
      // Slack puts the preview on screen in the form's place, with a new hash.
      const hash = previewId === form.id ? slack.showView(previewId, view) : `${form.hash}-preview`;
      return { ...view, id: previewId, hash };
    },
    click: (view, actionId, blockId, answers = {}) => {
      const payload = viewButtonClick(view, actionId, blockId, answers);
      // Slack knows what the person typed before the click: views.update may keep it.
      slack.typed(view.id, payload.view.state.values);
      return post(payloadBody(payload));
    },
    suggest: (view, actionId, blockId, query) =>
      post(payloadBody(blockSuggestion(view, actionId, blockId, query))),
    clickMessage(message, actionId, options = {}) {
      const blocks = (message.args.blocks ?? []) as MessageBlock[];
      const button = findButton(blocks, actionId, options.value);
      const payload = messageButtonClick(
        { channel: String(message.args.channel), ts: String(message.args.ts), blocks },
        { actionId, ...button },
        slack.responseUrl,
        options.user,
      );
      const container = { ...payload.container, is_ephemeral: options.ephemeral === true };
      return post(payloadBody({ ...payload, container }));
    },
  };
}
