// A clock that moves only when everything waiting on it is idle: the real client (admission,
// pacer, breaker, retries, timeouts) runs on it through its injected `now` and `sleep`, and an
// hour of traffic takes as long as the code takes to run. No machine load can move the result.

import type { Sleep } from '../../lib/llm/clock';

export const SIM_EPOCH = Date.UTC(2026, 0, 1);

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

export class VirtualClock {
  private time = SIM_EPOCH;
  private timers: Timer[] = [];
  private seq = 0;

  readonly now = (): number => this.time;

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fire: () => undefined, cancelled: false };
      const onAbort = (): void => {
        timer.cancelled = true;
        reject(signal?.reason);
      };
      timer.fire = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });

  /** Ms since the clock's start. */
  elapsed(): number {
    return this.time - SIM_EPOCH;
  }

  /**
   * Runs until `done()` holds, nothing is left to wake, or `limitMs` of virtual time has passed:
   * each step lets every ready promise chain run (a macrotask turn drains microtasks and
   * nextTicks), then jumps to the earliest timer and fires every timer due then.
   */
  async run(done: () => boolean, limitMs = 10 * 60_000): Promise<void> {
    const end = this.time + limitMs;
    // Code that waits 0 ms in a loop would spin here forever with time standing still: say so instead.
    let still = 0;
    for (let last = this.time; ; last = this.time) {
      await idle();
      if (done()) return;
      this.timers = this.timers.filter((t) => !t.cancelled);
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = this.timers[0]!;
      if (first.at > end) return;
      this.time = Math.max(this.time, first.at);
      still = this.time === last ? still + 1 : 0;
      if (still > 1_000) throw new Error(`Stuck at ${this.elapsed()} ms: 1,000 wake-ups without time moving (a zero wait in a loop?)`);
      const due = this.timers.filter((t) => t.at <= this.time);
      this.timers = this.timers.filter((t) => t.at > this.time);
      for (const t of due) t.fire();
    }
  }
}

async function idle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
