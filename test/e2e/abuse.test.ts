/**
 * Requests that are not what Slack sends, through the app's real HTTP receiver: bad or missing
 * signatures, replays, oversized and malformed bodies, interactions the app does not handle,
 * forged view submissions, and people outside the allowed lists. Each is refused and leaves no
 * trace: no request to Jelou, no row in the SQLite file, no message in Slack.
 */
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionId, BlockId, CallbackId } from '../../src/slack/ids.js';
import { previewContentSchema } from '../../src/slack/metadata.js';
import { databasePath } from '../../src/store/sqlite.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { json } from '../support/jelou-standin.js';
import { JUAN_BODY, JUAN_FORM } from '../support/juan.js';
import {
  ALICE,
  CHANNEL,
  MALLORY,
  messageButtonClick,
  type OpenedView,
  type SlackUser,
  viewSubmission,
} from '../support/slack-payloads.js';
import { payloadBody, type SlackHttpResponse, signatureFor } from '../support/slack-requests.js';
import { RESPONSE_URL, type SlackCall } from '../support/slack-standin.js';

let h: Harness;
afterEach(async () => h?.stop());

const OUT_OF_DATE = /out of date/;
const NOT_ALLOWED = /^Sorry, you can't send contact cards/;
const now = () => Math.floor(Date.now() / 1000);

type Row = { status: string; card_name: string; attempts: number; message_id: string | null };

/** Every send in the app's SQLite file, read beside the app through a read-only connection. */
function rows(): Row[] {
  const db = new Database(databasePath(h.config.databaseUrl), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[], Row>(
        'SELECT status, card_name, attempts, message_id FROM sends ORDER BY created_at, rowid',
      )
      .all();
  } finally {
    db.close();
  }
}

/** What a request that got through would leave behind. */
function traces() {
  return {
    jelou: h.jelou.requestsTo('messages').length,
    rows: rows().length,
    posts: h.slack.callsTo('chat.postMessage').length,
  };
}

const NO_TRACE = { jelou: 0, rows: 0, posts: 0 };

/** Pressing Send on `view` as `user`: the body Slack would post. */
function sendBody(view: OpenedView, user: SlackUser = ALICE): string {
  return payloadBody(viewSubmission(view, {}, user));
}

function textOf(call: SlackCall): string {
  return String(call.args.text ?? '');
}

/** Waits for the notification of a send to say `pattern` (e.g. /Sent/). */
function notified(pattern: RegExp): Promise<SlackCall> {
  return h.slack.waitFor('chat.update', (call) => pattern.test(textOf(call)));
}

/** The app is still up: healthy, and `/jelou-card` still opens the form. */
async function expectHealthy(): Promise<void> {
  const base = h.eventsUrl.replace(/\/slack\/events$/, '');
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const form = await h.openForm();
  expect(form.callback_id).toBe(CallbackId.CardModal);
}

/** The genuine Send of `view` goes through and is the only send: proof the refused ones were ready to send. */
async function expectOnlyGenuineSend(view: OpenedView): Promise<void> {
  const response = await h.post(sendBody(view));
  expect(response.json).toEqual({ response_action: 'clear' });
  await notified(/^:white_check_mark: Sent/);
  expect(traces()).toEqual({ jelou: 1, rows: 1, posts: 1 });
  expect(h.jelou.requestsTo('messages')[0]?.body).toEqual(JUAN_BODY);
}

/**
 * A signed POST of raw bytes, for what `fetch` with a string body cannot send: binary bodies and
 * bodies without Content-Length (chunked). Resolves with the status as soon as the app answers,
 * even if it stops reading the body.
 */
function rawPost(url: string, headers: Record<string, string>, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // After the app has answered, a write it no longer reads may fail: the answer is what counts.
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** Headers Slack would send with `body`, signed with the app's own secret. */
function signedHeaders(body: Buffer, contentType: string, timestamp = now()): Record<string, string> {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    // Bolt verifies the signature over the body decoded as UTF-8, so sign exactly that text.
    'x-slack-signature': signatureFor(SECRETS.signingSecret, timestamp, body.toString('utf8')),
  };
}

type Answered = Readonly<{ case: string; status: number }>;

