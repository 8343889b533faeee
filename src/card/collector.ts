/**
 * Internal: gathers every issue of a walk over the input, so a person sees all there is to fix at
 * once instead of one error per attempt.
 */
import { CardInvalidError, type CardIssue, type CardIssueCode, type CardIssuePath } from './issues.js';

/** Collects issues while a card is walked; `at` scopes a collector to a sub-path. */
export class IssueCollector {
  readonly #issues: CardIssue[];
  readonly #base: CardIssuePath;

  constructor(base: CardIssuePath = [], issues: CardIssue[] = []) {
    this.#base = base;
    this.#issues = issues;
  }

  /** A collector that records into the same list, with `segments` prefixed to every path. */
  at(...segments: readonly (string | number)[]): IssueCollector {
    return new IssueCollector([...this.#base, ...segments], this.#issues);
  }

  /** Records one issue at `path` below this collector's base. */
  add(path: CardIssuePath, code: CardIssueCode, params?: Readonly<Record<string, string | number>>): void {
    const full = [...this.#base, ...path];
    this.#issues.push(params === undefined ? { path: full, code } : { path: full, code, params });
  }

  /** How many issues the shared list holds; compare before and after a step to see if it failed. */
  get count(): number {
    return this.#issues.length;
  }

  /** Throws a {@link CardInvalidError} holding every issue, if there is any. */
  throwIfAny(): void {
    if (this.#issues.length > 0) throw new CardInvalidError([...this.#issues]);
  }
}
