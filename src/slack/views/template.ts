/**
 * "Send a template first": the modal that picks one of the bot's approved templates and fills its
 * parameters, for a card WhatsApp's 24-hour window refused. Pure functions over what the listener
 * loaded. Parameters come prefilled with the customer's and the sender's names; Jelou accepts at
 * most 15 characters per parameter, which each field says, and the submission checks.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { TEMPLATE_PARAMETER_MAX, type Template } from '../../jelou/templates.js';
import { catalogue, type Locale } from '../i18n/index.js';
import { ActionId, BlockId, CallbackId, templateParamBlockId } from '../ids.js';
import { userText } from '../mrkdwn.js';
import { clip, OPTION_VALUE_MAX, option, plain } from './elements.js';

/**
 * What the modal carries between its views and to the submission (its `private_metadata`): the
 * refused send it is for (`sendId`), or, opened from a preview, the draft holding the preview's
 * content and the preview's own submission key (its Send and this modal record the card once).
 * `generation` is bumped each time another template is picked: its parameters get new block ids.
 */
export type TemplateModalState = Readonly<
  { sendId: string; generation: number } | { draftId: string; key: string; generation: number }
>;

export type TemplateModalInput = Readonly<{
  state: TemplateModalState;
  locale: Locale;
  recipientLabel: string;
  cardName: string;
  /** `undefined` while loading; `'unavailable'` when Jelou did not list them. */
  templates: readonly Template[] | 'unavailable' | undefined;
  /** The template picked, and the values to show in its parameters. */
  chosen?: Readonly<{ template: Template; values: readonly string[] }> | undefined;
}>;

/** A template's option value: what the submission needs to send it, within Slack's 150 characters. */
export function templateOptionValue(template: Template): string {
  return clip(`${template.paramsNumber}|${template.language}|${template.elementName}`, OPTION_VALUE_MAX);
}

/** Reads a {@link templateOptionValue} back; `undefined` for anything else. */
export function readTemplateOptionValue(
  value: string | undefined,
): { paramsNumber: number; language: string; elementName: string } | undefined {
  const match = /^(\d{1,2})\|([^|]{1,20})\|(.+)$/u.exec(value ?? '');
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { paramsNumber: Number(match[1]), language: match[2], elementName: match[3] };
}

/**
 * The values a template's parameters start with: the customer's name first, the sender's second,
 * the rest empty. Most follow-up templates greet the customer and say who writes.
 */
export function prefilledValues(paramsNumber: number, customer: string, sender: string): string[] {
  return Array.from({ length: paramsNumber }, (_, index) =>
    index === 0 ? customer : index === 1 ? sender : '',
  );
}

const MAX_OPTIONS = 100;
const PARAMETER_FIELD_MAX = 150;

export function templateModal(input: TemplateModalInput): ModalView {
  const t = catalogue(input.locale).template;
  const base = {
    type: 'modal' as const,
    callback_id: CallbackId.TemplateModal,
    private_metadata: JSON.stringify(input.state),
    title: plain(t.title),
    close: plain(catalogue(input.locale).modal.cancel),
  };
  const intro: KnownBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: t.intro(userText(clip(input.recipientLabel, 200)), userText(clip(input.cardName, 200))),
    },
  };
  if (input.templates === undefined) {
    return { ...base, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: t.loading } }] };
  }
  if (input.templates === 'unavailable' || input.templates.length === 0) {
    const text = input.templates === 'unavailable' ? t.unavailable : t.none;
    return { ...base, blocks: [intro, { type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const options: PlainTextOption[] = input.templates
    .slice(0, MAX_OPTIONS)
    .map((template) => option(template.label, templateOptionValue(template)));
  const chosen = input.chosen;
  const initial = chosen ? options.find((o) => o.value === templateOptionValue(chosen.template)) : undefined;
  const picker: InputBlock = {
    type: 'input',
    block_id: BlockId.TemplatePick,
    dispatch_action: true,
    label: plain(t.pick),
    element: {
      type: 'static_select',
      action_id: ActionId.TemplateSelect,
      placeholder: plain(t.pickPlaceholder),
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
  const blocks: KnownBlock[] = [
    intro,
    { type: 'context', elements: [{ type: 'mrkdwn', text: t.cost }] },
    picker,
  ];
  if (chosen) {
    if (chosen.template.text) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'plain_text', text: clip(chosen.template.text, 2000) }],
      });
    }
    chosen.values.forEach((value, index) => {
      blocks.push({
        type: 'input',
        block_id: templateParamBlockId(input.state.generation, index),
        label: plain(t.parameter(index + 1)),
        hint: plain(t.parameterHint(TEMPLATE_PARAMETER_MAX)),
        element: {
          type: 'plain_text_input',
          action_id: ActionId.Value,
          // Longer than Jelou accepts on purpose: a longer prefilled name shows, with the inline error.
          max_length: PARAMETER_FIELD_MAX,
          ...(value !== '' ? { initial_value: clip(value, PARAMETER_FIELD_MAX) } : {}),
        },
      });
    });
  }
  return { ...base, submit: plain(t.submit), blocks };
}
