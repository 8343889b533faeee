/**
 * "Send a template first" (issue 15): the button on a card WhatsApp's 24-hour window refused opens
 * the template modal; picking a template shows its parameters; submitting records the card as
 * waiting for the customer's reply (before Slack is answered), then sends the template. The card
 * itself goes by itself when the customer answers (src/delivery/awaiting.ts).
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
import { TEMPLATE_PARAMETER_MAX, type Template } from '../../jelou/templates.js';
import type { SendRecord } from '../../store/types.js';
import { sendRefusal } from '../access.js';
import { type Catalogue, catalogue, type Locale } from '../i18n/index.js';
import { ActionId, BlockId, templateParamIndexOf } from '../ids.js';
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

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type SelectArgs = SlackActionMiddlewareArgs<BlockStaticSelectAction> & AllMiddlewareArgs;
type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Slack drops a modal's trigger after 3 s: the list must be in before the view is updated, not opened. */
const LIST_BUDGET_MS = 2_500;

const stateSchema = z.object({ sendId: z.string().min(1), generation: z.number().int().nonnegative() });

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
    const viewId = opened.view?.id;
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
      ...(opened.view?.hash ? { hash: opened.view.hash } : {}),
      view: templateModal({
        ...common,
        templates,
        chosen: only
          ? {
              template: only,
              values: prefilledValues(only.paramsNumber, firstNameOf(send.recipientLabel), sender),
            }
          : undefined,
      }),
    });
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
    const send = await deps.store.get(state.sendId);
    if (!send) return;
    const [list, sender] = await Promise.all([
      deps.templates.list(LIST_BUDGET_MS),
      senderFirstName(client, userId),
    ]);
    const templates = list.kind === 'listed' ? list.templates : 'unavailable';
    const template =
      templates === 'unavailable' ? undefined : chosenFrom(templates, action.selected_option?.value);
    const next: TemplateModalState = { sendId: state.sendId, generation: state.generation + 1 };
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: templateModal({
        state: next,
        locale,
        recipientLabel: send.recipientLabel,
        cardName: send.cardName,
        templates,
        chosen: template
          ? {
              template,
              values: prefilledValues(template.paramsNumber, firstNameOf(send.recipientLabel), sender),
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
    await deps.awaiting.sendTemplate(waiting, {
      elementName: picked.elementName,
      language: picked.language,
      parameters,
    });
  };
}
