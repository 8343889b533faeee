/**
 * "Send a template first" (issue 15): the button on a card WhatsApp's 24-hour window refused opens
 * the template modal; picking a template shows its parameters; submitting records the card as
 * waiting for the customer's reply (before Slack is answered), then sends the template. The card
 * itself goes by itself when the customer answers (src/delivery/awaiting.ts).
 *
 * The same button on a preview whose one recipient is known to be outside the window pushes the
 * modal over the preview, for the card not sent yet: submitting records the card's send already
 * waiting (under the preview's own submission key, so the preview's Send and this record it once),
 * closes both views, then posts the message and sends the template.
 */
import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  BlockStaticSelectAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import { ErrorCode, sentenceFor } from '../../errors.js';
import { TEMPLATE_PARAMETER_MAX, type Template } from '../../jelou/templates.js';
import type { SendRecord } from '../../store/types.js';
import { isAllowed, sendRefusal } from '../access.js';
import { slackErrorCode } from '../api-errors.js';
import { cardNameOf } from '../contacts.js';
import { type Catalogue, catalogue, type Locale } from '../i18n/index.js';
import { ActionId, BlockId, templateParamIndexOf } from '../ids.js';
import { draftIdSchema, type PreviewContent, readPreviewContent, savePreviewDraft } from '../metadata.js';
import { labelName } from '../recipients.js';
import { messageView } from '../views/message.js';
import {
  prefilledValues,
  readTemplateOptionValue,
  type TemplateModalState,
  templateModal,
  templateOptionValue,
} from '../views/template.js';
import type { ListenerDeps } from './deps.js';
import { previewSubmission } from './preview.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type SelectArgs = SlackActionMiddlewareArgs<BlockStaticSelectAction> & AllMiddlewareArgs;
type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Slack drops a modal's trigger after 3 s: the list must be in before the view is updated, not opened. */
const LIST_BUDGET_MS = 2_500;

const generation = z.number().int().nonnegative();
const stateSchema = z.union([
  z.object({ sendId: z.string().min(1), generation }),
  z.object({ draftId: draftIdSchema, key: z.string().min(1).max(300), generation }),
]);

function readState(metadata: string): TemplateModalState | undefined {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The customer's first name as the card's recipient label shows it ("María López · +593…" → "María"). */
function firstNameOf(label: string): string {
  const name = labelName(label);
  return /^\+?[\d\s().-]+$/u.test(name) ? '' : (name.split(/\s+/u)[0] ?? '');
}

type ProfileClient = ButtonArgs['client'];

/** The sender's first name from Slack, or '' when Slack does not answer. */
async function senderFirstName(client: ProfileClient, userId: string): Promise<string> {
  try {
    const answer = await client.users.info({ user: userId });
    const profile = answer.user?.profile;
    const name =
      profile?.first_name || profile?.display_name || profile?.real_name || answer.user?.real_name || '';
    return name.trim().split(/\s+/u)[0] ?? '';
  } catch {
    return '';
  }
}

function chosenFrom(templates: readonly Template[], value: string | undefined): Template | undefined {
  return templates.find((template) => templateOptionValue(template) === value);
}

/** The card a template modal is for, as its intro names it. */
type Subject = Readonly<{ recipientLabel: string; cardName: string }>;

/** The content of the preview a modal opened from, from its draft (the person's own). */
function previewOf(deps: ListenerDeps, draftId: string, userId: string): Promise<PreviewContent | undefined> {
  return readPreviewContent(deps.store, JSON.stringify({ draftId }), userId);
}

function subjectOfPreview(content: PreviewContent): Subject | undefined {
  const [only] = content.recipients;
  return only && content.recipients.length === 1
    ? { recipientLabel: only.label, cardName: cardNameOf(content.contacts) }
    : undefined;
}

/** What the modal of `state` is about: the refused send, or the preview's card. */
async function subjectOf(
  deps: ListenerDeps,
  state: TemplateModalState,
  userId: string,
): Promise<Subject | undefined> {
  if ('sendId' in state) return deps.store.get(state.sendId);
  const content = await previewOf(deps, state.draftId, userId);
  return content && subjectOfPreview(content);
}

/** The card may get a template from whoever may retry it, while it stands refused. */
function refusalOf(deps: ListenerDeps, userId: string, send: SendRecord | undefined) {
  if (!send) return (t: Catalogue) => t.template.expired;
  const refusal = sendRefusal(deps.config.access, userId, send);
  if (refusal)
    return (t: Catalogue) => (refusal === 'not_allowed' ? t.command.notAllowed : t.template.notYours);
  if (send.status !== 'failed') return (t: Catalogue) => t.template.notWaiting;
  return undefined;
}

/** The button: opens the modal at once ("loading"), then shows the bot's approved templates. */
export function openTemplateModal(deps: ListenerDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const locale: Locale = await deps.locales.localeOf(userId);
    const t = catalogue(locale);
    const sendId = action.value ?? '';
    const send = await deps.store.get(sendId);
    const refusal = refusalOf(deps, userId, send);
    if (refusal || !send) {
      deps.logger.info({ sendId }, 'refused a template: not refused by the window any more, or not theirs');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: (refusal ?? ((words: Catalogue) => words.template.expired))(t),
      });
      return;
    }
    const state: TemplateModalState = { sendId, generation: 0 };
    const common = { state, locale, recipientLabel: send.recipientLabel, cardName: send.cardName };
    const opened = await client.views.open({
      trigger_id: body.trigger_id,
      view: templateModal({ ...common, templates: undefined }),
    });
    await showTemplates(deps, client, userId, opened.view, common);
  };
}

