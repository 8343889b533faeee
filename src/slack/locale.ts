/**
 * Which language to speak to a Slack user. Slack's request payloads do not reliably carry the
 * person's language, so it is read with `users.info` (`include_locale`, scope `users:read`) and
 * remembered per user. The look-up never holds up a response for long: past its budget the
 * answer is DEFAULT_LOCALE, and the look-up carries on so the next request finds it cached.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../logging.js';
import { slackErrorCode } from './api-errors.js';
import { type Locale, localeFromSlack } from './i18n/index.js';

/** Reads a user's Slack locale tag (`es-LA`, `en-US`); `undefined` when Slack gives none. */
export type LocaleLookup = (userId: string) => Promise<string | undefined>;

/** The part of Slack's WebClient the look-up uses. */
export type UsersInfoClient = Readonly<{
  users: {
    info(args: { user: string; include_locale: boolean }): Promise<{ user?: { locale?: string } }>;
  };
}>;

/** The look-up through Slack's Web API. */
export function slackLocaleLookup(client: UsersInfoClient): LocaleLookup {
  return async (user) => (await client.users.info({ user, include_locale: true })).user?.locale;
}

export type LocaleResolverOptions = Readonly<{
  lookup: LocaleLookup;
  /** DEFAULT_LOCALE: for a user whose language is not known in time, or not one the UI speaks. */
  defaultLocale: Locale;
  logger: Logger;
  /**
   * How long a request waits for a look-up. A command's `views.open` must happen within 3 s of
   * the trigger, and Slack's own round trips need most of what is left.
   */
  budgetMs?: number;
  /** How long a user's language is remembered; a person who changes theirs sees it within this. */
  ttlMs?: number;
  /** How long a failed look-up is remembered, so a missing scope does not cost a call per request. */
  failureTtlMs?: number;
  /** Users remembered at most; the least recently looked up are forgotten first. */
  maxEntries?: number;
  now?: () => number;
}>;

export const LOCALE_LOOKUP_BUDGET_MS = 800;

type Entry = Readonly<{ locale: Locale; expires: number }>;

export class LocaleResolver {
  readonly #lookup: LocaleLookup;
  readonly #default: Locale;
  readonly #logger: Logger;
  readonly #budgetMs: number;
  readonly #ttlMs: number;
  readonly #failureTtlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<Locale>>();

  constructor(options: LocaleResolverOptions) {
    this.#lookup = options.lookup;
    this.#default = options.defaultLocale;
    this.#logger = options.logger.child({ component: 'locale' });
    this.#budgetMs = options.budgetMs ?? LOCALE_LOOKUP_BUDGET_MS;
    this.#ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.#failureTtlMs = options.failureTtlMs ?? 5 * 60 * 1000;
    this.#maxEntries = options.maxEntries ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  /** The user's UI language: remembered, looked up within the budget, or DEFAULT_LOCALE. Never rejects. */
  async localeOf(userId: string): Promise<Locale> {
    const cached = this.#cache.get(userId);
    if (cached && cached.expires > this.#now()) return cached.locale;
    const looking = this.#inFlight.get(userId) ?? this.#start(userId);
    const budget = new AbortController();
    const answer = await Promise.race([
      looking,
      delay(this.#budgetMs, undefined, { signal: budget.signal }).catch(() => undefined),
    ]);
    budget.abort();
    if (answer === undefined)
      this.#logger.info({ budgetMs: this.#budgetMs }, 'user language not known in time');
    return answer ?? this.#default;
  }

  /** Starts one look-up per user, whoever asks meanwhile; it settles into the cache even after the budget. */
  #start(userId: string): Promise<Locale> {
    let request: Promise<string | undefined>;
    try {
      request = this.#lookup(userId);
    } catch (error) {
      // A look-up that throws instead of rejecting is handled the same way.
      request = Promise.reject(error);
    }
    const looking = request
      .then(
        (tag) => this.#remember(userId, localeFromSlack(tag, this.#default), this.#ttlMs),
        (error: unknown) => {
          // missing_scope means the app was not reinstalled after users:read was added.
          this.#logger.warn(
            { err: error, slackError: slackErrorCode(error) },
            'could not read the user language from Slack; using DEFAULT_LOCALE',
          );
          return this.#remember(userId, this.#default, this.#failureTtlMs);
        },
      )
      .finally(() => this.#inFlight.delete(userId));
    this.#inFlight.set(userId, looking);
    return looking;
  }

  #remember(userId: string, locale: Locale, ttlMs: number): Locale {
    this.#cache.delete(userId);
    this.#cache.set(userId, { locale, expires: this.#now() + ttlMs });
    // A Map iterates in insertion order: the first key is the one looked up longest ago.
    for (const oldest of this.#cache.keys()) {
      if (this.#cache.size <= this.#maxEntries) break;
      this.#cache.delete(oldest);
    }
    return locale;
  }
}
