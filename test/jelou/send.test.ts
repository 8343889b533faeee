import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JelouClient } from '../../src/jelou/index.js';
import {
  destroyMidBody,
  empty,
  hangHeaders,
  huge,
  type JelouStandIn,
  json,
  raw,
  resetBeforeResponse,
  slow,
  stallMidBody,
  startJelouStandIn,
} from '../support/jelou-standin.js';
import { AUTHORIZATION, CARD, CLIENT_SECRET, expectSendRequest, makeClient, SEND_PATH } from './helpers.js';

const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>Bad Gateway</title></head><body><h1>502</h1></body></html>';

let jelou: JelouStandIn;
let client: JelouClient;
let harness: ReturnType<typeof makeClient>;

beforeEach(async () => {
  jelou = await startJelouStandIn();
  harness = makeClient(jelou.url);
  client = harness.client;
});

afterEach(async () => {
  await client.close();
  await jelou.close();
});

describe('JelouClient.send: success', () => {
  it('posts the message with Basic auth to the URL-encoded bot path and returns the message id', async () => {
    const outcome = await client.send(CARD);

    expect(outcome).toEqual({ kind: 'sent', messageId: 'msg_1', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
    expectSendRequest(jelou.requests[0]);
    expect(jelou.requests[0]?.rawBody).toBe(JSON.stringify(CARD));
  });

  it('tolerates extra fields in the success answer', async () => {
    jelou.script('messages', json(200, { success: true, messageId: 'msg_x', queued: true, meta: { a: 1 } }));
    expect(await client.send(CARD)).toEqual({ kind: 'sent', messageId: 'msg_x', attempts: 1 });
  });

  it('keeps a path prefix and ignores a trailing slash in the base URL', async () => {
    await client.close();
    harness = makeClient(`${jelou.url}/proxy/jelou/`);
    client = harness.client;

    expect(await client.send(CARD)).toMatchObject({ kind: 'sent' });
    expect(jelou.requests[0]?.path).toBe(`/proxy/jelou${SEND_PATH}`);
  });

  it('reuses the pool for several sends', async () => {
    const outcomes = await Promise.all([client.send(CARD), client.send(CARD), client.send(CARD)]);
    expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent', 'sent']);
    expect(jelou.requestsTo('messages')).toHaveLength(3);
  });

  it('logs one attempt with fields, and never the secret, the auth header or the customer data', async () => {
    await client.send(CARD);

    const attempt = harness.logs.lines.find((line) => line.msg === 'jelou send attempt');
    expect(attempt).toMatchObject({
      attempt: 1,
      outcome: 'sent',
      status: 200,
      messageId: 'msg_1',
      contacts: 1,
      messageType: 'contacts',
    });
    expect(typeof attempt?.durationMs).toBe('number');
    const everything = harness.logs.raw.join('\n');
    for (const secret of [
      CLIENT_SECRET,
      AUTHORIZATION,
      CARD.userId,
      'Juan',
      'juan@example.com',
      '593987654321',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('JelouClient.send: documented error codes', () => {
  const table = [
    { status: 401, code: 'unauthorized', kind: 'failed' },
    { status: 403, code: 'forbidden_bot', kind: 'failed' },
    { status: 404, code: 'bot_not_found', kind: 'failed' },
    { status: 400, code: 'message_could_not_be_send', kind: 'failed' },
    { status: 422, code: 'unprocessable_entity', kind: 'failed' },
    // Jelou's table: the credentials have no company. A configuration problem: nothing was sent.
    { status: 500, code: 'internal_server_error', kind: 'failed' },
  ] as const;

  it.each(table)('$status $code → $kind after 1 attempt', async ({ status, code, kind }) => {
    jelou.script('messages', json(status, { code, message: `Jelou says ${code}` }));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind, status, code, attempts: 1 });
    // A refusal may read the bot's history for the 24-hour window's evidence; one send only.
    expect(jelou.requestsTo('messages')).toHaveLength(1);
    expectSendRequest(jelou.requestsTo('messages')[0]);
    expect(harness.attemptsLogged()).toBe(1);
    expect(harness.sleeps).toEqual([]);
  });

  it("blames the 24-hour window when Jelou's description says so, in both languages", async () => {
    jelou.script('messages', json(400, { code: 'message_could_not_be_send', description: 'outside window' }));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'failed', code: 'outside_24h_window' });
    if (outcome.kind === 'sent') return;
    expect(outcome.reason.en).toContain('24 hours');
    expect(outcome.reason.es).toContain('24 horas');
  });

  it("without evidence, a bad request is a refusal with Jelou's own description, not the window", async () => {
    jelou.setConversations([
      { userId: CARD.userId, name: 'Ana', messages: [{ by: 'user', at: new Date(Date.now() - 60_000) }] },
    ]);
    jelou.script(
      'messages',
      json(400, { code: 'message_could_not_be_send', message: 'Invalid contact phone' }),
    );

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'failed', code: 'message_could_not_be_send' });
    if (outcome.kind === 'sent') return;
    expect(outcome.reason.en).not.toContain('24 hours');
    expect(outcome.reason.en).toContain('bad request');
    expect(outcome.reason.en).toContain('“Invalid contact phone”');
    expect(outcome.reason.es).toContain('“Invalid contact phone”');
  });

  it("blames the window when the bot's history shows the customer last wrote over 24 hours ago", async () => {
    jelou.setConversations([
      {
        userId: CARD.userId,
        name: 'Ana',
        messages: [{ by: 'user', at: new Date(Date.now() - 25 * 60 * 60 * 1000) }],
      },
    ]);
    jelou.script('messages', json(400, { code: 'message_could_not_be_send', message: 'Bad request' }));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'failed', status: 400, code: 'outside_24h_window' });
    expect(jelou.requestsTo('history').length).toBeGreaterThan(0);
  });

  it("notification_could_not_be_send is a refusal with Jelou's description", async () => {
    jelou.script('messages', json(400, { code: 'notification_could_not_be_send', message: 'Bad request' }));
    const outcome = await client.send(CARD);
    expect(outcome).toMatchObject({ kind: 'failed', code: 'notification_could_not_be_send' });
    if (outcome.kind === 'sent') return;
    expect(outcome.reason.es).toContain('“Bad request”');
  });

  it('a 500 without Jelou\'s body is uncertain, never "nothing was sent"', async () => {
    jelou.script('messages', raw(500, '<html>Internal Server Error</html>', 'text/html'));
    expect(await client.send(CARD)).toMatchObject({ kind: 'unknown', status: 500, code: 'server_error' });
  });

  it('reads the rich error shape: a documented code inside `error` gets our sentence', async () => {
    jelou.script(
      'messages',
      json(400, {
        message: ['The message could not be sent'],
        statusMessage: 'failed',
        status: 0,
        error: {
          code: 'message_could_not_be_send',
          key: 'MESSAGE_COULD_NOT_BE_SEND',
          description: 'Out of the 24h window',
          developerMessages: { es: 'Fuera de ventana', en: 'Out of window' },
          clientMessages: { es: 'No se pudo enviar', en: 'Could not send' },
        },
        validationError: {},
      }),
    );

    const outcome = await client.send(CARD);

    // Its description names the window ("Out of the 24h window"): that is the evidence.
    expect(outcome).toMatchObject({ kind: 'failed', status: 400, code: 'outside_24h_window', attempts: 1 });
    if (outcome.kind === 'sent') return;
    expect(outcome.reason.en).toContain('24 hours');
  });

  it('reads the rich error shape: an unknown code uses Jelou’s client messages', async () => {
    jelou.script(
      'messages',
      json(400, {
        message: [],
        statusMessage: 'failed',
        status: 0,
        error: {
          code: 'E0000',
          key: 'UNKNOWN_ERROR',
          description: 'Something odd',
          developerMessages: { es: 'algo raro', en: 'something odd' },
          clientMessages: { es: 'No pudimos enviar el mensaje.', en: 'We could not send the message.' },
        },
        validationError: {},
      }),
    );

    const outcome = await client.send(CARD);

    expect(outcome).toEqual({
      kind: 'failed',
      status: 400,
      code: 'UNKNOWN_ERROR',
      reason: { es: 'No pudimos enviar el mensaje.', en: 'We could not send the message.' },
      attempts: 1,
    });
    const attempt = harness.logs.lines.find((line) => line.msg === 'jelou send attempt');
    expect(attempt).toMatchObject({ jelouCode: 'UNKNOWN_ERROR', jelouMessage: 'Something odd' });
  });

  it('a rich 5xx stays unknown and uses our "check with the customer" sentence', async () => {
    jelou.script(
      'messages',
      json(500, {
        statusMessage: 'failed',
        error: { code: 'E0000', key: 'UNKNOWN_ERROR', clientMessages: { es: 'Error', en: 'Error' } },
      }),
    );

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'unknown', status: 500, code: 'UNKNOWN_ERROR', attempts: 1 });
    if (outcome.kind === 'sent') return;
    expect(outcome.reason.en).toContain('check with them');
  });

  it('an unknown 4xx status without a body is failed "rejected"', async () => {
    jelou.script('messages', empty(409));
    expect(await client.send(CARD)).toMatchObject({
      kind: 'failed',
      status: 409,
      code: 'rejected',
      attempts: 1,
    });
  });

  it('a 2xx with a documented refusal is believed: failed', async () => {
    jelou.script('messages', json(200, { success: false, code: 'message_could_not_be_send' }));
    expect(await client.send(CARD)).toMatchObject({
      kind: 'failed',
      status: 200,
      code: 'message_could_not_be_send',
      attempts: 1,
    });
  });
});

