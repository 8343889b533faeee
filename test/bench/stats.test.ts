import { describe, expect, it } from 'vitest';
import { growth, median, percentile, ratio } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('takes the nearest-rank percentile of unsorted samples', () => {
    const samples = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('leaves the samples in their order', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('has no percentile of no samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('reports growth as a fraction of where it started, falling as negative', () => {
    expect(growth(200, 220)).toBeCloseTo(0.1);
    expect(growth(200, 180)).toBeCloseTo(-0.1);
  });

  it('gives no ratio against a zero or missing baseline', () => {
    expect(ratio(3, 2)).toBe('1.50×');
    expect(ratio(3, 0)).toBe('n/a');
    expect(ratio(Number.NaN, 2)).toBe('n/a');
  });
});
