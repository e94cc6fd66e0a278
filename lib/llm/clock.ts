// Time is injected (tests drive it, the worker uses real timers); these are the two shapes the
// client needs from it: an abortable sleep and a resettable watchdog built on that sleep.

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export type Now = () => number;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Fires `onFire` once the clock passes a deadline that can be pushed back at will. One sleep runs at
 * a time and is only restarted when the deadline moves earlier, so resetting it per streamed token
 * costs a number assignment, not a timer.
 */
export class Watchdog {
  private deadline = Number.POSITIVE_INFINITY;
  private sleeping: AbortController | undefined;
  private sleepingUntil = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly now: Now,
    private readonly sleep: Sleep,
    private readonly onFire: () => void,
  ) {}

  /** Fire at `at` (epoch ms) unless re-armed or stopped before. */
  armAt(at: number): void {
    if (this.stopped) return;
    this.deadline = at;
    if (this.sleeping === undefined) {
      void this.run();
    } else if (at < this.sleepingUntil) {
      this.sleeping.abort();
      this.sleeping = undefined;
      void this.run();
    }
  }

  stop(): void {
    this.stopped = true;
    this.sleeping?.abort();
    this.sleeping = undefined;
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    this.sleeping = controller;
    while (!this.stopped && !controller.signal.aborted) {
      const wait = this.deadline - this.now();
      if (wait <= 0) {
        this.stop();
        this.onFire();
        return;
      }
      this.sleepingUntil = this.deadline;
      try {
        await this.sleep(wait, controller.signal);
      } catch {
        return;
      }
    }
  }
}
