/**
 * The per-user language: looked up once, remembered, bounded, and never waited on past its budget.
 * Look-ups here are promises the test settles by hand, so nothing depends on how fast the machine is.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/errors.js';
import { createLogger } from '../../src/logging.js';
import { type LocaleLookup, LocaleResolver, slackLocaleLookup } from '../../src/slack/locale.js';

function logger(lines: string[] = []) {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return createLogger({ level: 'info', destination });
}

/** A look-up that records who was asked and answers only when the test says so. */
function manualLookup() {
  const asked: string[] = [];
  const pending = new Map<
    string,
    { resolve: (tag: string | undefined) => void; reject: (e: unknown) => void }
  >();
  const lookup: LocaleLookup = (userId) => {
    asked.push(userId);
    return new Promise((resolve, reject) => pending.set(userId, { resolve, reject }));
  };
  const answer = (userId: string, tag: string | undefined) => pending.get(userId)?.resolve(tag);
  const fail = (userId: string, error: unknown) => pending.get(userId)?.reject(error);
  return { lookup, asked, answer, fail };
}

/** Settles the microtasks a resolved look-up queues (then, finally). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function resolver(
  lookup: LocaleLookup,
  options: { defaultLocale?: Locale; budgetMs?: number; now?: () => number; maxEntries?: number } = {},
) {
  return new LocaleResolver({
    lookup,
    defaultLocale: options.defaultLocale ?? 'en',
    logger: logger(),
    // Long enough that only the tests which mean to run it out do.
    budgetMs: options.budgetMs ?? 60_000,
    ...(options.now ? { now: options.now } : {}),
    ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}),
  });
}

describe('LocaleResolver', () => {
  it("answers the user's Slack language, and remembers it", async () => {
    const slack = manualLookup();
    const locales = resolver(slack.lookup);
    const first = locales.localeOf('U1');
    slack.answer('U1', 'es-LA');
    expect(await first).toBe('es');
    expect(await locales.localeOf('U1')).toBe('es');
    expect(slack.asked).toEqual(['U1']);
  });

  it('asks Slack once for a user asked about twice at the same time', async () => {
    const slack = manualLookup();
    const locales = resolver(slack.lookup);
    const both = Promise.all([locales.localeOf('U1'), locales.localeOf('U1')]);
    slack.answer('U1', 'es-ES');
    expect(await both).toEqual(['es', 'es']);
    expect(slack.asked).toEqual(['U1']);
  });

  it('gives DEFAULT_LOCALE for a language the UI does not speak, or none', async () => {
    const slack = manualLookup();
    const locales = resolver(slack.lookup, { defaultLocale: 'es' });
    const [portuguese, none] = [locales.localeOf('U1'), locales.localeOf('U2')];
    slack.answer('U1', 'pt-BR');
    slack.answer('U2', undefined);
    expect([await portuguese, await none]).toEqual(['es', 'es']);
  });

  it('gives DEFAULT_LOCALE when Slack fails, and does not ask again at once', async () => {
    const slack = manualLookup();
    const lines: string[] = [];
    const locales = new LocaleResolver({
      lookup: slack.lookup,
      defaultLocale: 'es',
      logger: logger(lines),
      budgetMs: 60_000,
    });
    const answer = locales.localeOf('U1');
    slack.fail('U1', new Error('missing_scope'));
    expect(await answer).toBe('es');
    expect(await locales.localeOf('U1')).toBe('es');
    expect(slack.asked).toEqual(['U1']);
    expect(lines.join('')).toContain('could not read the user language from Slack');
  });

  it('gives DEFAULT_LOCALE when Slack is slower than the budget, and uses the answer once it comes', async () => {
    const slack = manualLookup();
    const locales = resolver(slack.lookup, { budgetMs: 1 });
    expect(await locales.localeOf('U1')).toBe('en');
    slack.answer('U1', 'es-ES');
    await settle();
    expect(await locales.localeOf('U1')).toBe('es');
    expect(slack.asked).toEqual(['U1']);
  });

  it('asks again once the remembered language is an hour old', async () => {
    let now = 0;
    const slack = manualLookup();
    const locales = resolver(slack.lookup, { now: () => now });
    const first = locales.localeOf('U1');
    slack.answer('U1', 'en-GB');
    expect(await first).toBe('en');
    now = 59 * 60 * 1000;
    expect(await locales.localeOf('U1')).toBe('en');
    now = 61 * 60 * 1000;
    const again = locales.localeOf('U1');
    slack.answer('U1', 'es-ES');
    expect(await again).toBe('es');
    expect(slack.asked).toEqual(['U1', 'U1']);
  });

  it('remembers at most maxEntries users, forgetting the one looked up longest ago', async () => {
    const slack = manualLookup();
    const locales = resolver(slack.lookup, { maxEntries: 2 });
    for (const user of ['U1', 'U2', 'U3']) {
      const answer = locales.localeOf(user);
      slack.answer(user, 'es-ES');
      await answer;
    }
    await locales.localeOf('U3');
    await locales.localeOf('U2');
    expect(slack.asked).toEqual(['U1', 'U2', 'U3']);
    const again = locales.localeOf('U1');
    slack.answer('U1', 'es-ES');
    await again;
    expect(slack.asked).toEqual(['U1', 'U2', 'U3', 'U1']);
  });

  it('survives a look-up that throws instead of rejecting', async () => {
    const locales = resolver(() => {
      throw new Error('boom');
    });
    expect(await locales.localeOf('U1')).toBe('en');
  });
});

describe('slackLocaleLookup', () => {
  it('asks users.info for the locale and reads it from the user', async () => {
    const calls: unknown[] = [];
    const client = {
      users: {
        info: async (args: unknown) => {
          calls.push(args);
          return { ok: true, user: { id: 'U1', locale: 'es-LA' } };
        },
      },
    };
    const lookup = slackLocaleLookup(client);
    expect(await lookup('U1')).toBe('es-LA');
    expect(calls).toEqual([{ user: 'U1', include_locale: true }]);
  });
});