/**
 * The modal just opened (or pushed) as "loading", filled in with the bot's approved templates:
 * one template needs no picking, so its parameters show at once.
 */
async function showTemplates(
  deps: ListenerDeps,
  client: ProfileClient,
  userId: string,
  opened: Readonly<{ id?: string; hash?: string }> | undefined,
  common: Readonly<{ state: TemplateModalState; locale: Locale } & Subject>,
): Promise<void> {
  const viewId = opened?.id;
  if (!viewId) return;
  const [list, sender] = await Promise.all([
    deps.templates.list(LIST_BUDGET_MS),
    senderFirstName(client, userId),
  ]);
  const templates = list.kind === 'listed' ? list.templates : 'unavailable';
  // One template: nothing to pick, so its parameters show at once.
  const only = templates !== 'unavailable' && templates.length === 1 ? templates[0] : undefined;
  await client.views.update({
    view_id: viewId,
    ...(opened?.hash ? { hash: opened.hash } : {}),
    view: templateModal({
      ...common,
      templates,
      chosen: only
        ? {
            template: only,
            values: prefilledValues(only.paramsNumber, firstNameOf(common.recipientLabel), sender),
          }
        : undefined,
    }),
  });
}

/**
 * "Send a template first" on the preview: the modal pushed over it (the preview stays beneath, for
 * Close), carrying a draft of the preview's content and the preview's submission key.
 */
export function openTemplateFromPreview(deps: ListenerDeps) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const view = body.view;
    if (!view) return;
    const locale: Locale = await deps.locales.localeOf(userId);
    const content = await readPreviewContent(deps.store, view.private_metadata, userId);
    const subject = content && subjectOfPreview(content);
    if (!content || !subject || deps.config.dryRun) {
      deps.logger.info(
        'no template from a preview: it expired, has several recipients, or this is a dry run',
      );
      return;
    }
    const draftId = await savePreviewDraft(deps.store, content, userId);
    const state: TemplateModalState = { draftId, key: `${view.id}:${view.hash}`, generation: 0 };
    const common = { state, locale, ...subject };
    try {
      const pushed = await client.views.push({
        trigger_id: body.trigger_id,
        view: templateModal({ ...common, templates: undefined }),
      });
      await showTemplates(deps, client, userId, pushed.view, common);
    } catch (error) {
      // The preview stays as it was: Send still works, and the button can be pressed again.
      deps.logger.warn({ err: error, slackError: slackErrorCode(error) }, 'could not show the templates');
    }
  };
}

/** A template was picked: the modal shows its parameters, prefilled, under new block ids. */
export function pickTemplate(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: SelectArgs): Promise<void> => {
    await ack();
    const view = body.view;
    const state = view ? readState(view.private_metadata) : undefined;
    if (!view || !state) return;
    const userId = body.user.id;
    const locale = await deps.locales.localeOf(userId);
    const subject = await subjectOf(deps, state, userId);
    if (!subject) return;
    const [list, sender] = await Promise.all([
      deps.templates.list(LIST_BUDGET_MS),
      senderFirstName(client, userId),
    ]);
    const templates = list.kind === 'listed' ? list.templates : 'unavailable';
    const template =
      templates === 'unavailable' ? undefined : chosenFrom(templates, action.selected_option?.value);
    const next: TemplateModalState = { ...state, generation: state.generation + 1 };
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: templateModal({
        state: next,
        locale,
        recipientLabel: subject.recipientLabel,
        cardName: subject.cardName,
        templates,
        chosen: template
          ? {
              template,
              values: prefilledValues(template.paramsNumber, firstNameOf(subject.recipientLabel), sender),
            }
          : undefined,
      }),
    });
  };
}

/**
 * Send template: checks the parameters (inline errors), records the card as waiting for the reply
 * before Slack is answered, then sends the template after the acknowledgement.
 */
