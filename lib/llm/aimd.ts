// Loss-based adaptive concurrency: halve on a loss signal (429, a run of 503s, a timeout), grow by
// one after a full window of successes. Latency is no signal for LLMs: it follows answer length.
// A success that says the rate-limit window is empty (remaining 0) is like an ECN mark: no cut,
// but no growth either, or the limit keeps climbing past the server's rate into a 429 each round.

const CONSECUTIVE_503_LOSS = 3;

export class AimdLimit {
  private successes = 0;
  private consecutive503 = 0;
  /** Bumped at each decrease; lets us ignore losses from requests sent before it. */
  private generation = 0;

  constructor(
    private max: number,
    private value: number = max,
  ) {
    this.value = clamp(value, max);
  }

  get current(): number {
    return this.value;
  }

  get epoch(): number {
    return this.generation;
  }

  /** A lower max clamps at once; a higher one is reached at once only if we were not held back by losses. */
  setMax(max: number): void {
    const unconstrained = this.value >= this.max;
    this.max = max;
    this.value = unconstrained ? max : clamp(this.value, max);
  }

  restore(value: number): void {
    this.value = clamp(value, this.max);
  }

  /**
   * A success. `atCapacity`: the server said its rate-limit window is empty, so growing would only
   * buy a 429; such a success does not count towards the next increase.
   */
  onSuccess(atCapacity = false): boolean {
    this.consecutive503 = 0;
    if (atCapacity) return false;
    this.successes += 1;
    if (this.successes < this.value) return false;
    this.successes = 0;
    if (this.value >= this.max) return false;
    this.value += 1;
    return true;
  }

  /**
   * A loss from a request sent at `sentAtEpoch`. Requests already in flight when we cut were sent
   * under the old limit; their losses are the same congestion event and must not cut again.
   */
  onLoss(sentAtEpoch: number): boolean {
    this.successes = 0;
    if (sentAtEpoch < this.generation) return false;
    this.generation += 1;
    const next = clamp(Math.floor(this.value / 2), this.max);
    const changed = next !== this.value;
    this.value = next;
    return changed;
  }

  on503(sentAtEpoch: number): boolean {
    this.consecutive503 += 1;
    if (this.consecutive503 < CONSECUTIVE_503_LOSS) return false;
    this.consecutive503 = 0;
    return this.onLoss(sentAtEpoch);
  }

  /** Any outcome that is neither a success nor a 503 breaks a run of 503s. */
  onOther(): void {
    this.consecutive503 = 0;
  }
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(1, Math.floor(value)));
}
