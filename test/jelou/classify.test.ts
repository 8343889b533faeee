import { Readable } from 'node:stream';
import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { classifyError, classifyResponse, isCertainlyNotTaken } from '../../src/jelou/classify.js';
import { readBounded } from '../../src/jelou/transport.js';

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

describe('classifyError', () => {
  it.each([
    ['ECONNREFUSED', systemError('ECONNREFUSED')],
    ['ENOTFOUND', systemError('ENOTFOUND')],
    ['EAI_AGAIN', systemError('EAI_AGAIN')],
    ['connect timeout', new errors.ConnectTimeoutError()],
    ['refused, wrapped as fetch does', new TypeError('fetch failed', { cause: systemError('ECONNREFUSED') })],
    [
      'refused on every address (happy eyeballs)',
      new AggregateError([systemError('ECONNREFUSED')], 'all failed'),
    ],
  ])('%s → failed unreachable, retryable', (_name, error) => {
    expect(classifyError(error)).toMatchObject({ kind: 'failed', code: 'unreachable', transient: true });
  });

  it.each([
    ['headers timeout', new errors.HeadersTimeoutError(), 'timeout_unknown'],
    ['body timeout', new errors.BodyTimeoutError(), 'timeout_unknown'],
    ['socket closed', new errors.SocketError('other side closed'), 'connection_lost'],
    ['reset', systemError('ECONNRESET'), 'connection_lost'],
    ['broken pipe', systemError('EPIPE'), 'connection_lost'],
    ['client closed', new errors.ClientClosedError(), 'connection_lost'],
    ['aborted', new errors.RequestAbortedError(), 'connection_lost'],
    ['host unreachable (may happen mid-request)', systemError('EHOSTUNREACH'), 'connection_lost'],
    ['parser error', Object.assign(new Error('bad'), { code: 'HPE_INVALID_CONSTANT' }), 'bad_response'],
    ['anything else', new Error('surprise'), 'connection_lost'],
    ['not even an Error', 'string thrown', 'connection_lost'],
  ])('%s → unknown %s, never retried', (_name, error, code) => {
    expect(classifyError(error)).toMatchObject({ kind: 'unknown', code });
  });
});

