/**
 * Keeps a Slack message current without flooding Slack: runs of a task for one key never
 * overlap, and every request made while a run is going shares the single run queued after it.
 * Each run reads the latest state itself, so that one run shows every change requested before
 * it started. A batch of 20 sends finishing together becomes a handful of `chat.update`s
 * (Slack allows about 50 a minute), never 40 racing ones that could land out of order.
 */
type Entry = { running: Promise<void>; queued: Promise<void> | undefined };

export class Coalescer {
  readonly #entries = new Map<string, Entry>();

  /**
   * Resolves when a run of `task` that started after this call has finished. With `alone`, a
   * request that finds no run going or queued for `key` starts `alone` instead of `task`: that run
   * starts now and serves this request only, so it may use what the caller knows at this moment
   * rather than read the latest state; a request that has to wait shares `task` as usual.
   */
  run(key: string, task: () => Promise<void>, alone?: () => Promise<void>): Promise<void> {
    const entry = this.#entries.get(key);
    if (!entry) return this.#start(key, alone ?? task);
    entry.queued ??= entry.running.catch(() => undefined).then(() => this.#start(key, task));
    return entry.queued;
  }

  /** Keys with a run going or queued (for tests and shutdown). */
  get size(): number {
    return this.#entries.size;
  }

  #start(key: string, task: () => Promise<void>): Promise<void> {
    const entry: Entry = { running: Promise.resolve(), queued: undefined };
    entry.running = Promise.resolve()
      .then(task)
      .finally(() => {
        // With a run queued, the queued run takes this key over when it starts.
        if (this.#entries.get(key) === entry && entry.queued === undefined) this.#entries.delete(key);
      });
    this.#entries.set(key, entry);
    return entry.running;
  }
}
