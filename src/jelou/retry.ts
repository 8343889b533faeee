/**
 * When to send a message to Jelou again. Pure: no clock, no randomness, no I/O of its own.
 *
 * The rule that matters: only an attempt Jelou *certainly did not take* is retried (connection
 * refused, DNS failure, connect timeout, 429, 503). An attempt whose fate is unknown (a timeout
 * after the request was written, a connection cut mid-answer, a 5xx, an unreadable 2xx) is never
 * retried automatically: if Jelou did take it, a retry puts the same contact card in the
 * customer's WhatsApp twice, a defect the customer sees. A person decides instead, after being
 * told to check with the customer.
 */

/**
 * The one rule for sending again without asking a person: true only when the attempt proves Jelou
 * did not take the message and a later attempt may succeed (no connection was made; 429; a 503
 * carrying Jelou's own error body). Everything else is either final (a refusal) or uncertain
 * (`unknown`: it may have reached the customer) and is never re-sent by itself. Used for the
 * quick retries within one attempt (`decideRetry`) and for waiting out an outage (delivery).
 */
export function isCertainlyNotTaken(result: Readonly<{ kind: string; transient?: boolean }>): boolean {
  return result.kind === 'failed' && result.transient === true;
}

/** How many times, and how far apart, a send is attempted. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. 1 disables retries. */
  readonly maxAttempts: number;
  /** Backoff ceiling for the first retry; it doubles for each further retry. */
  readonly baseDelayMs: number;
  /** Backoff ceiling never exceeds this. */
  readonly maxDelayMs: number;
  /**
   * The longest `Retry-After` we are willing to wait. A send runs while a person watches a
   * "sending…" message in Slack; asked to wait longer, we give up at once (`rate_limited`) and let
   * the person try later rather than keep them waiting.
   */
  readonly maxRetryAfterMs: number;
}

/**
 * Three attempts, 250 ms doubling to 4 s, honour `Retry-After` up to 10 s. The worst case for
 * retryable failures stays well under half a minute with the default timeouts, which is as long as
 * we want a person waiting on a card.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
});

/** What a single attempt told us, as far as retrying is concerned. */
export type RetryInput =
  | { readonly kind: 'sent' }
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'failed';
      /** True only for failures where the request certainly never reached Jelou's application. */
      readonly transient: boolean;
      /** Parsed `Retry-After`, when the answer had a valid one. */
      readonly retryAfterMs?: number;
    };

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | {
      readonly retry: false;
      readonly why: 'final' | 'not_retryable' | 'attempts_exhausted' | 'retry_after_too_long';
    };

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * a uniformly random delay in [0, min(maxDelay, base · 2^(retry-1))). Full jitter spreads the
 * retries of many clients hit by the same outage instead of synchronising them.
 *
 * @param attempt the attempt that just failed, 1-based.
 * @param random a number in [0, 1), `Math.random` in production.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Decides whether to try again after `attempt` (1-based) produced `result`.
 * `Retry-After` wins over backoff when present; beyond the cap we give up instead of waiting.
 */
export function decideRetry(
  result: RetryInput,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (result.kind === 'sent') return { retry: false, why: 'final' };
  // Never retry an unknown outcome: see the module comment (a card delivered twice).
  if (result.kind === 'unknown' || !isCertainlyNotTaken(result))
    return { retry: false, why: 'not_retryable' };
  if (result.retryAfterMs !== undefined && result.retryAfterMs > policy.maxRetryAfterMs) {
    return { retry: false, why: 'retry_after_too_long' };
  }
  if (attempt >= policy.maxAttempts) return { retry: false, why: 'attempts_exhausted' };
  if (result.retryAfterMs !== undefined) return { retry: true, delayMs: result.retryAfterMs };
  return { retry: true, delayMs: backoffDelayMs(attempt, policy, random) };
}

/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 * Returns milliseconds from `nowMs` (0 for a date in the past), or undefined when absent or invalid,
 * in which case the caller falls back to backoff.
 */
export function parseRetryAfterMs(
  value: string | readonly string[] | undefined,
  nowMs: number,
): number | undefined {
  const header = typeof value === 'string' ? value : value?.[0];
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only accept something that looks like an HTTP-date; Date.parse alone accepts too much ("1.5").
  if (!/^[A-Za-z]{3},? /.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Fills a partial policy with the defaults and rejects nonsense early (a config mistake). */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...partial };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!Number.isFinite(policy[key]) || policy[key] < 0) {
      throw new RangeError(`retry.${key} must be a non-negative number, got ${policy[key]}`);
    }
  }
  return Object.freeze(policy);
}
