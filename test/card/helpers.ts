/** Shared test helpers for the card domain. */
import type { CountryCode } from 'libphonenumber-js';
import { expect } from 'vitest';
import { z } from 'zod';
import { CardInvalidError, type CardIssue } from '../../src/card/index.js';

/** Runs `run`, which must throw a CardInvalidError, and returns its issues. */
export function issuesOf(run: () => unknown): readonly CardIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CardInvalidError);
    if (error instanceof CardInvalidError) return error.issues;
  }
  throw new Error('expected a CardInvalidError, but nothing was thrown');
}

/** What `run` throws; fails the test when it throws nothing. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** A country code libphonenumber does not know, typed as one, as a misconfigured caller would pass it. */
export const UNKNOWN_COUNTRY = z.custom<CountryCode>().parse('XX');

/** A fixed clock for birthday checks. */
export const NOW = new Date('2025-06-01T12:00:00Z');
