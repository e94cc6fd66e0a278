// A token bucket for the mock server's rate limit. The clock is injectable so the refill
// arithmetic can be unit-tested without waiting; the server itself uses real time, because
// the clients under test measure their back-off with real timers.

export type Take =
  | { ok: true; remaining: number; msUntilFull: number }
  | { ok: false; msUntilToken: number };

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `n` tokens (a request, or its tokens), or none if there are not that many. */
  take(n = 1): Take {
    this.refill();
    if (this.tokens >= n) {
      this.tokens -= n;
      return {
        ok: true,
        remaining: Math.floor(this.tokens),
        msUntilFull: this.msFor(this.burst - this.tokens),
      };
    }
    return { ok: false, msUntilToken: this.msFor(Math.min(n, this.burst) - this.tokens) };
  }

  /** Gives back what `take` took, when another bucket refused the same request. */
  refund(n = 1): void {
    this.tokens = Math.min(this.burst, this.tokens + n);
  }

  /** The bucket as a refused request sees it. */
  view(): { remaining: number; msUntilFull: number } {
    this.refill();
    return { remaining: Math.floor(this.tokens), msUntilFull: this.msFor(this.burst - this.tokens) };
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
  }

  private msFor(tokens: number): number {
    if (tokens <= 0) return 0;
    // A bucket that never refills still has to name a retry time; a minute is what an
    // RPM-limited provider would say.
    if (this.ratePerSec <= 0) return 60_000;
    return Math.ceil((tokens / this.ratePerSec) * 1000);
  }
}

/** OpenAI's `x-ratelimit-reset-*` format: `250ms`, `1s`, `1.5s`, `6m0s`, `1h2m3s`. */
export function formatResetDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor((whole % 3_600_000) / 60_000);
  const s = (whole % 60_000) / 1000;
  const secs = `${Number(s.toFixed(3))}s`;
  if (h > 0) return `${h}h${m}m${secs}`;
  if (m > 0) return `${m}m${secs}`;
  return secs;
}
