// Fires N requests at once from one peer against a fresh mock server and records what happened.
// Every run is bounded: at `capMs` the bench aborts whatever is left and stops waiting for it.

import { setMaxListeners } from 'node:events';
import { startMockLlm, type MockBehaviour, type MockLlm } from '../../tests/support/mock-llm';
import { withCap } from '../lib/format';
import type { Peer } from './peers';

export interface LoadOutcome {
  peer: string;
  total: number;
  ok: number;
  failed: number;
  /** Still running at the cap (aborted by the bench; an SDK retry sleep cannot even be cut short). */
  unfinished: number;
  /** From the first request to the last settled one, or the cap. */
  elapsedMs: number;
  capped: boolean;
  /** Why requests failed, e.g. `rate_limited ×12`. */
  errors: Map<string, number>;
  /** The server's view: completion requests, status counts, peak concurrency. */
  upstream: ReturnType<MockLlm['stats']>;
}

export interface LoadPlan {
  count: number;
  capMs: number;
  behaviour: Partial<MockBehaviour>;
  /** Called right before the requests are fired; returns a cleanup (e.g. a brownout timer). */
  during?: (mock: MockLlm) => () => void;
}

export function errorLabel(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { kind?: unknown; status?: unknown; name?: unknown; constructor?: { name?: string } };
  if (typeof e.kind === 'string') return e.kind;
  const name = e.constructor?.name && e.constructor.name !== 'Error' ? e.constructor.name : typeof e.name === 'string' ? e.name : 'Error';
  return typeof e.status === 'number' ? `${name} ${e.status}` : name;
}

export async function runLoad(peer: Peer, plan: LoadPlan): Promise<LoadOutcome> {
  const mock = await startMockLlm(plan.behaviour);
  try {
    const client = peer.create(mock.baseUrl);
    const stopCap = new AbortController();
    // One signal for all N requests, and the SDK adds a listener per attempt: no leak warning.
    setMaxListeners(0, stopCap.signal);
    const errors = new Map<string, number>();
    let ok = 0;
    let failed = 0;
    let lastSettled = 0;
    const cleanup = plan.during?.(mock) ?? (() => undefined);
    const started = performance.now();
    const all = Promise.all(
      Array.from({ length: plan.count }, (_, i) =>
        // Distinct prompts, as real pages are: identical ones would be coalesced by Precis's single-flight.
        client.chat(`request ${i}: summarise page ${i}`, { signal: stopCap.signal }).then(
          () => {
            ok += 1;
            lastSettled = performance.now();
          },
          (error: unknown) => {
            if (stopCap.signal.aborted) return;
            failed += 1;
            lastSettled = performance.now();
            const label = errorLabel(error);
            errors.set(label, (errors.get(label) ?? 0) + 1);
          },
        ),
      ),
    );
    const finished = (await withCap(all.then(() => true), plan.capMs)) === true;
    const elapsedMs = finished ? lastSettled - started : plan.capMs;
    const upstream = mock.stats();
    cleanup();
    stopCap.abort();
    return {
      peer: peer.name,
      total: plan.count,
      ok,
      failed,
      unfinished: plan.count - ok - failed,
      elapsedMs,
      capped: !finished,
      errors,
      upstream,
    };
  } finally {
    await mock.close();
  }
}

export function describeErrors(outcome: LoadOutcome): string {
  const parts = [...outcome.errors].sort((a, b) => b[1] - a[1]).map(([label, n]) => `${label} ×${n}`);
  if (outcome.unfinished > 0) parts.push(`unfinished at cap ×${outcome.unfinished}`);
  return parts.join(', ') || '–';
}
