// "Full jitter": a random wait between 0 and the exponential bound. Spreading retries over the
// whole window is what keeps many clients that failed together from retrying together.

export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const bound = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * bound);
}
