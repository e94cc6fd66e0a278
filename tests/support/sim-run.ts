// Runs the real LLM client (lib/llm) against the simulated server on a virtual clock: N requests
// at once from one or more independent clients, each outcome and the virtual time it took. Used by
// the deterministic pacing bench (bench/pacer-sim.bench.ts) and by unit tests.

import { setMaxListeners } from 'node:events';
import { createLlmClient, type ClientOptions, type LlmClient } from '../../lib/llm';
import { simTokens, startSimLlm, type SimBehaviour, type SimStats } from './sim-llm';
import { VirtualClock } from './virtual-clock';
import { seededRandom } from '../../bench/lib/prose';

export interface SimLoad {
  behaviour: SimBehaviour;
  /** Requests per client, all sent at once. */
  count: number;
  clients?: number;
  options?: Partial<ClientOptions>;
  /** Each request's prompt (default: a short distinct one). */
  prompt?: (client: number, i: number) => string;
  /** Requests one after another rather than at once. */
  sequential?: boolean;
  seed: number;
  /** Virtual time after which whatever is left is given up. */
  capMs?: number;
}

export interface SimOutcome {
  ok: number;
  failed: number;
  total: number;
  /** From the start to the last request settled (virtual ms). */
  elapsedMs: number;
  capped: boolean;
  errors: Map<string, number>;
  upstream: SimStats;
  clients: LlmClient[];
  clock: VirtualClock;
}

/** A seeded stream (mulberry32), so a run repeats exactly. */
export const seeded = seededRandom;

export async function simLoad(plan: SimLoad): Promise<SimOutcome> {
  const clock = new VirtualClock();
  const random = seeded(plan.seed);
  const server = startSimLlm(clock, plan.behaviour, seeded(plan.seed ^ 0x9e3779b9));
  const clients = Array.from({ length: plan.clients ?? 1 }, () =>
    createLlmClient({
      fetch: server.fetch,
      getProvider: () => ({ baseUrl: 'https://sim.test/v1', apiKey: 'sk-sim', model: 'sim-model' }),
      now: clock.now,
      sleep: clock.sleep,
      random,
      countTokens: simTokens,
      options: plan.options ?? {},
    }),
  );
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const errors = new Map<string, number>();
  let ok = 0;
  let failed = 0;
  let last = 0;
  const total = plan.count * clients.length;
  const prompt = plan.prompt ?? ((c: number, i: number) => `client ${c} request ${i}: summarise page ${i}`);
  const one = (client: LlmClient, c: number, i: number) =>
    client.chat({ messages: [{ role: 'user', content: prompt(c, i) }] }, { signal: stop.signal }).then(
      () => {
        ok += 1;
        last = clock.elapsed();
      },
      (error: unknown) => {
        failed += 1;
        last = clock.elapsed();
        const kind = (error as { kind?: string }).kind ?? 'error';
        errors.set(kind, (errors.get(kind) ?? 0) + 1);
      },
    );
  if (plan.sequential) {
    void (async () => {
      for (let i = 0; i < plan.count; i += 1) await Promise.all(clients.map((client, c) => one(client, c, i)));
    })();
  } else {
    clients.forEach((client, c) => {
      for (let i = 0; i < plan.count; i += 1) void one(client, c, i);
    });
  }
  await clock.run(() => ok + failed === total, plan.capMs ?? 10 * 60_000);
  const capped = ok + failed < total;
  stop.abort();
  await clock.run(() => false, 0);
  return { ok, failed, total, elapsedMs: capped ? clock.elapsed() : last, capped, errors, upstream: server.stats, clients, clock };
}
