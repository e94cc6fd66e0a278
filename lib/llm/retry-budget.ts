// Retries are paid for out of a bucket that successes refill (a share of each) and time refills
// (a few a second). When the upstream is down the bucket empties and retries slow to the time
// refill: the load a failing server sees is bounded, yet no request fails while its deadline
// could still carry it. Spending may run the bucket into debt; later retries wait it off.

export class RetryBudget {
  private tokens: number;
  private at: number;

  constructor(
    private ratio: number,
    private max: number,
    private perSec: number,
    now: number,
  ) {
    this.tokens = max;
    this.at = now;
  }

  configure(ratio: number, max: number, perSec: number): void {
    this.ratio = ratio;
    this.max = max;
    this.perSec = perSec;
    this.tokens = Math.min(this.tokens, max);
  }

  onSuccess(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.max, this.tokens + this.ratio);
  }

  /** How long a retry must wait for its turn: 0 while the bucket holds one. */
  waitMs(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    if (this.perSec <= 0) return Number.POSITIVE_INFINITY;
    return Math.ceil(((1 - this.tokens) / this.perSec) * 1_000);
  }

  /** Takes one retry, into debt if need be (the retry has waited for it). */
  spend(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.max, this.tokens + ((now - this.at) / 1_000) * this.perSec);
    this.at = Math.max(this.at, now);
  }
}
