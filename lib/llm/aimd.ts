// Loss-based adaptive concurrency. It starts small and grows at a pace set in time (slow start)
// until the first sign of a limit, then grows by one per full window of successes and halves on a
// loss (a run of 503s, a timeout). Starting at the maximum sent a whole wave into a server that had
// not answered once: a full burst of 429s, or of 503s in an outage.
// Latency is no signal for LLMs: it follows answer length. A 429 is the pacer's business (it
// owns the rate); here it only ends slow start. A success that says the window is empty
// (remaining 0) is like an ECN mark: no cut, but no growth either.

const CONSECUTIVE_503_LOSS = 3;
/** The first wave: enough to learn something, few enough that an outage or a spent quota costs little. */
export const INITIAL_WINDOW = 2;
/**
 * The first success rules both out, so it doubles the window at once, as TCP's slow start would
 * over that round trip. One more (to 3) left a silent server's bucket full at long round trips:
 * ×1.10–1.23 of the minimum at 150–200 ms, its refill wasted until the window carries rate × round trip.
 */
const FIRST_SUCCESS_GROWTH = INITIAL_WINDOW;
/**
 * Against a server that has never described its limit, slow start grows the window by about e
 * every this many ms, whatever the round trip. The first wave of 429s is what goes out in the
 * round trip after the bucket runs dry, about burst × round trip / this: a fixed share per round
 * trip (a third) overshot most at short round trips, where the bucket's refill was never the
 * constraint, and was slowest at long ones, where it was (simulated sweep, issue #13).
 */
const SILENT_GROWTH_MS = 1_000;
/**
 * Once the server has described its limit the pacer holds requests to it, so the window may grow
 * faster: about e-fold each this many ms, doubling per round trip at most. Half a window per round
 * trip, whatever its length, left a 180 ms server's bucket full and unused for the first second.
 */
const DESCRIBED_GROWTH_MS = 150;
/** Until a round trip has been timed. */
const SILENT_SUCCESSES_PER_STEP = 3;

export class AimdLimit {
  private successes = 0;
  private consecutive503 = 0;
  /** Bumped at each decrease; lets us ignore losses from requests sent before it. */
  private generation = 0;
  private slowStart = true;
  /** Back from an outage: the queue it built is waiting, so slow start doubles (one more per success). */
  private recovering = false;
  private value: number;
  /** Some answer described the rate limit: the pacer holds requests to it, so the window may grow faster. */
  private described = false;
  /** Round trip of recent successes (ms), smoothed; 0 until one is timed. */
  private rttMs = 0;
  /** A success has come back: the server is up and the key has quota. */
  private answered = false;

  constructor(private max: number) {
    this.value = clamp(INITIAL_WINDOW, max);
  }

  get current(): number {
    return this.value;
  }

  get epoch(): number {
    return this.generation;
  }

  /** A lower max clamps at once; a higher one is grown into. */
  setMax(max: number): void {
    this.max = max;
    this.value = clamp(this.value, max);
  }

  /** A limit learned before (a worker restart): no slow start back up to it. */
  restore(value: number): void {
    this.value = clamp(value, this.max);
    this.slowStart = false;
  }

  /**
   * A success. `atCapacity`: the server said its rate-limit window is empty, so growing would only
   * buy a 429; such a success does not count towards the next increase. `rttMs`: how long it took.
   */
  onSuccess(atCapacity = false, described = false, rttMs = 0): boolean {
    if (rttMs > 0) this.rttMs = this.rttMs === 0 ? rttMs : 0.8 * this.rttMs + 0.2 * rttMs;
    this.consecutive503 = 0;
    this.described ||= described;
    if (atCapacity) {
      this.slowStart = false;
      this.recovering = false;
      return false;
    }
    // A pace set in time: slower against a silent server (SILENT_GROWTH_MS) than against one that
    // described its limit (DESCRIBED_GROWTH_MS).
    if (this.slowStart) {
      if (!this.answered) {
        this.answered = true;
        // Against a silent server only: one that describes its limit grows fast enough anyway.
        if (!this.described && !this.recovering) return this.grow(FIRST_SUCCESS_GROWTH);
      }
      this.successes += 1;
      if (this.successes < (this.recovering ? 1 : this.successesPerStep())) return false;
      this.successes = 0;
      return this.grow();
    }
    this.successes += 1;
    if (this.successes < this.value) return false;
    this.successes = 0;
    return this.grow();
  }

  /**
   * The server is back after an outage. Its 503s cut the window, but an outage is no sign of how
   * much the healthy server carries: grow back as at the start, not one by one.
   */
  onRecovery(): void {
    this.slowStart = true;
    this.recovering = true;
    this.successes = 0;
    this.consecutive503 = 0;
  }

  /** The server refused for rate: the pacer slows down; the window stops doubling. */
  onRateLimited(): void {
    this.slowStart = false;
    this.recovering = false;
    this.consecutive503 = 0;
  }

  /**
   * A loss from a request sent at `sentAtEpoch`. Requests already in flight when we cut were sent
   * under the old limit; their losses are the same congestion event and must not cut again.
   */
  onLoss(sentAtEpoch: number): boolean {
    this.successes = 0;
    this.slowStart = false;
    this.recovering = false;
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

  private successesPerStep(): number {
    if (this.rttMs === 0) return this.described ? 2 : SILENT_SUCCESSES_PER_STEP;
    return this.described ? Math.ceil(DESCRIBED_GROWTH_MS / this.rttMs) : Math.max(2, Math.ceil(SILENT_GROWTH_MS / this.rttMs));
  }

  private grow(by = 1): boolean {
    if (this.value >= this.max) return false;
    this.value = Math.min(this.max, this.value + by);
    return true;
  }
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(1, Math.floor(value)));
}
