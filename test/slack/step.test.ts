/** The workflow step's inputs and outcomes, as data. */
import { describe, expect, it } from 'vitest';
import { StepInput, StepOutput } from '../../src/slack/ids.js';
import {
  contactFromInputs,
  functionExecutionOf,
  readStepInputs,
  recipientOf,
  stepCompletion,
  stepMessage,
  stepSubmissionKey,
} from '../../src/slack/step.js';
import type { SendRecord } from '../../src/store/types.js';
import { sendRecord } from './helpers.js';

describe('step inputs', () => {
  it('reads absent and empty optional inputs as absent, and a mis-typed one as absent', () => {
    expect(
      readStepInputs({
        [StepInput.Recipient]: '+593991234567',
        [StepInput.Name]: 'Juan',
        [StepInput.Phone]: '',
        [StepInput.Email]: 42,
      }),
    ).toEqual({ recipient: '+593991234567', name: 'Juan' });
  });

  it('refuses a card owner that is not a user id, or a result channel that is not a channel id', () => {
    expect(readStepInputs({ [StepInput.CardOwner]: 'C0SUPPORT' })).toBeUndefined();
    expect(readStepInputs({ [StepInput.ResultChannel]: 'U0ALICE' })).toBeUndefined();
    expect(
      readStepInputs({ [StepInput.CardOwner]: 'U0ALICE', [StepInput.ResultChannel]: 'C0SUPPORT' }),
    ).toMatchObject({
      card_owner: 'U0ALICE',
      result_channel: 'C0SUPPORT',
    });
  });

  it('reads digits alone or a business-scoped id as a Jelou user id, anything else as a typed number', () => {
    expect(recipientOf('593991234567')).toEqual({ userId: '593991234567' });
    expect(recipientOf(' 5215512345678 ')).toEqual({ userId: '5215512345678' });
    expect(recipientOf('US.13491208655302741918')).toEqual({ userId: 'US.13491208655302741918' });
    expect(recipientOf(' +593 99 123 4567 ')).toBe('+593 99 123 4567');
    expect(recipientOf(undefined)).toBe('');
  });

  it('sends a Jelou user id verbatim, as the picker does', () => {
    for (const userId of ['5215512345678', 'US.13491208655302741918', '5511987654321']) {
      const built = stepMessage(userId, { formattedName: 'Juan Pérez' }, false, 'en', {
        defaultCountry: 'EC',
      });
      expect(built).toMatchObject({ ok: true, message: { userId } });
    }
  });

  it('names the input to fix, once per input, in the language asked for', () => {
    const inputs = readStepInputs({ [StepInput.Recipient]: '12', [StepInput.Email]: 'not-an-email' });
    if (!inputs) throw new Error('inputs refused');
    const built = stepMessage(inputs.recipient, contactFromInputs(inputs), false, 'es', {
      defaultCountry: 'EC',
    });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    const named = built.error.split(/(?<=\.) /u).map((sentence) => sentence.split(':')[0]);
    expect(named).toEqual([StepInput.Recipient, StepInput.Name, StepInput.Email]);
  });
});

/** A send made for the workflow step `Fx1`. */
const send = (fields: Partial<SendRecord>): SendRecord =>
  sendRecord({ submissionKey: stepSubmissionKey('Fx1'), ...fields });

describe('step outcome', () => {
  it('knows which sends belong to a step', () => {
    expect(functionExecutionOf(send({}))).toBe('Fx1');
    expect(functionExecutionOf(send({ submissionKey: 'V1:hash' }))).toBeUndefined();
  });

  it('completes a sent card with its message id, an uncertain one with its reason, and fails a refused one', () => {
    const reason = { en: 'Refused.', es: 'Rechazada.' };
    expect(stepCompletion(send({ status: 'sent', messageId: 'm1' }))).toStrictEqual({
      kind: 'success',
      outputs: { [StepOutput.Status]: 'sent', [StepOutput.MessageId]: 'm1' },
    });
    expect(stepCompletion(send({ status: 'unknown', reason, locale: 'es' }))).toStrictEqual({
      kind: 'success',
      outputs: { [StepOutput.Status]: 'unknown', [StepOutput.Reason]: 'Rechazada.' },
    });
    expect(stepCompletion(send({ status: 'failed', reason }))).toStrictEqual({
      kind: 'error',
      error: 'Refused.',
    });
    expect(stepCompletion(send({ status: 'sending' }))).toStrictEqual({ kind: 'not_yet' });
  });
});
