/**
 * Refuses a signed Slack request seen before. Bolt checks the signature and that the timestamp is
 * under 5 minutes old, so within those 5 minutes a captured request could be sent again and, for
 * instance, press Retry a second time. A signature covers the timestamp and the whole body, so a
 * legitimate request never repeats one (Slack's own retries are signed anew).
 */

/** Slack rejects timestamps older than this, so a signature need not be remembered longer. */
const WINDOW_MS = 5 * 60 * 1000;

export class ReplayGuard {
  readonly #seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True the first time `signature` is seen within the window; false for a replay. */
  firstSighting(signature: string): boolean {
    const now = this.now();
    // Entries are in insertion order, so expired ones are at the front.
    for (const [seen, at] of this.#seen) {
      if (now - at < WINDOW_MS) break;
      this.#seen.delete(seen);
    }
    if (this.#seen.has(signature)) return false;
    this.#seen.set(signature, now);
    return true;
  }
}
