// Circuit breaker over consecutive upstream failures. Open: nothing is sent until the cool-down
// ends. Half-open: one probe goes; its verdict closes or re-opens the circuit.
//
// The cool-down grows with the outage: at least `coolDownMs`, at least half of how long the circuit
// has been open so far, at most `maxCoolDownMs`. The maximum is what bounds how late a recovery is
// seen, so it is kept short (0.6 s by default): a probe that often is no load worth sparing, and a
// user waiting on a summary is worth seeing the server back at once. What a failing server is sent
// is bounded apart: the failures of an outage (those that opened the circuit, then each failed
// probe) stay under FAILURES_PER_SEC per second since it opened, so a probe waits its turn.

export type BreakerView = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  open: boolean;
  openUntil: number;
  failures: number;
  /** When the circuit opened for this outage (the cool-down grows from there). */
  openedAt?: number;
  /** Failures this outage has cost so far: those that opened the circuit, then failed probes. */
  outageFailures?: number;
}

/** Each cool-down is at least this share of the time the circuit has been open. */
const OUTAGE_SHARE = 0.5;
/** Failures an outage may cost per second it lasts, the opening ones included. */
const FAILURES_PER_SEC = 2;

export type BreakerVerdict = { pass: true; probe: boolean } | { pass: false; until: number | undefined };

export class CircuitBreaker {
  private failures = 0;
  private open = false;
  private openUntil = 0;
  private openedAt = 0;
  private outageFailures = 0;
  private probing = false;

  constructor(
    private threshold: number,
    private coolDownMs: number,
    private maxCoolDownMs: number = coolDownMs,
  ) {}

  configure(threshold: number, coolDownMs: number, maxCoolDownMs: number = coolDownMs): void {
    this.threshold = threshold;
    this.coolDownMs = coolDownMs;
    this.maxCoolDownMs = maxCoolDownMs;
  }

  view(now: number): BreakerView {
    if (!this.open) return 'closed';
    return now < this.openUntil ? 'open' : 'half-open';
  }

  /** Whether a request may go now, without taking the probe. `until` is when to look again. */
  peek(now: number): BreakerVerdict {
    if (!this.open) return { pass: true, probe: false };
    if (now < this.openUntil) return { pass: false, until: this.openUntil };
    // Half-open with a probe out: wait for its verdict, however long it takes.
    if (this.probing) return { pass: false, until: undefined };
    return { pass: true, probe: true };
  }

  /** Like `peek`, but a half-open pass takes the single probe slot. */
  take(now: number): BreakerVerdict {
    const verdict = this.peek(now);
    if (verdict.pass && verdict.probe) this.probing = true;
    return verdict;
  }

  onSuccess(): boolean {
    const changed = this.open || this.failures > 0;
    this.failures = 0;
    this.open = false;
    this.probing = false;
    return changed;
  }

  /** An upstream failure (server, network, timeout). Returns true if the circuit just opened. */
  onFailure(now: number, wasProbe: boolean): boolean {
    if (wasProbe) {
      this.probing = false;
      this.openAt(now);
      return true;
    }
    // Failures of requests sent before the circuit opened say nothing new, but the server saw them.
    if (this.open) {
      this.outageFailures += 1;
      return false;
    }
    this.failures += 1;
    if (this.failures < this.threshold) return false;
    this.openAt(now);
    return true;
  }

  private openAt(now: number): void {
    if (!this.open) {
      this.openedAt = now;
      this.outageFailures = this.failures;
    } else {
      this.outageFailures += 1;
    }
    this.open = true;
    const grown = Math.max(this.coolDownMs, (now - this.openedAt) * OUTAGE_SHARE);
    const cadence = now + Math.min(grown, Math.max(this.coolDownMs, this.maxCoolDownMs));
    this.openUntil = Math.max(cadence, this.openedAt + (this.outageFailures / FAILURES_PER_SEC) * 1_000);
  }

  /** The probe ended without a verdict (cancelled, or a failure that is not the upstream's fault). */
  releaseProbe(): void {
    this.probing = false;
  }

  snapshot(): BreakerSnapshot {
    return { open: this.open, openUntil: this.openUntil, failures: this.failures, openedAt: this.openedAt, outageFailures: this.outageFailures };
  }

  restore(s: BreakerSnapshot): void {
    this.open = s.open;
    this.openUntil = s.openUntil;
    this.failures = s.failures;
    // State saved before openedAt existed: count the outage from the last opening.
    this.openedAt = s.openedAt ?? s.openUntil - this.coolDownMs;
    this.outageFailures = s.outageFailures ?? s.failures;
    this.probing = false;
  }
}
