/**
 * What the template tests (issue 15) read and do the same way whichever path leads to a template:
 * the channel message as Slack shows it, the modal on screen, picking a template, and a customer
 * outside WhatsApp's 24-hour window.
 */
import type { ModalView, PlainTextOption } from '@slack/types';
import { ActionId, BlockId } from '../../src/slack/ids.js';
import { type Harness, SECRETS, startHarness } from './harness.js';
import type { JelouStandIn } from './jelou-standin.js';
import { JUAN_RECIPIENT_ID } from './juan.js';
import { ALICE, type OpenedView, viewButtonClick } from './slack-payloads.js';
import type { SlackCall, SlackStandIn } from './slack-standin.js';

export const HOUR = 60 * 60_000;

/** The customer as the recipient picker labels them. */
export const MARIA_LABEL = 'María López · +593 99 123 4567';

/** The header the admin set in Jelou's notification URL settings. */
export const webhookHeaders = { authorization: `Bearer ${SECRETS.webhookSecret}` };

export type Block = {
  type: string;
  block_id?: string;
  text?: { text?: string };
  elements?: { type: string; text?: string; action_id?: string; value?: string }[];
  accessory?: { action_id?: string };
};

/** The channel message as the app last posted or updated it. */
export function lastNotice(slack: SlackStandIn): SlackCall | undefined {
  return slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update').at(-1);
}

export function headline(call: SlackCall | undefined): string {
  return ((call?.args.blocks ?? []) as Block[]).find((b) => b.type === 'section')?.text?.text ?? '';
}

export function contextLines(call: SlackCall | undefined): string[] {
  return ((call?.args.blocks ?? []) as Block[])
    .filter((b) => b.type === 'context')
    .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ''));
}

/** The view the app last opened, pushed or updated, as Slack now shows it (id and hash from Slack's answer). */
export function currentView(slack: SlackStandIn): OpenedView {
  const call = slack.calls
    .filter((c) => c.method === 'views.open' || c.method === 'views.push' || c.method === 'views.update')
    .at(-1);
  const answer = call?.answer as { view?: { id: string; hash: string } } | undefined;
  if (!call || !answer?.view) throw new Error('no view on screen');
  return { ...(call.args.view as ModalView), id: answer.view.id, hash: answer.view.hash };
}

/** The template modal's option for `elementName`; throws when the modal does not offer it. */
export function templateOption(view: OpenedView, elementName: string): PlainTextOption {
  const picker = view.blocks.find((b) => b.block_id === BlockId.TemplatePick) as
    | { element: { options: PlainTextOption[] } }
    | undefined;
  const option = picker?.element.options.find((o) => o.value?.endsWith(`|${elementName}`));
  if (!option) throw new Error(`${elementName} is not offered`);
  return option;
}

/** The block_actions payload of picking `option` in the template modal `view`. */
export function selectTemplate(view: OpenedView, option: PlainTextOption) {
  return {
    ...viewButtonClick(view, ActionId.TemplateSelect, BlockId.TemplatePick),
    actions: [
      {
        type: 'static_select',
        action_id: ActionId.TemplateSelect,
        block_id: BlockId.TemplatePick,
        selected_option: option,
        action_ts: '1',
      },
    ],
  };
}

/**
 * María last wrote three days ago: WhatsApp's window is closed and Jelou refuses a card. The
 * template's second parameter is the sender's first name, from their Slack profile.
 */
export function closeWindow(h: { slack: SlackStandIn; jelou: JelouStandIn }): Date {
  h.slack.setProfile(ALICE.id, { first_name: 'Alice', real_name: 'Alice Smith' });
  h.jelou.enforceWindow(true);
  const wrote = new Date(Date.now() - 72 * HOUR);
  h.jelou.setConversations([
    { userId: JUAN_RECIPIENT_ID, name: 'María López', messages: [{ by: 'user', at: wrote }] },
  ]);
  return wrote;
}

/**
 * The app with María outside the window, hearing her answer only through Jelou's notification URL
 * (polling as good as off), as most template tests need it.
 */
export async function startHeardByWebhook(): Promise<Harness> {
  const h = await startHarness({ JELOU_WEBHOOK_SECRET: SECRETS.webhookSecret, JELOU_POLL_SECONDS: '3600' });
  closeWindow(h);
  h.jelou.setNotificationUrl(h.jelouEventsUrl, webhookHeaders);
  return h;
}