describe('classifyResponse', () => {
  const at = (status: number, text: string, headers: Record<string, string> = {}) =>
    classifyResponse({ status, headers, body: { kind: 'complete', text } }, 0);

  it('reads the simple error shape with any of its message fields', () => {
    expect(at(403, JSON.stringify({ code: 'forbidden_bot', error: 'nope' }))).toMatchObject({
      kind: 'failed',
      code: 'forbidden_bot',
      detail: { jelouCode: 'forbidden_bot', jelouMessage: 'nope' },
    });
    // NestJS-style body: the documented code is recognised case-insensitively in `error`.
    expect(
      at(401, JSON.stringify({ statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' })),
    ).toMatchObject({
      code: 'unauthorized',
    });
  });

  it('survives fields of the wrong type', () => {
    expect(at(422, JSON.stringify({ code: 42, message: { nested: true }, error: [1, 2] }))).toMatchObject({
      kind: 'failed',
      status: 422,
      code: 'unprocessable_entity',
    });
  });

  it('ignores a "code" that is a sentence, falling back to the status', () => {
    expect(at(404, JSON.stringify({ code: 'Bot was not found!' }))).toMatchObject({ code: 'bot_not_found' });
  });

  it('cuts long Jelou messages and previews for the log', () => {
    const result = at(400, JSON.stringify({ code: 'x_code', description: 'z'.repeat(5_000) }));
    expect(result.kind).toBe('failed');
    if (result.kind === 'sent') return;
    expect(result.detail.jelouMessage?.length).toBeLessThanOrEqual(201);
    const page = at(502, `<html>${'y'.repeat(5_000)}</html>`);
    if (page.kind === 'sent') return;
    expect(page.detail.bodyPreview?.length).toBeLessThanOrEqual(201);
  });

  it('a 2xx whose body broke off is unknown, by the kind of break', () => {
    expect(
      classifyResponse(
        { status: 200, headers: {}, body: { kind: 'error', error: new errors.BodyTimeoutError() } },
        0,
      ),
    ).toMatchObject({ kind: 'unknown', code: 'timeout_unknown' });
    expect(
      classifyResponse(
        { status: 200, headers: {}, body: { kind: 'error', error: new errors.SocketError('x') } },
        0,
      ),
    ).toMatchObject({ kind: 'unknown', code: 'connection_lost' });
  });

  it('a 4xx whose body broke off is still failed by its status', () => {
    expect(
      classifyResponse(
        { status: 403, headers: {}, body: { kind: 'error', error: new errors.SocketError('x') } },
        0,
      ),
    ).toMatchObject({ kind: 'failed', code: 'forbidden_bot' });
  });

  it('a redirect is unknown', () => {
    expect(at(302, '')).toMatchObject({ kind: 'unknown', code: 'bad_response' });
  });

  it('a 503 with an unreadable Retry-After falls back to backoff', () => {
    const result = at(503, '{"code":"service_unavailable"}', { 'retry-after': 'later' });
    expect(result).toMatchObject({ kind: 'failed', code: 'unavailable', transient: true });
    expect(result).not.toHaveProperty('retryAfterMs');
  });
});

/**
 * The one rule issue #14's outage window builds on: which answers prove Jelou did not take the
 * message (retry by itself) and which leave it uncertain (a person decides). Sources: Jelou's error
 * table (docs.jelou.ai/en/api/introduction) and ../shared/jelou-api.md ("A 503 from a proxy in
 * front of Jelou does not prove that Jelou did not receive the request").
 */
describe('isCertainlyNotTaken', () => {
  const at = (status: number, text: string) =>
    classifyResponse({ status, headers: {}, body: { kind: 'complete', text } }, 0);
  it.each([
    ['no connection made', classifyError(systemError('ECONNREFUSED')), true],
    ['429', at(429, ''), true],
    ["503 with Jelou's own error body", at(503, '{"code":"service_unavailable","message":"down"}'), true],
    ["503 with Jelou's rich error body", at(503, '{"status":0,"error":{"key":"UNAVAILABLE"}}'), true],
    ['503 empty (a proxy may have forwarded it)', at(503, ''), false],
    ['503 HTML page', at(503, '<html>503</html>'), false],
    ['503 JSON that is not an error body', at(503, '{"ok":false}'), false],
    ['500 internal_server_error (final, not retried)', at(500, '{"code":"internal_server_error"}'), false],
    ['400 bad request (final)', at(400, '{"code":"message_could_not_be_send"}'), false],
    ['headers timeout', classifyError(new errors.HeadersTimeoutError()), false],
    ['connection reset', classifyError(systemError('ECONNRESET')), false],
  ])('%s → %s', (_, result, expected) => {
    expect(isCertainlyNotTaken(result)).toBe(expected);
  });

  it('503 without proof is unknown, with a sentence that tells the person to check first', () => {
    const result = at(503, '');
    expect(result).toMatchObject({ kind: 'unknown', code: 'unavailable_unknown' });
    if (result.kind === 'sent') return;
    expect(result.reason.en).toContain('check with them');
  });

  it('500 internal_server_error from Jelou is failed (nothing sent); a bare 500 is unknown', () => {
    expect(at(500, '{"code":"internal_server_error","message":"no company"}')).toMatchObject({
      kind: 'failed',
      code: 'internal_server_error',
      transient: false,
    });
    expect(at(500, '')).toMatchObject({ kind: 'unknown', code: 'server_error' });
  });
});

describe('readBounded', () => {
  /** A stream of `total` bytes in 16 KiB chunks that counts how much was pulled from it. */
  function counting(total: number) {
    const state = { pulled: 0 };
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const stream = new Readable({
      highWaterMark: 16 * 1024,
      read() {
        if (state.pulled >= total) {
          this.push(null);
          return;
        }
        state.pulled += chunk.length;
        this.push(chunk);
      },
    });
    return { stream, state };
  }

  it('stops reading and destroys the stream just past the limit', async () => {
    const { stream, state } = counting(5 * 1024 * 1024);

    const result = await readBounded(stream, 64 * 1024);

    expect(result.kind).toBe('too_large');
    expect(stream.destroyed).toBe(true);
    // Bounded: the limit plus read-ahead of a couple of chunks, nowhere near 5 MB.
    expect(state.pulled).toBeLessThanOrEqual(64 * 1024 + 4 * 16 * 1024);
  });

  it('refuses at once when Content-Length announces too much', async () => {
    const { stream, state } = counting(1024 * 1024);
    expect(await readBounded(stream, 1024, '1048576')).toEqual({ kind: 'too_large', bytesRead: 0 });
    expect(state.pulled).toBeLessThanOrEqual(16 * 1024);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('{"name":"José"}', 'utf8');
    const split = bytes.indexOf(0xc3) + 1; // inside "é"
    const stream = Readable.from([bytes.subarray(0, split), bytes.subarray(split)]);
    expect(await readBounded(stream, 1024)).toEqual({ kind: 'complete', text: '{"name":"José"}' });
  });
});
