/**
 * Shared helpers for the Slack view tests: a typed SendRecord factory, `view.state.values` built
 * from a view the way Slack builds it, and one checker for the Block Kit limits Slack enforces.
 */
import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import type { SendRecord } from '../../src/store/types.js';

/** A send as the store returns it; override what the test is about. */
export function sendRecord(overrides: Partial<SendRecord> = {}): SendRecord {
  return {
    id: 'send-0001',
    teamId: 'T0STANDIN',
    requestedBy: 'U0ALICE',
    channelId: 'C0SUPPORT',
    recipientId: '593991234567',
    recipientLabel: 'María López · +593 99 123 4567',
    cardName: 'Juan Pérez',
    body: '{"type":"contacts"}',
    dryRun: false,
    locale: 'en',
    status: 'pending',
    attempts: 1,
    messageId: undefined,
    errorCode: undefined,
    errorStatus: undefined,
    reason: undefined,
    notification: undefined,
    createdAt: '2025-06-01T12:00:00.000Z',
    updatedAt: '2025-06-01T12:00:00.000Z',
    ...overrides,
  };
}

import { inputBlocks } from '../support/slack-payloads.js';

export { blockLimitViolations, modalLimitViolations } from '../support/block-kit-limits.js';
export {
  CHANNEL,
  type ElementState,
  type FormAnswers as Answers,
  inputBlock,
  inputBlockIds,
  inputBlocks,
  isInputBlock,
  type StateValues,
  stateValuesFor,
} from '../support/slack-payloads.js';

/** Whether `text` holds a UTF-16 surrogate without its pair (what a careless `slice` leaves behind). */
export function hasLoneSurrogate(text: string): boolean {
  // With the `u` flag a well-formed pair is one code point, so only a lone half matches.
  return /[\uD800-\uDFFF]/u.test(text);
}

/** The value an input starts with: text, option(s) or date; `undefined` when it starts empty. */
export function initialOf(block: InputBlock): string | PlainTextOption | PlainTextOption[] | undefined {
  const element = block.element;
  switch (element.type) {
    case 'plain_text_input':
      return element.initial_value;
    case 'static_select':
    case 'external_select':
      return element.initial_option;
    case 'multi_external_select':
      return element.initial_options;
    case 'datepicker':
      return element.initial_date;
    default:
      return undefined;
  }
}

/** Block id → initial value, for every input of `view` that starts with one. */
export function initialValues(view: ModalView): Record<string, string | PlainTextOption | PlainTextOption[]> {
  const out: Record<string, string | PlainTextOption | PlainTextOption[]> = {};
  for (const block of inputBlocks(view)) {
    const initial = initialOf(block);
    if (initial !== undefined) out[block.block_id ?? ''] = initial;
  }
  return out;
}

/** Options of the static select in `block`; fails the test when it holds something else. */
export function staticOptions(block: InputBlock): PlainTextOption[] {
  if (block.element.type !== 'static_select') throw new Error(`${block.block_id} is not a static_select`);
  return block.element.options ?? [];
}

/** A plain-text option as the views build them. */
export function opt(text: string, value = text): PlainTextOption {
  return { text: { type: 'plain_text', text, emoji: true }, value };
}
