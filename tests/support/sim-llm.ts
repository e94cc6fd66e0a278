// An OpenAI-compatible server as a `fetch`, on a virtual clock: the same token buckets
// (token-bucket.ts) and header dialects (mock-llm/limit-headers.ts) as the real mock server, with
// outages, random 5xx and a spent quota. Several clients may share one, as on one key. It counts
// a request on arrival and answers after its latency, as the mock does.

import { admittedHeaders, limitedHeaders, type LimitDialect, type LimitState, type Refusal } from './mock-llm/limit-headers';
import { formatResetDuration, TokenBucket } from './token-bucket';
import type { VirtualClock } from './virtual-clock';

export interface SimBehaviour {
  latencyMs: number;
  /** Each answer's latency varies by up to ± this much (seeded). */
  jitterMs?: number;
  dialect?: LimitDialect;
  rateLimit?: { ratePerSec: number; burst: number };
  tokenLimit?: { perSec: number; burst: number };
  /** Every request is answered 503 until this many ms after the start. */
  outageUntilMs?: number;
  /** Share of requests answered 500. */
  flakyShare?: number;
  /** Every request: 429 insufficient_quota. */
  quotaSpent?: boolean;
}

export interface SimStats {
  completions: number;
  status: Record<number, number>;
  maxInFlight: number;
}

/** Four characters a token, as the mock counts. */
export const simTokens = (text: string): number => Math.ceil(text.length / 4);

const encoder = new TextEncoder();

export function startSimLlm(clock: VirtualClock, behaviour: SimBehaviour, random: () => number) {
  const start = clock.now();
  const requests = behaviour.rateLimit && new TokenBucket(behaviour.rateLimit.ratePerSec, behaviour.rateLimit.burst, clock.now);
  const tokens = behaviour.tokenLimit && new TokenBucket(behaviour.tokenLimit.perSec, behaviour.tokenLimit.burst, clock.now);
  const dialect = behaviour.dialect ?? 'openai';
  const stats: SimStats = { completions: 0, status: {}, maxInFlight: 0 };
  let inFlight = 0;

  function turn(units: number): { headers: Record<string, string>; refusal?: Refusal } {
    const state: LimitState = {};
    const r = requests?.take();
    if (r && !r.ok) return { headers: {}, refusal: { window: 'requests', msUntilRetry: r.msUntilToken, state: { requests: { limit: requests!.burst, ...requests!.view() } } } };
    if (r?.ok) state.requests = { limit: requests!.burst, remaining: r.remaining, msUntilFull: r.msUntilFull };
    const t = tokens?.take(units);
    if (t && !t.ok) {
      requests?.refund();
      if (requests) state.requests = { limit: requests.burst, ...requests.view() };
      return { headers: {}, refusal: { window: 'tokens', msUntilRetry: t.msUntilToken, state: { ...state, tokens: { limit: tokens!.burst, ...tokens!.view() } } } };
    }
    if (t?.ok) state.tokens = { limit: tokens!.burst, remaining: t.remaining, msUntilFull: t.msUntilFull };
    return { headers: admittedHeaders(dialect, state, clock.now()) };
  }

  function answer(status: number, headers: Record<string, string>, body: unknown): Response {
    stats.status[status] = (stats.status[status] ?? 0) + 1;
    if (status !== 200) return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    const events = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: 'Summary.' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ];
    const text = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
    return new Response(encoder.encode(text), { status, headers: { 'content-type': 'text/event-stream', ...headers } });
  }

  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    if ((init.method ?? 'GET') === 'GET') return new Response(JSON.stringify({ data: [{ id: 'sim' }] }), { status: 200 });
    stats.completions += 1;
    inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    try {
      const body = JSON.parse(String(init.body)) as { messages?: { content?: string }[] };
      const units = simTokens((body.messages ?? []).map((m) => m.content ?? '').join(''));
      const at = clock.now() - start;
      let reply: () => Response;
      if (behaviour.quotaSpent) {
        reply = () => answer(429, {}, { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
      } else if (behaviour.outageUntilMs !== undefined && at < behaviour.outageUntilMs) {
        reply = () => answer(503, {}, { error: { message: 'The server is overloaded.', type: 'server_error', param: null, code: null } });
      } else if (behaviour.flakyShare !== undefined && random() < behaviour.flakyShare) {
        reply = () => answer(500, {}, { error: { message: 'The server had an error.', type: 'server_error', param: null, code: null } });
      } else {
        const { headers, refusal } = turn(units);
        if (refusal) {
          const [unit, abbr] = refusal.window === 'requests' ? ['requests', 'RPM'] : ['tokens', 'TPM'];
          const limit = refusal.state[refusal.window]?.limit ?? 0;
          const message = `Rate limit reached for sim-model on ${unit} per min (${abbr}): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${formatResetDuration(refusal.msUntilRetry)}.`;
          const refusedHeaders = limitedHeaders(dialect, refusal, clock.now());
          reply = () => answer(429, refusedHeaders, { error: { message, type: unit, param: null, code: 'rate_limit_exceeded' } });
        } else {
          reply = () => answer(200, headers, undefined);
        }
      }
      const jitter = behaviour.jitterMs ? (random() * 2 - 1) * behaviour.jitterMs : 0;
      await clock.sleep(Math.max(1, Math.round(behaviour.latencyMs + jitter)), signal);
      return reply();
    } finally {
      inFlight -= 1;
    }
  }) as typeof globalThis.fetch;

  return { fetch, stats };
}
