/**
 * The README's pictures as data: each view built by the app's own pure view functions from records
 * as the store holds them (the card form, the preview, the template modal and the channel message
 * in each state staff meet). Every date is fixed, so a re-run draws the same pictures.
 * scripts/render-views.ts turns them into PNGs; test/scripts/shots.test.ts checks each can be drawn.
 */
import { buildContactsMessage, type ContactInput } from '../src/card/index.js';
import { ErrorCode, sentenceFor } from '../src/errors.js';
import { OwnCode, REASONS, withJelouDescription } from '../src/jelou/reasons.js';
import type { Template } from '../src/jelou/templates.js';
import { encodeMetadata, type PreviewContent, type Recipient } from '../src/slack/metadata.js';
import { cardFormView, INITIAL_ROWS } from '../src/slack/views/card-form.js';
import { notificationMessage } from '../src/slack/views/notification.js';
import { previewView } from '../src/slack/views/preview.js';
import { prefilledValues, templateModal } from '../src/slack/views/template.js';
import { windowNote } from '../src/slack/window-notes.js';
import type { SendRecord } from '../src/store/types.js';
import { JUAN_TYPED } from '../test/support/juan.js';
import { messagePage, modalPage, type Names, PAGE_WIDTH } from './block-kit-html.js';

// Slack's documentation example ids: plainly placeholders, and valid for the views' own checks.
const CHANNEL_ID = 'C024BE91L';
const USER_ID = 'U024BE7LH';

/**
 * The names Slack would show for those ids (it draws `<@U…>` as the person's display name and a
 * channel as `#name`); saved as `docs/images/names.json` beside the views that mention them.
 */
export const NAMES: Names = { users: { [USER_ID]: 'Ana Torres' }, channels: { [CHANNEL_ID]: 'sales' } };

/** Jelou's seed example card (the one its "send a contact card" page shows), as typed in the form. */
const JUAN: ContactInput = JUAN_TYPED;

/** As the recipient picker hands it over: the WhatsApp user id and the label the person chose. */
const MARIA: Recipient = { id: '593991234567', label: 'María López · +593 99 123 4567' };

/** The moment the pictures of the 24-hour window are seen: María last wrote three days before. */
const NOW = new Date('2025-03-14T14:10:00.000Z');
const MARIA_LAST_WROTE = new Date('2025-03-11T09:41:00.000Z');

/** When the card to María was refused, and the template went out ahead of it ("sent 14:02"). */
const REFUSED_AT = '2025-03-14T14:01:30.000Z';
const TEMPLATE_SENT_AT = '2025-03-14T14:02:00.000Z';
/** AWAIT_REPLY_HOURS' default, 72, after the template. */
const WAIT_UNTIL = '2025-03-17T14:02:00.000Z';

/**
 * Two of a bot's approved templates as Jelou lists them (the stand-in's, in test/support):
 * what `TemplateApi.list` makes of them.
 */
const FOLLOW_UP: Template = {
  elementName: 'card_follow_up',
  label: 'Card follow-up',
  language: 'es',
  paramsNumber: 2,
  text: 'Hola {{1}}, {{2}} quiere enviarte una tarjeta de contacto. Responde a este mensaje para recibirla.',
};
const HELLO_AGAIN: Template = {
  elementName: 'hello_again',
  label: 'Hello again',
  language: 'en',
  paramsNumber: 1,
  text: 'Hi {{1}}! Reply to this message to continue.',
};

export type Shot = Readonly<{
  name: string;
  json: unknown;
  page: (json: unknown, names: Names, now?: Date) => string;
  width: number;
  /** The moment the picture is seen, for a view that says how long ago something was. */
  now?: Date;
}>;