/** Each case's status, once all have answered (all awaited, so none is left failing unobserved). */
function answered(cases: Readonly<Record<string, Promise<SlackHttpResponse | number>>>): Promise<Answered[]> {
  return Promise.all(
    Object.entries(cases).map(async ([name, pending]) => {
      const response = await pending;
      return { case: name, status: typeof response === 'number' ? response : response.status };
    }),
  );
}

const all = (names: Readonly<Record<string, unknown>>, status: number): Answered[] =>
  Object.keys(names).map((name) => ({ case: name, status }));

describe('requests Slack did not sign', () => {
  it('are refused with 401 before any listener runs, and leave no trace', async () => {
    h = await startHarness();
    const view = await h.preview(await h.openForm(), JUAN_FORM);
    const body = sendBody(view);
    const timestamp = now();
    const cases = {
      'no signature': h.post(body, { signature: null }),
      'a wrong signature': h.post(body, { signature: `v0=${'0'.repeat(64)}` }),
      'a signature made with another secret': h.post(body, { signingSecret: 'not-the-signing-secret' }),
      'a timestamp 6 minutes old, signed with it': h.post(body, { timestamp: timestamp - 6 * 60 }),
      'a signature of another version': h.post(body, {
        signature: signatureFor(SECRETS.signingSecret, timestamp, body).replace(/^v0=/, 'v1='),
      }),
      'a signature without its version': h.post(body, {
        signature: signatureFor(SECRETS.signingSecret, timestamp, body).replace(/^v0=/, ''),
      }),
      // Signatures of earlier seconds below: none equals the signature of the genuine Send at the
      // end, so no case depends on the guard telling forgeries from replays (tested on its own below).
      'a timestamp that is not a number': h.post(body, {
        timestamp: Number.NaN,
        signature: signatureFor(SECRETS.signingSecret, timestamp - 2, body),
      }),
      'the signature of another timestamp': h.post(body, {
        timestamp: timestamp - 3,
        signature: signatureFor(SECRETS.signingSecret, timestamp - 4, body),
      }),
      'a body changed after signing (another user)': h.post(body.replace(ALICE.id, MALLORY.id), {
        timestamp: timestamp - 5,
        signature: signatureFor(SECRETS.signingSecret, timestamp - 5, body),
      }),
    };
    expect(await answered(cases)).toEqual(all(cases, 401));
    expect(traces()).toEqual(NO_TRACE);
    await expectHealthy();
    await expectOnlyGenuineSend(view);
  });

  /**
   * Bolt refuses only timestamps more than 5 minutes in the past; Slack's own rule is
   * |now - timestamp| > 5 minutes. A request dated ahead of the app's clock would stay "fresh" for
   * Bolt after the replay guard, which remembers a signature for 5 minutes, had forgotten it, and
   * could then be replayed. (Accepted, and the card sent, before 1179ec4.)
   */
  it('refuses a request dated 6 minutes in the future, and takes one 4 minutes ahead', async () => {
    h = await startHarness();
    const view = await h.preview(await h.openForm(), JUAN_FORM);
    const ahead = await h.post(sendBody(view), { timestamp: now() + 6 * 60 });
    expect(ahead.status).toBe(401);
    expect(traces()).toEqual(NO_TRACE);
    // Within Slack's 5 minutes either way: a clock a little behind Slack's must not refuse cards.
    const slightlyAhead = await h.post(sendBody(view), { timestamp: now() + 4 * 60 });
    expect(slightlyAhead.json).toEqual({ response_action: 'clear' });
    await notified(/^:white_check_mark: Sent/);
    expect(traces()).toEqual({ jelou: 1, rows: 1, posts: 1 });
  });

  /**
   * Only a verified signature may count as seen. Remembering every x-slack-signature header let
   * anyone grow the guard's memory for 5 minutes with made-up signatures, before any
   * authentication, and let a forgery carrying a copied signature get the genuine request refused
   * as a replay. (The genuine request was refused with 401 before 1179ec4.)
   */
  it('does not let a refused forgery use up the signature of the genuine request', async () => {
    h = await startHarness();
    const view = await h.preview(await h.openForm(), JUAN_FORM);
    const body = sendBody(view);
    const timestamp = now();
    const signature = signatureFor(SECRETS.signingSecret, timestamp, body);
    const forged = await h.post(body.replace(ALICE.id, MALLORY.id), { timestamp, signature });
    expect(forged.status).toBe(401);
    const genuine = await h.post(body, { timestamp, signature });
    expect(genuine.status).toBe(200);
    expect(genuine.json).toEqual({ response_action: 'clear' });
    await notified(/^:white_check_mark: Sent/);
    expect(traces()).toEqual({ jelou: 1, rows: 1, posts: 1 });
  });
});

