// The admission state that must outlive an MV3 worker (stopped after ~30 s idle): the learned
// concurrency, a server-imposed pause, the breaker and the pace the server admits. Whatever storage hands back is validated:
// it may be from an older version, or hand-edited.

import { z } from 'zod';

export interface StateStore {
  load(): Promise<unknown>;
  save(state: unknown): Promise<void>;
}

const admissionStateSchema = z.object({
  version: z.literal(1),
  concurrency: z.number().int().min(1),
  pausedUntil: z.number().finite(),
  pauseReason: z.enum(['rate_limited', 'server_error']).optional(),
  breaker: z.object({
    open: z.boolean(),
    openUntil: z.number().finite(),
    failures: z.number().int().min(0),
    openedAt: z.number().finite().optional(),
    outageFailures: z.number().int().min(0).optional(),
  }),
  /** Units per second the pacer learned or was told, per window; a restarted worker starts from them. */
  pace: z
    .object({
      requestsPerSec: z.number().finite().positive().optional(),
      tokensPerSec: z.number().finite().positive().optional(),
    })
    .optional(),
});

export type AdmissionState = z.infer<typeof admissionStateSchema>;

export function parseAdmissionState(value: unknown): AdmissionState | undefined {
  const parsed = admissionStateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Loads once, then writes at most once per debounce window (state changes come in bursts: a 429
 * halves the limit and pauses the client in the same breath). Storage errors are swallowed: losing
 * this state costs a little caution, never correctness.
 */
export class StatePersister {
  private loaded = false;
  private scheduled = false;

  constructor(
    private readonly store: StateStore | undefined,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly debounceMs: () => number,
    private readonly snapshot: () => AdmissionState,
  ) {}

  async load(): Promise<AdmissionState | undefined> {
    if (this.store === undefined) {
      this.loaded = true;
      return undefined;
    }
    try {
      return parseAdmissionState(await this.store.load());
    } catch {
      return undefined;
    } finally {
      this.loaded = true;
    }
  }

  /** Saves soon. Before the first load finishes, saving would overwrite what we are about to read. */
  schedule(): void {
    if (this.store === undefined || !this.loaded || this.scheduled) return;
    this.scheduled = true;
    void this.sleep(this.debounceMs()).then(() => this.flush());
  }

  async flush(): Promise<void> {
    this.scheduled = false;
    if (this.store === undefined) return;
    try {
      await this.store.save(this.snapshot());
    } catch {
      // Best effort; the next change tries again.
    }
  }
}
