import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { BoltPinoLogger, createLogger, withLogContext } from '../src/logging.js';

const SECRET = 'jelou-client-secret-123456';

/** A logger whose lines are parsed back as objects, as a log shipper would read them. */
function capture(level: 'trace' | 'info' = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger({ level, secrets: [SECRET], destination });
  return { logger, lines, raw };
}

describe('createLogger', () => {
  it('writes JSON with fields first and the message second', () => {
    const { logger, lines } = capture();
    logger.info({ sendId: 's-1', attempts: 2 }, 'card sent');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, sendId: 's-1', attempts: 2, msg: 'card sent' }),
    ]);
  });

  it('adds the request context to every line inside withLogContext, across awaits', async () => {
    const { logger, lines } = capture();
    await withLogContext({ requestId: 'r-1', userId: 'U1' }, async () => {
      logger.info('before await');
      await new Promise((resolve) => setImmediate(resolve));
      await withLogContext({ sendId: 's-9' }, async () => logger.info('nested'));
    });
    logger.info('outside');
    expect(lines.map((l) => [l.msg, l.requestId, l.userId, l.sendId])).toEqual([
      ['before await', 'r-1', 'U1', undefined],
      ['nested', 'r-1', 'U1', 's-9'],
      ['outside', undefined, undefined, undefined],
    ]);
  });

  it('redacts secret fields and Authorization headers by path', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        token: 'anything-at-all',
        headers: { authorization: 'whatever', 'content-type': 'application/json' },
      },
      'request',
    );
    expect(lines[0]).toMatchObject({
      token: '[redacted]',
      headers: { authorization: '[redacted]', 'content-type': 'application/json' },
    });
  });

  it('scrubs secrets wherever they appear: message, nested fields, error messages and stacks', () => {
    const { logger, raw } = capture();
    logger.info(
      { deep: { url: `https://x.test/?s=${SECRET}` } },
      `calling with xoxb-123-456-abc and ${SECRET}`,
    );
    logger.error(
      { err: new Error(`auth failed for Basic ${Buffer.from('id:pw').toString('base64')}`) },
      'failed',
    );
    logger.warn({ list: ['xapp-1-A1-abc', 'v0='.concat('a'.repeat(64))] }, 'tokens in arrays');
    const output = raw.join('\n');
    expect(output).not.toContain(SECRET);
    expect(output).not.toMatch(/xoxb-123|xapp-1-A1|aWQ6cHc=|a{64}/);
    expect(output.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(6);
  });
});

describe('BoltPinoLogger', () => {
  it('keeps the error when Bolt logs error(message, err)', () => {
    const { logger, lines } = capture();
    const bolt = new BoltPinoLogger(logger);
    bolt.error('An unhandled error occurred while Bolt processed an event', new Error('boom'));
    expect(lines[0]).toMatchObject({
      level: 50,
      component: 'bolt',
      msg: 'An unhandled error occurred while Bolt processed an event',
      err: { type: 'Error', message: 'boom', stack: expect.stringContaining('boom') },
    });
  });

  it('uses the error message when Bolt logs only an error, and keeps objects as details', () => {
    const { logger, lines } = capture();
    const bolt = new BoltPinoLogger(logger);
    bolt.warn(new Error('only an error'));
    bolt.info('socket', 'connected', { attempt: 1 }, 3);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'only an error', err: { message: 'only an error' } });
    expect(lines[1]).toMatchObject({ level: 30, msg: 'socket connected 3', details: [{ attempt: 1 }] });
  });

  it("writes Bolt's debug lines (which carry whole payloads) at trace, so debug stays free of them", () => {
    const { logger, lines } = capture('trace');
    logger.level = 'debug';
    const atDebug = new BoltPinoLogger(logger);
    expect(atDebug.getLevel()).toBe(LogLevel.INFO);
    atDebug.debug('payload {"name":"Juan Pérez"}');
    logger.level = 'trace';
    const atTrace = new BoltPinoLogger(logger);
    expect(atTrace.getLevel()).toBe(LogLevel.DEBUG);
    atTrace.debug('payload {"name":"Juan Pérez"}');
    expect(lines).toEqual([expect.objectContaining({ level: 10, msg: 'payload {"name":"Juan Pérez"}' })]);
  });

  it("maps levels both ways without changing the app's own logger", () => {
    const { logger, lines } = capture('trace');
    const bolt = new BoltPinoLogger(logger);
    expect(bolt.getLevel()).toBe(LogLevel.DEBUG);
    bolt.setLevel(LogLevel.WARN);
    expect(bolt.getLevel()).toBe(LogLevel.WARN);
    bolt.info('dropped');
    bolt.warn('kept');
    logger.debug('app still at trace');
    expect(lines.map((l) => l.msg)).toEqual(['kept', 'app still at trace']);
  });

  it('names its lines with setName, replacing the old name and keeping the level', () => {
    const { logger, lines, raw } = capture();
    const bolt = new BoltPinoLogger(logger);
    bolt.setLevel(LogLevel.WARN);
    bolt.setName('web-api');
    bolt.info('dropped');
    bolt.warn('hello');
    expect(lines).toEqual([expect.objectContaining({ component: 'web-api', msg: 'hello' })]);
    expect(raw[0]?.match(/"component"/g)).toHaveLength(1);
  });
});
