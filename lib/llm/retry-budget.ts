// Retries are paid for out of a bucket that only successes refill. When the upstream is down the
// bucket empties after a few retries and every request gets one attempt, instead of maxAttempts.

export class RetryBudget {
  private tokens: number;

  constructor(
    private ratio: number,
    private max: number,
  ) {
    this.tokens = max;
  }

  configure(ratio: number, max: number): void {
    this.ratio = ratio;
    this.max = max;
    this.tokens = Math.min(this.tokens, max);
  }

  onSuccess(): void {
    this.tokens = Math.min(this.max, this.tokens + this.ratio);
  }

  /** Takes one retry from the bucket if there is one. */
  tryWithdraw(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  get available(): number {
    return this.tokens;
  }
}