describe('a replayed request', () => {
  it('is answered once: the identical signed Send sent again gets 401, and one card reaches Jelou', async () => {
    h = await startHarness();
    const view = await h.preview(await h.openForm(), JUAN_FORM);
    const body = sendBody(view);
    const timestamp = now();
    const first = await h.post(body, { timestamp });
    const replay = await h.post(body, { timestamp });
    expect([first.status, first.json]).toEqual([200, { response_action: 'clear' }]);
    expect(replay.status).toBe(401);
    await notified(/^:white_check_mark: Sent/);
    // Slack's own retry of the same submission is signed anew: answered, but it is the same send.
    const retried = await h.post(body, { timestamp: timestamp - 1 });
    expect(retried.json).toEqual({ response_action: 'clear' });
    await expectHealthy();
    expect(traces()).toEqual({ jelou: 1, rows: 1, posts: 1 });
    expect(rows()).toEqual([{ status: 'sent', card_name: 'Juan Pérez', attempts: 1, message_id: 'msg_1' }]);
  });
});

describe('bodies Slack never sends, signed', () => {
  it('are refused: 413 over 1 MiB, 400 when unparseable, 404 when no listener can tell what they are', async () => {
    h = await startHarness();
    const view = await h.preview(await h.openForm(), JUAN_FORM);
    const send = viewSubmission(view, {});
    const oversized = payloadBody({ ...send, padding: 'x'.repeat(1024 * 1024) });
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const huge = Buffer.from(oversized);
    // The receiver stops reading at its 1 MiB limit, with or without a Content-Length.
    const tooLarge = {
      'a Send padded past 1 MiB': h.post(oversized),
      'a Send padded past 1 MiB, chunked': rawPost(
        h.eventsUrl,
        // A second earlier: the same body signed in the same second would be refused as a replay.
        signedHeaders(huge, 'application/x-www-form-urlencoded', now() - 1),
        Array.from({ length: Math.ceil(huge.length / 65_536) }, (_, i) =>
          huge.subarray(i * 65_536, (i + 1) * 65_536),
        ),
      ),
    };
    // Bolt cannot parse the body at all.
    const unparseable = {
      '`payload=` that is not JSON': h.post('payload=%7Bnot%20json'),
      // JSON, but not an object: Bolt would read fields of null and crash the process.
      '`payload=null`': h.post('payload=null'),
      '`payload=[]`': h.post('payload=%5B%5D'),
      '`payload=` cut short': h.post(sendBody(view).slice(0, 200)),
      'binary garbage as JSON': rawPost(h.eventsUrl, signedHeaders(garbage, 'application/octet-stream'), [
        garbage,
      ]),
      'an empty JSON body': h.post('', { contentType: 'application/json' }),
    };
    // Parsed, but neither a command, an event nor an interaction: no listener acknowledges it, and
    // Bolt answers 404 after its 3-second wait (the HTTP receiver's unhandledRequestHandler).
    const unknown = {
      'form fields without `payload`': h.post('team_id=T0STANDIN&user_id=U0ALICE&text=%3C!channel%3E'),
      // Same bytes as a case above, so signed another second: the signature covers no content type.
      'binary garbage as form data': rawPost(
        h.eventsUrl,
        signedHeaders(garbage, 'application/x-www-form-urlencoded', now() - 2),
        [garbage],
      ),
      'the Send as JSON on a form content type': h.post(JSON.stringify(send)),
      'an empty form': h.post('', { timestamp: now() - 2 }),
    };
    const [refusedAsTooLarge, refusedAsUnparseable, leftUnanswered] = await Promise.all([
      answered(tooLarge),
      answered(unparseable),
      answered(unknown),
    ]);
    expect(refusedAsTooLarge).toEqual(all(tooLarge, 413));
    expect(refusedAsUnparseable).toEqual(all(unparseable, 400));
    expect(leftUnanswered).toEqual(all(unknown, 404));
    expect(traces()).toEqual(NO_TRACE);
    await expectHealthy();
    await expectOnlyGenuineSend(view);
  });
});

