/** Timing, summaries and number formatting shared by the benchmark's sections. */

/** Runs `work` and returns its wall-clock duration in seconds (millisecond precision). */
export async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The median and spread of a set of runs; NaN (a run that produced no number) is left out. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: number[]): Summary | undefined {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Two significant decimals under 10, one above: 0.37, 1.65, 27.6. */
export function num(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** `1.65 s (1.60–1.71)`: the median, then min–max when there was more than one run. */
export function spread(summary: Summary | undefined, unit: string): string {
  if (!summary) return 'n/a';
  const range = summary.runs > 1 ? ` (${num(summary.min)}–${num(summary.max)})` : '';
  return `${num(summary.median)}${unit}${range}`;
}

/** ours / alternative, as `0.06×`. */
export function ratio(ours: Summary | number | undefined, theirs: Summary | number | undefined): string {
  const a = typeof ours === 'number' ? ours : ours?.median;
  const b = typeof theirs === 'number' ? theirs : theirs?.median;
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${num(a / b)}×`;
}

export const megabytes = (bytes: number) => bytes / 1e6;

/** The last few lines of a failed command's output, for the page's notes. */
export function tail(text: string, lines = 3): string {
  return text.trim().split('\n').slice(-lines).join(' / ').replace(/\s+/g, ' ').slice(0, 400);
}
