/**
 * The "Send WhatsApp contact card" workflow step, translated to and from the domain: its inputs
 * (as Workflow Builder hands them over in `function_executed`) become the same Jelou body the
 * modal builds, with the same checks; a finished send becomes the step's outputs or its error.
 * Pure: no Slack calls here (see listeners/functions and workflow-step.ts for those).
 */
import { z } from 'zod';
import {
  buildContactsMessage,
  CardInvalidError,
  type CardIssue,
  type CardOptions,
  type ContactInput,
  type ContactsMessage,
  describeCardIssue,
} from '../card/index.js';
import type { Locale } from '../errors.js';
import type { SendRecord } from '../store/types.js';
import { catalogue } from './i18n/index.js';
import { StepInput, StepOutput } from './ids.js';

// Workflow Builder leaves an optional input out, or passes '' when a variable it maps is empty;
// a value of another type (a misconfigured mapping) reads as empty and is then reported as missing.
const text = z
  .string()
  .optional()
  .catch(undefined)
  .transform((value) => (value?.trim() ? value : undefined));

/** The step's inputs; ids are Slack's own (`U…`, `C…`), checked before anything uses them. */
export const stepInputsSchema = z.object({
  [StepInput.Recipient]: text,
  [StepInput.Name]: text,
  [StepInput.Phone]: text,
  [StepInput.Email]: text,
  [StepInput.Company]: text,
  [StepInput.Title]: text,
  [StepInput.Website]: text,
  [StepInput.CardOwner]: text.pipe(
    z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/)
      .optional(),
  ),
  [StepInput.ResultChannel]: text.pipe(
    z
      .string()
      .regex(/^[CDG][A-Z0-9]{2,}$/)
      .optional(),
  ),
});
export type StepInputs = z.infer<typeof stepInputsSchema>;

/** The step's inputs, or `undefined` when a Slack id input does not hold a Slack id. */
export function readStepInputs(raw: unknown): StepInputs | undefined {
  const parsed = stepInputsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : undefined;
}

/** The card the fields describe (the card owner's profile replaces them when given). */
export function contactFromInputs(inputs: StepInputs): ContactInput {
  return {
    formattedName: inputs.name,
    ...(inputs.phone ? { phones: [{ number: inputs.phone, type: 'Mobile' }] } : {}),
    ...(inputs.email ? { emails: [{ address: inputs.email, type: 'Work' }] } : {}),
    ...(inputs.company ? { company: inputs.company } : {}),
    ...(inputs.title ? { title: inputs.title } : {}),
    ...(inputs.website ? { urls: [{ url: inputs.website }] } : {}),
  };
}

/**
 * The recipient as the card's domain reads it. Only digits is a Jelou user id (E.164 without '+',
 * what the modal's picker holds), which needs the '+' to be read as international; anything else
 * is a number as a person typed it, read exactly as the modal reads a typed number.
 */
export function recipientText(recipient: string | undefined): string {
  const trimmed = recipient?.trim() ?? '';
  return /^\d+$/.test(trimmed) ? `+${trimmed}` : trimmed;
}

/** Which step input an issue of the built message is about, by its path in the domain. */
function inputOf(issue: CardIssue, fromProfile: boolean): string {
  const [head, , field] = issue.path;
  if (head === 'recipient') return StepInput.Recipient;
  if (fromProfile) return StepInput.CardOwner;
  switch (field) {
    case 'phones':
      return StepInput.Phone;
    case 'emails':
      return StepInput.Email;
    case 'company':
    case 'department':
      return StepInput.Company;
    case 'title':
      return StepInput.Title;
    case 'urls':
      return StepInput.Website;
    default:
      return StepInput.Name;
  }
}

export type StepMessage =
  | Readonly<{ ok: true; message: ContactsMessage }>
  | Readonly<{ ok: false; error: string }>;

/**
 * The Jelou body for the step, built exactly as the modal builds it; or the sentences (in
 * `locale`) naming each input to fix, for `functions.completeError`.
 */
export function stepMessage(
  recipient: string | undefined,
  contact: ContactInput,
  fromProfile: boolean,
  locale: Locale,
  options: CardOptions,
): StepMessage {
  try {
    return { ok: true, message: buildContactsMessage(recipientText(recipient), [contact], options) };
  } catch (error) {
    if (!(error instanceof CardInvalidError)) throw error;
    const t = catalogue(locale);
    const sentences = new Map<string, string>();
    for (const issue of error.issues) {
      const input = inputOf(issue, fromProfile);
      if (!sentences.has(input)) sentences.set(input, t.step.input(input, describeCardIssue(issue, locale)));
    }
    return { ok: false, error: [...sentences.values()].join(' ') };
  }
}

const STEP_KEY_PREFIX = 'step:';

/**
 * The submission key of a step's send: one send per function execution, so Slack delivering the
 * same `function_executed` twice (a retried event) records it once, and it says which execution
 * to complete when the send is over, even after a restart.
 */
export function stepSubmissionKey(functionExecutionId: string): string {
  return `${STEP_KEY_PREFIX}${functionExecutionId}`;
}

/** The function execution a send was made for, or `undefined` for a send made from a modal. */
export function functionExecutionOf(send: Pick<SendRecord, 'submissionKey'>): string | undefined {
  const key = send.submissionKey;
  return key?.startsWith(STEP_KEY_PREFIX) ? key.slice(STEP_KEY_PREFIX.length) : undefined;
}

/**
 * The channel of a step's send that posts its result nowhere: the workflow gets the outcome as the
 * step's outputs, and no `result_channel` was given.
 */
export const NO_RESULT_CHANNEL = '';

export type StepCompletion =
  | Readonly<{ kind: 'success'; outputs: Record<string, string> }>
  | Readonly<{ kind: 'error'; error: string }>
  | Readonly<{ kind: 'not_yet' }>;

/**
 * How a step ends once its send is over. Sent: success with the Jelou message id. Refused by
 * Jelou: the step fails with Jelou's reason. Unknown (a timeout, a crash mid-request): success
 * with status `unknown` and the reason, so the workflow can branch on it; failing the step would
 * invite someone to run the workflow again and perhaps send the card twice.
 */
export function stepCompletion(send: SendRecord): StepCompletion {
  switch (send.status) {
    case 'sent':
      return {
        kind: 'success',
        outputs: { [StepOutput.Status]: 'sent', [StepOutput.MessageId]: send.messageId ?? '' },
      };
    case 'failed':
      return { kind: 'error', error: send.reason?.[send.locale] ?? send.errorCode ?? 'failed' };
    case 'unknown':
      return {
        kind: 'success',
        outputs: {
          [StepOutput.Status]: 'unknown',
          [StepOutput.Reason]: send.reason?.[send.locale] ?? send.errorCode ?? 'unknown',
        },
      };
    default:
      return { kind: 'not_yet' };
  }
}
