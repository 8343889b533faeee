/**
 * The manifest's parts for the workflow step and the message shortcut: the step's contract (every
 * input and output in ids.ts, with the types admins map variables to), and the settings Slack
 * requires of an app with custom steps.
 */
import { describe, expect, it } from 'vitest';
import { buildManifest, manifestSchema } from '../manifest/index.js';
import { Event, MessageShortcut, StepInput, StepOutput, WorkflowStep } from '../src/slack/ids.js';

const variants = [
  ['Socket Mode', buildManifest({ mode: 'socket' })],
  ['HTTP', buildManifest({ mode: 'http', baseUrl: 'https://cards.example.com' })],
] as const;

describe.each(variants)('%s manifest', (_name, manifest) => {
  const step = manifest.functions?.[WorkflowStep.SendCard];

  it('declares the step with every input and output the contract names', () => {
    expect(Object.keys(step?.input_parameters ?? {}).sort()).toEqual(Object.values(StepInput).sort());
    expect(Object.keys(step?.output_parameters ?? {}).sort()).toEqual(Object.values(StepOutput).sort());
  });

  it('requires the recipient and the name, and types the card owner and the result channel as Slack ids', () => {
    const inputs = step?.input_parameters ?? {};
    const required = Object.entries(inputs)
      .filter(([, param]) => param.is_required)
      .map(([name]) => name);
    expect(required.sort()).toEqual([StepInput.Name, StepInput.Recipient].sort());
    expect(inputs[StepInput.CardOwner]?.type).toBe('slack#/types/user_id');
    expect(inputs[StepInput.ResultChannel]?.type).toBe('slack#/types/channel_id');
    expect(step?.output_parameters[StepOutput.Status]?.is_required).toBe(true);
  });

  it('is org-ready, runs the step remotely and subscribes to function_executed', () => {
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    expect(manifest.settings.function_runtime).toBe('remote');
    expect(manifest.settings.event_subscriptions?.bot_events).toContain(Event.FunctionExecuted);
  });

  it('offers the message shortcut', () => {
    const shortcut = manifest.features.shortcuts?.find((s) => s.callback_id === MessageShortcut.SendCard);
    expect(shortcut?.type).toBe('message');
  });
});

describe('the manifest schema', () => {
  const manifest = buildManifest({ mode: 'socket' });

  it('refuses functions without org deployment, the remote runtime or function_executed', () => {
    const settings = manifest.settings;
    const broken = [
      { ...manifest, settings: { ...settings, org_deploy_enabled: false } },
      { ...manifest, settings: { ...settings, function_runtime: undefined } },
      {
        ...manifest,
        settings: { ...settings, event_subscriptions: { bot_events: [Event.AppHomeOpened] } },
      },
    ];
    for (const candidate of broken) expect(manifestSchema.safeParse(candidate).success).toBe(false);
    expect(manifestSchema.safeParse(manifest).success).toBe(true);
  });

  it("refuses a parameter whose name is not its key, or of a type Slack's steps do not have", () => {
    const step = manifest.functions?.[WorkflowStep.SendCard];
    if (!step) throw new Error('no step');
    const withParam = (param: unknown) => ({
      ...manifest,
      functions: { [WorkflowStep.SendCard]: { ...step, input_parameters: { recipient: param } } },
    });
    const recipient = step.input_parameters[StepInput.Recipient];
    expect(manifestSchema.safeParse(withParam({ ...recipient, name: 'other' })).success).toBe(false);
    expect(manifestSchema.safeParse(withParam({ ...recipient, type: 'phone' })).success).toBe(false);
  });
});