describe('interactions the app has no listener for, signed', () => {
  it('are left unacknowledged (404 after 3 seconds) and do nothing', async () => {
    h = await startHarness();
    const view = await h.preview(await h.openForm(), JUAN_FORM);
    const send = viewSubmission(view, {});
    const message = { channel: CHANNEL, ts: '1700000000.000001', blocks: [] };
    const click = messageButtonClick(
      message,
      { actionId: 'not_ours', blockId: BlockId.NotificationActions, value: 'x' },
      h.slack.responseUrl,
    );
    const cases = {
      'an unknown interaction type': h.post(payloadBody({ ...send, type: 'bogus_interaction' })),
      'a view submission of a modal that is not ours': h.post(
        payloadBody({ ...send, view: { ...send.view, callback_id: 'not_ours' } }),
      ),
      'a view closed event (the app asks for none)': h.post(payloadBody({ ...send, type: 'view_closed' })),
      'a button the app never drew': h.post(payloadBody(click)),
      'a global shortcut the app does not have': h.post(
        payloadBody({
          type: 'shortcut',
          callback_id: 'not_ours',
          trigger_id: 't',
          user: send.user,
          team: send.team,
        }),
      ),
    };
    expect(await answered(cases)).toEqual(all(cases, 404));
    expect(traces()).toEqual(NO_TRACE);
    await expectHealthy();
    await expectOnlyGenuineSend(view);
  });
});

/** What the app answered a view submission with, as far as these tests look at it. */
const viewAnswerSchema = z
  .object({
    response_action: z.string().optional(),
    errors: z.record(z.string(), z.string()).optional(),
    view: z
      .object({
        blocks: z.array(
          z.object({ type: z.string(), text: z.object({ text: z.string() }).loose().optional() }).loose(),
        ),
      })
      .loose()
      .optional(),
  })
  .loose();
type ViewAnswer = z.infer<typeof viewAnswerSchema>;

function viewAnswer(response: SlackHttpResponse): ViewAnswer {
  return viewAnswerSchema.parse(response.json ?? {});
}

/** The sentence of a `messageView` answer (the modal that only says why it cannot go on). */
function sentenceOf(answer: ViewAnswer): string {
  return answer.view?.blocks[0]?.text?.text ?? '';
}

/** The buttons of a notification as posted: their send ids travel in `value`. */
const notificationBlocksSchema = z.array(
  z
    .object({
      type: z.string(),
      elements: z.array(z.object({ value: z.string().optional() }).loose()).optional(),
    })
    .loose(),
);

/**
 * Forged view submissions. Slack requires a view_submission to be answered 200 (anything else
 * shows "We had some trouble connecting" and leaves the modal as it was), so these are refused
 * with a 200 carrying what the person should see: the form's inline error, or the preview
 * replaced by a modal that says why (`response_action: "update"`, Close only).
 *
 * The allowed channel list is set: private_metadata is the only place the channel travels, and
 * without a list the app has nothing to hold a forged channel against (Slack returns
 * private_metadata exactly as the app set it, so only a forger can change it).
 */
