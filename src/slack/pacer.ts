/**
 * Keeps this process's calls to one Slack method within its rate-limit tier, which Slack counts
 * for the whole workspace: a small burst, then a steady rate (several replicas each pace their
 * own; Slack's 429 and its Retry-After cover the rest). `take()` resolves when a call may go. Callers that wait here keep
 * their place in line while more changes pile up behind them, so a busy batch summary is
 * updated less often (each update shows more) instead of drawing a 429.
 * (api.slack.com/docs/rate-limits: Tier 3 is 50+ a minute; no library here paces per method.)
 */
export class Pacer {
  readonly #capacity: number;
  readonly #everyMs: number;
  #tokens: number;
  #at: number;
  #tail: Promise<void> = Promise.resolve();

  constructor(options: Readonly<{ burst: number; perMinute: number }>) {
    this.#capacity = options.burst;
    this.#everyMs = 60_000 / options.perMinute;
    this.#tokens = options.burst;
    this.#at = Date.now();
  }

  /** Resolves when the next call may be made; calls are let through in the order they asked. */
  take(): Promise<void> {
    const turn = this.#tail.then(() => this.#wait());
    this.#tail = turn;
    return turn;
  }

  async #wait(): Promise<void> {
    const now = Date.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#at) / this.#everyMs);
    this.#at = now;
    if (this.#tokens < 1) {
      const waitMs = Math.ceil((1 - this.#tokens) * this.#everyMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      this.#tokens = 1;
      this.#at = Date.now();
    }
    this.#tokens -= 1;
  }
}
