/** Small statistics and formatting helpers for the benchmark's table. */

/** The nearest-rank percentile (`p` in 0..100) of `values`; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** A figure with about three significant digits: 0.412, 4.12, 41.2, 412, 4120. */
export function fmt(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit}`;
}

export function ratio(value: number, baseline: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  return `${(value / baseline).toFixed(2)}×`;
}

export const mib = (kib: number): number => kib / 1024;

/** A markdown table; the first row is the header. */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  const [header, ...body] = rows;
  if (!header) return '';
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

/** Relative change from `from` to `to`: 0.1 is 10 % more. */
export const growth = (from: number, to: number): number => (to - from) / from;

/** Whether a target holds, as the table says it: only what the figures show. */
export const verdict = (holds: boolean): string => (holds ? 'yes' : '**no**');