export function templateSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body }: SubmitArgs): Promise<void> => {
    const userId = body.user.id;
    const locale = await deps.locales.localeOf(userId);
    const t = catalogue(locale);
    const state = readState(view.private_metadata);
    const picked = readTemplateOptionValue(
      view.state.values[BlockId.TemplatePick]?.[ActionId.TemplateSelect]?.selected_option?.value,
    );
    if (!state) {
      await ack({ response_action: 'update', view: messageView(t.template.expired, locale) });
      return;
    }
    if (!picked || !deps.templates.allows(picked.elementName)) {
      await ack({
        response_action: 'errors',
        errors: { [BlockId.TemplatePick]: t.template.pickPlaceholder },
      });
      return;
    }
    const parameters: string[] = Array.from({ length: picked.paramsNumber }, () => '');
    const blockOf: string[] = [];
    for (const [blockId, actions] of Object.entries(view.state.values)) {
      const index = templateParamIndexOf(blockId);
      if (
        index === undefined ||
        index >= picked.paramsNumber ||
        !blockId.startsWith(`template_${state.generation}_`)
      )
        continue;
      parameters[index] = (actions[ActionId.Value]?.value ?? '').trim();
      blockOf[index] = blockId;
    }
    const errors: Record<string, string> = {};
    parameters.forEach((value, index) => {
      const blockId = blockOf[index];
      if (blockId === undefined) return;
      if (value === '') errors[blockId] = t.template.required;
      else if (value.length > TEMPLATE_PARAMETER_MAX)
        errors[blockId] = t.template.tooLong(TEMPLATE_PARAMETER_MAX, value.length);
    });
    if (blockOf.filter(Boolean).length !== picked.paramsNumber) {
      // The form shows another template's parameters than the one picked (an old view): pick again.
      await ack({
        response_action: 'errors',
        errors: { [BlockId.TemplatePick]: t.template.pickPlaceholder },
      });
      return;
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const choice = { elementName: picked.elementName, language: picked.language, parameters };
    if (!('sendId' in state)) {
      await submitFromPreview(deps, { ack, body }, state, choice);
      return;
    }
    const send = await deps.store.get(state.sendId);
    const refusal = refusalOf(deps, userId, send);
    if (refusal || !send) {
      await ack({
        response_action: 'update',
        view: messageView((refusal ?? ((words: Catalogue) => words.template.expired))(t), locale),
      });
      return;
    }
    // Recorded before Slack hears back: the choice is not lost, and a second click finds it waiting.
    const waiting = await deps.awaiting.begin(send.id, picked.elementName);
    if (!waiting) {
      await ack({ response_action: 'update', view: messageView(t.template.notWaiting, locale) });
      return;
    }
    await ack({ response_action: 'clear' });
    deps.logger.info({ sendId: send.id, template: picked.elementName }, 'template asked for ahead of a card');
    await deps.awaiting.sendTemplate(waiting, choice);
  };
}

/**
 * The template modal pushed over a preview was submitted (parameters checked): the card's send is
 * recorded waiting behind the template before Slack is answered, both views close, then the
 * message is posted and the template sent (AwaitingReplies.submitAhead). The preview's own key:
 * a repeated request, or Send on the same preview, finds the send recorded and sends nothing again.
 */
async function submitFromPreview(
  deps: ListenerDeps,
  { ack, body }: Pick<SubmitArgs, 'ack' | 'body'>,
  state: Extract<TemplateModalState, { draftId: string }>,
  choice: Parameters<ListenerDeps['awaiting']['submitAhead']>[1],
): Promise<void> {
  const userId = body.user.id;
  const locale = await deps.locales.localeOf(userId);
  const t = catalogue(locale);
  const content = await previewOf(deps, state.draftId, userId);
  const submission =
    content && subjectOfPreview(content)
      ? previewSubmission(content, { key: state.key, teamId: body.team?.id, requestedBy: userId, locale })
      : undefined;
  if (!content || !submission) {
    await ack({ response_action: 'update', view: messageView(t.form.expired, locale) });
    return;
  }
  if (!isAllowed(deps.config.access, userId, content.channelId) || deps.config.dryRun) {
    deps.logger.warn('refused a template from a preview: not on the allowed list, or a dry run');
    await ack({ response_action: 'update', view: messageView(t.command.notAllowed, locale) });
    return;
  }
  const submitted = await deps.awaiting.submitAhead(submission, choice, () =>
    ack({ response_action: 'clear' }),
  );
  if (!submitted.recorded) {
    // Not recorded means nothing sent: say so in the modal rather than let Slack time out.
    await ack({
      response_action: 'update',
      view: messageView(sentenceFor(ErrorCode.Unexpected)[locale], locale),
    });
    return;
  }
  deps.logger.info(
    { template: choice.elementName, created: submitted.created },
    'template asked for from a preview',
  );
}