/** Every picture of the README, in the order they are drawn; pure, so a test can draw them too. */
export function buildShots(): Shot[] {
  const form = cardFormView({
    locale: 'en',
    channelId: CHANNEL_ID,
    rows: INITIAL_ROWS,
    contact: JUAN,
    recipients: [MARIA],
  });

  // The same steps as the form's submission handler, so the preview is the one the app would show.
  const message = buildContactsMessage(`+${MARIA.id}`, [JUAN]);
  const metadata: PreviewContent = {
    channelId: CHANNEL_ID,
    recipients: [{ id: message.userId, label: MARIA.label }],
    contacts: message.contacts,
  };
  const privateMetadata = encodeMetadata(metadata);
  if (privateMetadata === undefined) throw new Error('the example card does not fit private_metadata');
  const preview = previewView({
    locale: 'en',
    recipientLabels: [MARIA.label],
    contacts: message.contacts,
    privateMetadata,
  });
  // The same preview when the bot's history shows María last wrote three days ago (as the form's
  // preview asks windowNote, with the history already read), and Send a template first beside Send.
  const previewWindowClosed = previewView({
    locale: 'en',
    recipientLabels: [MARIA.label],
    contacts: message.contacts,
    privateMetadata,
    window: windowNote(
      metadata.recipients,
      () => ({ kind: 'seen', at: MARIA_LAST_WROTE }),
      'en',
      NOW.getTime(),
    ),
    offerTemplate: true,
  });

  const sent: SendRecord = {
    id: '7d1f6c2e-3b8a-4f0d-9c5e-2a4b6d8f0e13',
    submissionKey: undefined,
    teamId: 'T024BE7LD',
    requestedBy: USER_ID,
    channelId: CHANNEL_ID,
    recipientId: message.userId,
    recipientLabel: MARIA.label,
    cardName: JUAN.formattedName ?? '',
    body: JSON.stringify(message),
    dryRun: false,
    locale: 'en',
    status: 'sent',
    attempts: 1,
    messageId: '3f9c1e2a-5b7d-4c8e-9a1f-2d6b8e4c7a10',
    errorCode: undefined,
    errorStatus: undefined,
    reason: undefined,
    notification: { kind: 'message', channel: CHANNEL_ID, ts: '1735689600.000100' },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:02.000Z',
  };

  // The states a card to María goes through when her 24-hour window is closed, and after a send.
  const refused: SendRecord = {
    ...sent,
    status: 'failed',
    messageId: undefined,
    errorCode: OwnCode.OutsideWindow,
    errorStatus: 400,
    reason: REASONS[OwnCode.OutsideWindow],
    createdAt: '2025-03-14T14:01:28.000Z',
    updatedAt: REFUSED_AT,
  };
  const awaiting: SendRecord = {
    ...refused,
    status: 'awaiting_reply',
    errorCode: undefined,
    errorStatus: undefined,
    reason: undefined,
    awaiting: {
      template: FOLLOW_UP.elementName,
      since: TEMPLATE_SENT_AT,
      until: WAIT_UNTIL,
      templateMessageId: '8c2d4e6f-1a3b-4c5d-9e7f-0a1b2c3d4e5f',
    },
    updatedAt: '2025-03-14T14:02:01.000Z',
  };
  const template = templateModal({
    state: { sendId: refused.id, generation: 1 },
    locale: 'en',
    recipientLabel: refused.recipientLabel,
    cardName: refused.cardName,
    templates: [FOLLOW_UP, HELLO_AGAIN],
    // As the listener prefills them: the customer's first name, then the sender's (Ana Torres).
    chosen: { template: FOLLOW_UP, values: prefilledValues(FOLLOW_UP.paramsNumber, 'María', 'Ana') },
  });
  const read: SendRecord = { ...sent, receipt: 'read', updatedAt: '2025-01-01T00:03:40.000Z' };
  const failedAfterAcceptance: SendRecord = {
    ...sent,
    status: 'failed',
    receipt: 'delivered_channel',
    errorCode: ErrorCode.FailedAfterAcceptance,
    reason: withJelouDescription(sentenceFor(ErrorCode.FailedAfterAcceptance), 'Message undeliverable'),
    updatedAt: '2025-01-01T00:00:09.000Z',
  };
  // Jelou answered 503 with its own error body twice: the card waits, and is tried again at 14:32.
  const outage: SendRecord = {
    ...sent,
    status: 'pending',
    attempts: 2,
    messageId: undefined,
    errorCode: OwnCode.Unavailable,
    errorStatus: 503,
    reason: REASONS[OwnCode.Unavailable],
    nextAttemptAt: '2025-03-14T14:32:00.000Z',
    retryUntil: '2025-03-14T14:45:00.000Z',
    createdAt: '2025-03-14T14:30:00.000Z',
    updatedAt: '2025-03-14T14:31:00.000Z',
  };

  // One card to three people: one outside WhatsApp's 24-hour window, so Retry is offered for them.
  const batchId = '0b6f2c84-9d3e-4a17-8f5b-6c2e1d9a4b70';
  const people = [
    MARIA,
    { id: '593987654321', label: 'Pedro Andrade · +593 98 765 4321' },
    { id: '573001234567', label: 'Camila Rojas · +57 300 123 4567' },
  ];
  const batch: SendRecord[] = people.map((person, i) => ({
    ...sent,
    id: `${batchId.slice(0, -1)}${i}`,
    batchId,
    recipientId: person.id,
    recipientLabel: person.label,
    body: JSON.stringify({ ...message, userId: person.id }),
    ...(i === 1
      ? {
          status: 'failed' as const,
          messageId: undefined,
          errorCode: OwnCode.OutsideWindow,
          errorStatus: 400,
          reason: REASONS[OwnCode.OutsideWindow],
        }
      : { messageId: `3f9c1e2a-5b7d-4c8e-9a1f-2d6b8e4c7a1${i}` }),
  }));

  return [
    { name: 'modal', json: form, page: modalPage, width: PAGE_WIDTH.modal },
    { name: 'preview', json: preview, page: modalPage, width: PAGE_WIDTH.modal },
    { name: 'notification', json: notificationMessage(sent), page: messagePage, width: PAGE_WIDTH.message },
    {
      name: 'batch',
      json: notificationMessage(batch[0] ?? sent, batch),
      page: messagePage,
      width: PAGE_WIDTH.message,
    },
    {
      name: 'preview-window-closed',
      json: previewWindowClosed,
      page: modalPage,
      width: PAGE_WIDTH.modal,
      now: NOW,
    },
    {
      name: 'refused-window',
      json: notificationMessage(refused),
      page: messagePage,
      width: PAGE_WIDTH.message,
    },
    { name: 'template', json: template, page: modalPage, width: PAGE_WIDTH.modal },
    {
      name: 'awaiting-reply',
      json: notificationMessage(awaiting),
      page: messagePage,
      width: PAGE_WIDTH.message,
    },
    { name: 'receipt-read', json: notificationMessage(read), page: messagePage, width: PAGE_WIDTH.message },
    {
      name: 'failed-after-acceptance',
      json: notificationMessage(failedAfterAcceptance),
      page: messagePage,
      width: PAGE_WIDTH.message,
    },
    {
      name: 'outage-waiting',
      json: notificationMessage(outage),
      page: messagePage,
      width: PAGE_WIDTH.message,
    },
  ];
}