describe('JelouClient.send: answers we cannot read', () => {
  it('HTML 502 page → unknown, not retried, preview in the log is short', async () => {
    jelou.script('messages', raw(502, HTML_PAGE.repeat(20), 'text/html'));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'unknown', status: 502, code: 'server_error', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
    const attempt = harness.logs.lines.find((line) => line.msg === 'jelou send attempt');
    expect(typeof attempt?.bodyPreview).toBe('string');
    expect(String(attempt?.bodyPreview).length).toBeLessThanOrEqual(201);
  });

  it('HTML 400 page → failed, code from the status', async () => {
    jelou.script('messages', raw(400, '<html><body>Bad Request</body></html>', 'text/html'));
    expect(await client.send(CARD)).toMatchObject({
      kind: 'failed',
      status: 400,
      code: 'message_could_not_be_send',
      attempts: 1,
    });
  });

  it('HTML 401 page → failed unauthorized', async () => {
    jelou.script('messages', raw(401, '<html>401 Authorization Required</html>', 'text/html'));
    expect(await client.send(CARD)).toMatchObject({ kind: 'failed', status: 401, code: 'unauthorized' });
  });

  it('200 with a non-JSON body → unknown bad_response', async () => {
    jelou.script('messages', raw(200, 'OK', 'text/plain'));
    expect(await client.send(CARD)).toMatchObject({
      kind: 'unknown',
      status: 200,
      code: 'bad_response',
      attempts: 1,
    });
  });

  it('200 with an empty body → unknown bad_response', async () => {
    jelou.script('messages', empty(200));
    expect(await client.send(CARD)).toMatchObject({
      kind: 'unknown',
      status: 200,
      code: 'bad_response',
      attempts: 1,
    });
  });

  it('200 with success:false and no code → unknown bad_response', async () => {
    jelou.script('messages', json(200, { success: false }));
    expect(await client.send(CARD)).toMatchObject({ kind: 'unknown', code: 'bad_response' });
  });

  it('200 with success but no message id → unknown bad_response', async () => {
    jelou.script('messages', json(200, { success: true }));
    expect(await client.send(CARD)).toMatchObject({ kind: 'unknown', code: 'bad_response' });
  });

  it('400 with an empty body → failed, code from the status', async () => {
    jelou.script('messages', empty(400));
    expect(await client.send(CARD)).toMatchObject({
      kind: 'failed',
      status: 400,
      code: 'message_could_not_be_send',
    });
  });

  it('200 with a 5 MB streamed body → unknown, body cut at the limit, no crash', async () => {
    jelou.script('messages', huge(5 * 1024 * 1024));

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'unknown', status: 200, code: 'bad_response', attempts: 1 });
    const attempt = harness.logs.lines.find((line) => line.msg === 'jelou send attempt');
    expect(attempt).toMatchObject({ bodyTooLarge: true });
    expect(jelou.requests).toHaveLength(1);
  });

  it('200 announcing 5 MB in Content-Length → unknown without reading it', async () => {
    jelou.script('messages', huge(5 * 1024 * 1024, { contentLength: true }));
    expect(await client.send(CARD)).toMatchObject({ kind: 'unknown', status: 200, code: 'bad_response' });
  });

  it('a huge 4xx error page → still failed by status', async () => {
    jelou.script('messages', huge(1024 * 1024, { status: 403 }));
    expect(await client.send(CARD)).toMatchObject({ kind: 'failed', status: 403, code: 'forbidden_bot' });
  });

  it('the pool keeps working after a cut-off body', async () => {
    jelou.script('messages', huge(5 * 1024 * 1024));
    await client.send(CARD);
    expect(await client.send(CARD)).toMatchObject({ kind: 'sent', attempts: 1 });
  });
});