describe('forged view submissions, signed', () => {
  const preview = (view: OpenedView, metadata: unknown) => ({
    ...view,
    private_metadata: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
  });

  it('Send with private_metadata that is not the preview this app made answers "out of date" and sends nothing', async () => {
    h = await startHarness({ ALLOWED_CHANNEL_IDS: CHANNEL });
    const view = await h.preview(await h.openForm(), JUAN_FORM);
    const real = previewContentSchema.parse(JSON.parse(view.private_metadata ?? ''));
    const [card] = real.contacts;
    const [recipient] = real.recipients;
    const other = (n: number) => ({ id: `59399${String(1_000_000 + n)}`, label: `Customer ${n}` });
    const forgeries: Record<string, unknown> = {
      'not JSON': '{"channelId": "C0SUPPORT", ',
      empty: '',
      'JSON but not an object': '["C0SUPPORT"]',
      'a channel id of no kind Slack has': { ...real, channelId: 'X0SUPPORT' },
      'no contacts': { ...real, contacts: [] },
      'eleven contacts': { ...real, contacts: Array.from({ length: 11 }, () => card) },
      'a name with only formatted_name': {
        ...real,
        contacts: [{ ...card, name: { formatted_name: '<!channel>' } }],
      },
      'a control character in the name': {
        ...real,
        contacts: [{ ...card, name: { formatted_name: 'Juan\u0000', first_name: 'Juan' } }],
      },
      'a field contact cards do not have': { ...real, contacts: [{ ...card, nickname: 'JP' }] },
      'a wa_id that is not the phone': {
        ...real,
        contacts: [{ ...card, phones: [{ phone: '+525512345678', wa_id: '593991234567' }] }],
      },
      'a javascript: link': {
        ...real,
        contacts: [{ ...card, urls: [{ url: 'javascript:alert(document.cookie)' }] }],
      },
      'a recipient that is not a phone number': { ...real, recipients: [{ ...recipient, id: '1234567' }] },
      'a recipient label longer than the picker allows': {
        ...real,
        recipients: [{ ...recipient, label: 'x'.repeat(201) }],
      },
      'no recipients': { ...real, recipients: [] },
      'the same recipient twice': { ...real, recipients: [recipient, recipient] },
      'twenty-one recipients': { ...real, recipients: Array.from({ length: 21 }, (_, n) => other(n)) },
      'a draft that does not exist': { draftId: '6f1c3a52-8d4e-4b7a-9c1f-2e5d7a9b0c13' },
      'a draft id that is not one': { draftId: '../../etc/passwd' },
    };
    const answers = await Promise.all(
      Object.entries(forgeries).map(async ([name, metadata]) => {
        const response = await h.submit(preview(view, metadata), {});
        const answer = viewAnswer(response);
        return {
          case: name,
          status: response.status,
          action: answer.response_action,
          says: sentenceOf(answer),
        };
      }),
    );
    expect(answers).toEqual(
      Object.keys(forgeries).map((name) => ({
        case: name,
        status: 200,
        action: 'update',
        says: expect.stringMatching(OUT_OF_DATE),
      })),
    );
    expect(traces()).toEqual(NO_TRACE);
    await expectHealthy();
    await expectOnlyGenuineSend(view);
  });

  it('Send naming a channel (or a DM) outside ALLOWED_CHANNEL_IDS is refused and sends nothing', async () => {
    h = await startHarness({ ALLOWED_CHANNEL_IDS: CHANNEL });
    const view = await h.preview(await h.openForm(), JUAN_FORM);
    const real = previewContentSchema.parse(JSON.parse(view.private_metadata ?? ''));
    // A user id is where the shortcut sends a result as a DM: not a channel on the list either.
    for (const channelId of ['C0ELSEWHERE', ALICE.id]) {
      const answer = viewAnswer(await h.submit(preview(view, { ...real, channelId }), {}));
      expect([answer.response_action, sentenceOf(answer)]).toEqual([
        'update',
        expect.stringMatching(NOT_ALLOWED),
      ]);
    }
    expect(traces()).toEqual(NO_TRACE);
    await expectOnlyGenuineSend(view);
  });

  it('the card form with forged private_metadata answers an inline error and shows no preview', async () => {
    h = await startHarness({ ALLOWED_CHANNEL_IDS: CHANNEL });
    const form = await h.openForm();
    const expired = { [BlockId.FormattedName]: expect.stringMatching(OUT_OF_DATE) };
    const refused = { [BlockId.Recipient]: expect.stringMatching(NOT_ALLOWED) };
    const forgeries: Record<string, [string, Record<string, unknown>]> = {
      'not JSON': ['channel=C0SUPPORT', expired],
      'no row counts': [JSON.stringify({ channelId: CHANNEL }), expired],
      'more rows than the form may have': [
        JSON.stringify({ channelId: CHANNEL, rows: { phone: 99, email: 1, address: 1 } }),
        expired,
      ],
      'a channel outside ALLOWED_CHANNEL_IDS': [
        JSON.stringify({ channelId: 'C0ELSEWHERE', rows: { phone: 1, email: 1, address: 1 } }),
        refused,
      ],
    };
    const answers = await Promise.all(
      Object.entries(forgeries).map(async ([name, [metadata]]) => {
        const response = await h.submit({ ...form, private_metadata: metadata }, JUAN_FORM);
        return { case: name, status: response.status, answer: viewAnswer(response) };
      }),
    );
    expect(answers).toEqual(
      Object.entries(forgeries).map(([name, [, errors]]) => ({
        case: name,
        status: 200,
        answer: { response_action: 'errors', errors },
      })),
    );
    expect(traces()).toEqual(NO_TRACE);
    await expectHealthy();
  });
});

