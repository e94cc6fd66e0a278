// Small formatting and statistics helpers shared by the benchmarks.

/** A markdown table; also readable as plain text in a terminal because the columns are padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p50 of an even count is the lower middle value, never an interpolation.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function ms(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return `${value.toFixed(digits)} ms`;
}

export function seconds(valueMs: number, digits = 2): string {
  if (!Number.isFinite(valueMs)) return '–';
  return `${(valueMs / 1000).toFixed(digits)} s`;
}

export function ratio(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return '–';
  return `×${value.toFixed(digits)}`;
}

export const passFail = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

export function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

/** Resolves with the promise's outcome, or with `undefined` once `capMs` has passed. */
export async function withCap<T>(promise: Promise<T>, capMs: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), capMs);
  });
  try {
    return await Promise.race([promise, cap]);
  } finally {
    clearTimeout(timer);
  }
}