describe('JelouClient.send: network trouble after the request was written', () => {
  it('no headers within the timeout → unknown timeout_unknown, exactly one request', async () => {
    jelou.script('messages', hangHeaders());

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'unknown', code: 'timeout_unknown', attempts: 1 });
    expect(outcome).not.toHaveProperty('status');
    expect(jelou.requests).toHaveLength(1);
    expectSendRequest(jelou.requests[0]);
    expect(harness.logs.lines.find((line) => line.msg === 'jelou send attempt')).toMatchObject({
      errorCode: 'UND_ERR_HEADERS_TIMEOUT',
    });
  });

  it('a success that comes after the headers timeout is still unknown, not retried', async () => {
    // undici checks headers/body timeouts on a ~500 ms tick, so "late" must be well past 250 ms.
    jelou.script('messages', slow(3_000, json(200, { success: true, messageId: 'late' })));
    expect(await client.send(CARD)).toMatchObject({ kind: 'unknown', code: 'timeout_unknown', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
  });

  it('socket destroyed mid-body → unknown connection_lost, one attempt', async () => {
    jelou.script('messages', destroyMidBody());

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'unknown', status: 200, code: 'connection_lost', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
  });

  it('body stalls mid-way → unknown timeout_unknown', async () => {
    jelou.script('messages', stallMidBody());
    expect(await client.send(CARD)).toMatchObject({ kind: 'unknown', status: 200, code: 'timeout_unknown' });
    expect(jelou.requests).toHaveLength(1);
  });

  it('connection reset before any answer → unknown connection_lost, one attempt', async () => {
    jelou.script('messages', resetBeforeResponse());

    const outcome = await client.send(CARD);

    expect(outcome).toMatchObject({ kind: 'unknown', code: 'connection_lost', attempts: 1 });
    expect(jelou.requests).toHaveLength(1);
    expectSendRequest(jelou.requests[0]);
  });
});