describe('someone outside ALLOWED_USER_IDS', () => {
  it('cannot cause a send through any path: the command, the form, Send, Retry or "Send again anyway"', async () => {
    h = await startHarness({ ALLOWED_USER_IDS: ALICE.id, ALLOWED_CHANNEL_IDS: CHANNEL });
    // Alice's sends: one Jelou refuses (failed), one whose fate is unknown (a 502 mid-way).
    h.jelou.script(
      'messages',
      json(400, { code: 'message_could_not_be_send', message: 'Outside window' }),
      json(502, { message: 'Bad gateway' }),
    );
    const form = await h.openForm('', ALICE);
    const alicePreview = await h.preview(form, JUAN_FORM, 'V0ALICEPREVIEW');
    await h.submit(await h.preview(form, JUAN_FORM, 'V0FAILED'), {});
    const failed = await notified(/^:x: Could not send/);
    await h.submit(await h.preview(form, JUAN_FORM, 'V0UNKNOWN'), {});
    const unknown = await notified(/may or may not have arrived/);
    const before = { jelou: 2, rows: 2, posts: 2 };
    expect(traces()).toEqual(before);

    // The command, with and without a number: refused, no form opened.
    const opened = h.slack.callsTo('views.open').length;
    for (const text of ['', '+593 99 123 4567']) {
      const refused = await h.command(text, MALLORY);
      expect(refused.json).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringMatching(NOT_ALLOWED),
      });
    }
    expect(h.slack.callsTo('views.open')).toHaveLength(opened);

    // Alice's form submitted as Mallory: an inline refusal, no preview.
    const submitted = viewAnswer(await h.submit(form, JUAN_FORM, MALLORY));
    expect(submitted).toEqual({
      response_action: 'errors',
      errors: { [BlockId.Recipient]: expect.stringMatching(NOT_ALLOWED) },
    });

    // Send on Alice's preview, whose private_metadata names the allowed channel; and on a preview
    // Mallory forged from scratch with a valid card for the allowed channel.
    const forged: OpenedView = { ...alicePreview, id: 'V0MALLORY', hash: 'forged' };
    for (const view of [alicePreview, forged]) {
      const answer = viewAnswer(await h.submit(view, {}, MALLORY));
      expect([answer.response_action, sentenceOf(answer)]).toEqual([
        'update',
        expect.stringMatching(NOT_ALLOWED),
      ]);
    }

    // Retry and "Send again anyway" on Alice's notifications, and each button with the other's send id.
    const sendIdOf = (call: SlackCall) => {
      const blocks = notificationBlocksSchema.parse(call.args.blocks);
      return blocks.find((block) => block.type === 'actions')?.elements?.[0]?.value ?? '';
    };
    const clicks: [SlackCall, string, string][] = [
      [failed, ActionId.Retry, sendIdOf(failed)],
      [unknown, ActionId.SendAgainAnyway, sendIdOf(unknown)],
      [failed, ActionId.SendAgainAnyway, sendIdOf(failed)],
      [unknown, ActionId.Retry, sendIdOf(unknown)],
    ];
    for (const [notification, actionId, value] of clicks) {
      const refusals = h.slack.callsTo(RESPONSE_URL).length;
      const payload = messageButtonClick(
        { channel: CHANNEL, ts: String(notification.args.ts), blocks: notification.args.blocks },
        { actionId, blockId: BlockId.NotificationActions, value },
        h.slack.responseUrl,
        MALLORY,
      );
      expect((await h.post(payloadBody(payload))).status).toBe(200);
      const refusal = await h.slack.waitFor(
        RESPONSE_URL,
        () => h.slack.callsTo(RESPONSE_URL).length > refusals,
      );
      expect(refusal.args).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringMatching(/^Only the person/),
      });
    }

    expect(traces()).toEqual(before);
    expect(rows().map((row) => [row.status, row.attempts])).toEqual([
      ['failed', 1],
      ['unknown', 1],
    ]);
  });
});
