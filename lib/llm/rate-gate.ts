// A client-side mirror of the server's request bucket, kept in sync from the rate-limit headers of
// every successful response (`x-ratelimit-remaining/limit/reset-requests`, as OpenAI sends them).
// It lets the client stop *before* the bucket runs dry instead of learning it from a 429, which
// only arrives a whole latency later, after every request sent meanwhile has hit the empty bucket
// too. Servers that send no such headers leave the gate open; 429s and their retry-after pause
// remain the backstop when the mirror is wrong (another app sharing the key, a fixed window…).

/** One request window, as a response described it. */
export interface RequestWindow {
  /** Requests left in the window right after this request took its turn. */
  remaining: number;
  limit: number;
  /** Until the window is full again; it refills at an even pace meanwhile. */
  resetMs: number;
}

export class RateGate {
  private tokens = Number.POSITIVE_INFINITY;
  private capacity = Number.POSITIVE_INFINITY;
  private intervalMs = 0;
  private syncedAt = 0;
  private sent = 0;

  /** When the next request may go (epoch ms), or 0 if it may go now. */
  readyAt(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    // The epsilon absorbs float dust from many small refills (0.99999… of a turn is a turn).
    return now + Math.ceil((1 - this.tokens) * this.intervalMs - 1e-6);
  }

  /** A request goes out now; returns its place in the send order, for `sync`. */
  take(now: number): number {
    this.refill(now);
    this.tokens -= 1;
    this.sent += 1;
    return this.sent;
  }

  /**
   * A response to the `seq`-th request sent (at `sentAt`). The server counted it on arrival, so
   * what it says is stale by everything sent after it: those requests take their turns too.
   * `undefined` (no headers) opens the gate: this server does not tell, or no longer does.
   */
  sync(window: RequestWindow | undefined, seq: number, sentAt: number, now: number): void {
    if (window === undefined || window.remaining >= window.limit || window.resetMs <= 0) {
      this.tokens = Number.POSITIVE_INFINITY;
      this.capacity = Number.POSITIVE_INFINITY;
      this.intervalMs = 0;
      return;
    }
    this.intervalMs = window.resetMs / (window.limit - window.remaining);
    this.capacity = window.limit;
    const refilled = Math.max(0, now - sentAt) / this.intervalMs;
    this.tokens = Math.min(this.capacity, window.remaining + refilled) - (this.sent - seq);
    this.syncedAt = now;
  }

  private refill(now: number): void {
    if (this.intervalMs > 0 && now > this.syncedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.syncedAt) / this.intervalMs);
    }
    this.syncedAt = Math.max(this.syncedAt, now);
  }
}
