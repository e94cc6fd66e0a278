// Issue #13's scenarios: finding the provider's limit whatever its headers say, token budgets,
// brownouts, random 5xx, a spent quota and several clients on one key. Each run gets a fresh mock
// server (tests/support/mock-llm.ts) on 127.0.0.1.

import { setMaxListeners } from 'node:events';
import { startMockLlm, type LimitDialect, type MockBehaviour } from '../../tests/support/mock-llm';
import { ratio, seconds, table, withCap } from '../lib/format';
import { seededRandom } from '../lib/prose';
import type { Target } from '../lib/types';
import type { ScenarioReport } from './burst';
import { describeErrors, errorLabel, runLoad, type LoadOutcome } from './load';
import type { Peer } from './peers';

export type Log = (line?: string) => void;

const between = (random: () => number, lo: number, hi: number) => Math.round(lo + random() * (hi - lo));

export interface BucketPoint {
  ratePerSec: number;
  burst: number;
  latencyMs: number;
  count: number;
}

/** The last request cannot take a token before (N − burst) / rate, and then needs one latency. */
export const bucketMinMs = (p: BucketPoint): number => ((p.count - p.burst) / p.ratePerSec) * 1_000 + p.latencyMs;

/** Ranges the points are drawn from: rate × latency stays under what 8 requests in flight carry, so the default cap is not what is measured. */
export const SWEEP = { points: 3, rate: [15, 30], burst: [5, 20], latencyMs: [50, 200], count: [60, 120] } as const;
export const SWEEP_TARGET = { maxRatio: 1.1, maxRatioSilent: 1.25, max429Share: 0.1 } as const;

export function drawPoints(random: () => number): BucketPoint[] {
  return Array.from({ length: SWEEP.points }, () => ({
    ratePerSec: between(random, ...SWEEP.rate),
    burst: between(random, ...SWEEP.burst),
    latencyMs: between(random, ...SWEEP.latencyMs),
    count: between(random, ...SWEEP.count),
  }));
}

const n429 = (o: LoadOutcome) => o.upstream.status[429] ?? 0;
const share = (n: number, of: number) => `${n} (${((n / of) * 100).toFixed(0)}%)`;

/** Every peer against every dialect at each point; targets for the Precis peers. */
export async function runDialectSweep(peers: Peer[], precisNames: string[], points: BucketPoint[], dialects: readonly LimitDialect[], log: Log): Promise<ScenarioReport> {
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const dialect of dialects) {
    for (const [i, point] of points.entries()) {
      const min = bucketMinMs(point);
      const maxRatio = dialect === 'none' ? SWEEP_TARGET.maxRatioSilent : SWEEP_TARGET.maxRatio;
      for (const peer of peers) {
        log(`  ${dialect} #${i + 1}: ${peer.name}…`);
        const o = await runLoad(peer, {
          count: point.count,
          capMs: Math.max(20_000, 4 * min),
          behaviour: { latencyMs: point.latencyMs, rateLimit: { ratePerSec: point.ratePerSec, burst: point.burst }, limitHeaders: dialect },
        });
        log(`    ${o.ok}/${o.total} ok in ${seconds(o.elapsedMs)} (${ratio(o.elapsedMs / min)}), 429s: ${n429(o)}`);
        rows.push([dialect, `#${i + 1}`, peer.name, `${o.ok}/${o.total}`, seconds(o.elapsedMs) + (o.capped ? ' (cap)' : ''), ratio(o.elapsedMs / min), share(n429(o), o.total), String(o.upstream.completions), describeErrors(o)]);
        if (!precisNames.includes(peer.name)) continue;
        const where = `${dialect} #${i + 1}, ${peer.name}`;
        targets.push(
          { name: `${where}: all succeed`, pass: o.ok === o.total, measured: `${o.ok}/${o.total}` },
          { name: `${where}: time ≤ ${maxRatio}× min`, pass: !o.capped && o.elapsedMs <= maxRatio * min, measured: `${seconds(o.elapsedMs)} = ${ratio(o.elapsedMs / min)}` },
          { name: `${where}: 429s ≤ ${SWEEP_TARGET.max429Share * 100}% of N`, pass: n429(o) <= SWEEP_TARGET.max429Share * o.total, measured: share(n429(o), o.total) },
        );
      }
    }
  }
  const pointLines = points.map(
    (p, i) => `- #${i + 1}: N = ${p.count}, ${p.ratePerSec} req/s, burst ${p.burst}, ${p.latencyMs} ms latency: min = (${p.count} − ${p.burst}) / ${p.ratePerSec} + ${p.latencyMs / 1000} = ${seconds(bucketMinMs(p))}`,
  );
  const markdown = [
    'N requests at once against a request bucket; the server describes its limits in the named header dialect (tests/support/mock-llm/limit-headers.ts). Points:',
    '',
    ...pointLines,
    '',
    table(['dialect', 'point', 'peer', 'ok', 'time', '× min', 'upstream 429s', 'upstream calls', 'failures'], rows),
  ].join('\n');
  return { markdown, targets };
}

// ── Tokens per minute: a long page's map-reduce ─────────────────────────────────────────────────

export const TOKENS = { parts: 25, partTokens: 8_000, perSec: 40_000, burst: 40_000, latencyMs: 100 } as const;

/** The mock counts four characters a token; the client is given the same count (a tokenizer that matches the server's). */
export const countLikeTheMock = (text: string): number => Math.ceil(text.length / 4);

export async function runTokenBudget(peers: Peer[], precisNames: string[], log: Log): Promise<ScenarioReport> {
  const part = (i: number) => `part ${i}: ${'lorem ipsum '.repeat((TOKENS.partTokens * 4) / 12)}`.slice(0, TOKENS.partTokens * 4);
  const partTokens = countLikeTheMock(part(0));
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const peer of peers) {
    log(`  tokens: ${peer.name}…`);
    const mock = await startMockLlm({
      latencyMs: TOKENS.latencyMs,
      tokenLimit: { perMinute: TOKENS.perSec * 60, burst: TOKENS.burst },
      limitHeaders: 'openai',
    });
    try {
      const client = peer.create(mock.baseUrl);
      const stop = new AbortController();
      setMaxListeners(0, stop.signal);
      const started = performance.now();
      const mapped = await withCap(
        Promise.allSettled(Array.from({ length: TOKENS.parts }, (_, i) => client.chat(part(i), { signal: stop.signal }))),
        60_000,
      );
      const summaries = (mapped ?? []).map((r) => (r.status === 'fulfilled' ? r.value : ''));
      const reducePrompt = `Combine these summaries:\n${summaries.join('\n')}`;
      const reduced = mapped === undefined ? undefined : await withCap(client.chat(reducePrompt, { signal: stop.signal }).then(() => true, () => false), 60_000);
      const elapsed = performance.now() - started;
      stop.abort();
      const ok = (mapped ?? []).filter((r) => r.status === 'fulfilled').length + (reduced === true ? 1 : 0);
      const total = TOKENS.parts * partTokens + countLikeTheMock(reducePrompt);
      const min = ((total - TOKENS.burst) / TOKENS.perSec) * 1_000;
      const n = mock.stats().status[429] ?? 0;
      rows.push([peer.name, `${ok}/${TOKENS.parts + 1}`, seconds(elapsed), ratio(elapsed / min), String(n), String(mock.stats().completions)]);
      log(`    ${ok}/${TOKENS.parts + 1} ok in ${seconds(elapsed)} (${ratio(elapsed / min)}), 429s: ${n}`);
      if (precisNames.includes(peer.name)) {
        targets.push(
          { name: `tokens, ${peer.name}: map-reduce succeeds`, pass: ok === TOKENS.parts + 1, measured: `${ok}/${TOKENS.parts + 1}` },
          { name: `tokens, ${peer.name}: time ≤ 1.15× (tokens − bucket) / rate`, pass: elapsed <= 1.15 * min, measured: `${seconds(elapsed)} = ${ratio(elapsed / min)}` },
        );
      }
    } finally {
      await mock.close();
    }
  }
  const markdown = [
    `A ${(TOKENS.parts * TOKENS.partTokens) / 1000}k-token page as a map-reduce: ${TOKENS.parts} parts of ${TOKENS.partTokens} tokens at once, then one reduce over their answers. Token bucket ${TOKENS.perSec / 1000}k tokens/s (${(TOKENS.perSec * 60) / 1e6}M per minute), ${TOKENS.burst / 1000}k burst; requests unlimited; OpenAI's x-ratelimit-*-tokens headers; ${TOKENS.latencyMs} ms latency. Precis counts each request's tokens before sending with a counter that matches the server's. Min = (total tokens − bucket) / rate.`,
    '',
    table(['peer', 'ok', 'time', '× min', 'upstream 429s', 'upstream calls'], rows),
  ].join('\n');
  return { markdown, targets };
}

// ── 20 % random 5xx, sequential calls ───────────────────────────────────────────────────────────

export const FLAKY = { calls: 500, share: 0.2, latencyMs: 2, capMs: 120_000 } as const;

export async function runFlaky(peers: Peer[], precisNames: string[], seed: number, log: Log): Promise<ScenarioReport> {
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const peer of peers) {
    log(`  random 5xx: ${peer.name}…`);
    const random = seededRandom(seed);
    const mock = await startMockLlm({ latencyMs: FLAKY.latencyMs });
    // The same seeded sequence for every peer: a 500, or an ordinary answer (a no-op `slow`).
    mock.fail(...Array.from({ length: FLAKY.calls * 4 }, () => (random() < FLAKY.share ? { kind: 'status' as const, status: 500 } : { kind: 'slow' as const })));
    try {
      const client = peer.create(mock.baseUrl);
      const errors = new Map<string, number>();
      let ok = 0;
      const started = performance.now();
      const run = (async () => {
        for (let i = 0; i < FLAKY.calls; i += 1) {
          try {
            await client.chat(`call ${i}`);
            ok += 1;
          } catch (error) {
            const label = errorLabel(error);
            errors.set(label, (errors.get(label) ?? 0) + 1);
          }
        }
      })();
      await withCap(run, FLAKY.capMs);
      const elapsed = performance.now() - started;
      const calls = mock.stats().completions;
      const failed = FLAKY.calls - ok;
      rows.push([peer.name, `${ok}/${FLAKY.calls}`, seconds(elapsed), String(calls), ratio(calls / FLAKY.calls), [...errors].map(([k, v]) => `${k} ×${v}`).join(', ') || '–']);
      log(`    ${ok}/${FLAKY.calls} ok, ${calls} upstream calls in ${seconds(elapsed)}`);
      if (precisNames.includes(peer.name)) {
        targets.push(
          { name: `random 5xx, ${peer.name}: 0 failures`, pass: failed === 0, measured: String(failed) },
          { name: `random 5xx, ${peer.name}: amplification ≤ 1.3×`, pass: calls <= 1.3 * FLAKY.calls, measured: ratio(calls / FLAKY.calls) },
        );
      }
    } finally {
      await mock.close();
    }
  }
  const markdown = [
    `${FLAKY.calls} calls one after another; each upstream request fails with 500 with probability ${FLAKY.share} (the same seeded sequence for every peer), ${FLAKY.latencyMs} ms latency. Amplification = upstream calls / calls.`,
    '',
    table(['peer', 'ok', 'time', 'upstream calls', 'amplification', 'failures'], rows),
  ].join('\n');
  return { markdown, targets };
}

// ── A spent quota ───────────────────────────────────────────────────────────────────────────────

export const QUOTA = { count: 20, latencyMs: 20, capMs: 10_000 } as const;

export async function runQuota(peers: Peer[], precisNames: string[], log: Log): Promise<ScenarioReport> {
  const spent: MockBehaviour['always'] = {
    kind: 'status',
    status: 429,
    body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
  };
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const peer of peers) {
    log(`  quota: ${peer.name}…`);
    const o = await runLoad(peer, { count: QUOTA.count, capMs: QUOTA.capMs, behaviour: { latencyMs: QUOTA.latencyMs, always: spent } });
    rows.push([peer.name, `${o.failed}/${o.total}`, seconds(o.elapsedMs), String(o.upstream.completions), describeErrors(o)]);
    log(`    ${o.upstream.completions} upstream requests, ${describeErrors(o)}`);
    if (precisNames.includes(peer.name)) {
      const quota = o.errors.get('quota') ?? 0;
      targets.push(
        { name: `quota, ${peer.name}: ≤ 2 upstream requests`, pass: o.upstream.completions <= 2, measured: String(o.upstream.completions) },
        { name: `quota, ${peer.name}: all fail with the quota error`, pass: quota === o.total, measured: `${quota}/${o.total}` },
      );
    }
  }
  const markdown = [
    `${QUOTA.count} calls at once on an exhausted quota (every request: 429 insufficient_quota, OpenAI's body), ${QUOTA.latencyMs} ms latency.`,
    '',
    table(['peer', 'failed', 'time', 'upstream requests', 'failures'], rows),
  ].join('\n');
  return { markdown, targets };
}

// ── Three independent clients on one key ────────────────────────────────────────────────────────

export const SHARED = { clients: 3, count: 180, ratePerSec: 20, burst: 10, latencyMs: 100, capMs: 60_000 } as const;

export async function runShared(peers: Peer[], precisNames: string[], dialects: readonly LimitDialect[], log: Log): Promise<ScenarioReport> {
  const point: BucketPoint = { ratePerSec: SHARED.ratePerSec, burst: SHARED.burst, latencyMs: SHARED.latencyMs, count: SHARED.count };
  const min = bucketMinMs(point);
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const dialect of dialects) {
    for (const peer of peers) {
      log(`  shared (${dialect}): ${SHARED.clients} × ${peer.name}…`);
      const mock = await startMockLlm({ latencyMs: SHARED.latencyMs, rateLimit: { ratePerSec: SHARED.ratePerSec, burst: SHARED.burst }, limitHeaders: dialect });
      try {
        const clients = Array.from({ length: SHARED.clients }, () => peer.create(mock.baseUrl));
        const stop = new AbortController();
        setMaxListeners(0, stop.signal);
        const per = SHARED.count / SHARED.clients;
        let ok = 0;
        const started = performance.now();
        const all = Promise.allSettled(
          clients.flatMap((c, k) => Array.from({ length: per }, (_, i) => c.chat(`client ${k} request ${i}`, { signal: stop.signal }).then(() => (ok += 1)))),
        );
        const finished = (await withCap(all.then(() => true), SHARED.capMs)) === true;
        const elapsed = finished ? performance.now() - started : SHARED.capMs;
        stop.abort();
        const n = mock.stats().status[429] ?? 0;
        rows.push([dialect, peer.name, `${ok}/${SHARED.count}`, seconds(elapsed) + (finished ? '' : ' (cap)'), ratio(elapsed / min), share(n, SHARED.count), String(mock.stats().completions)]);
        log(`    ${ok}/${SHARED.count} ok in ${seconds(elapsed)} (${ratio(elapsed / min)}), 429s: ${n}`);
        if (precisNames.includes(peer.name)) {
          const where = `shared key (${dialect}), ${SHARED.clients} × ${peer.name}`;
          targets.push(
            { name: `${where}: all succeed`, pass: ok === SHARED.count, measured: `${ok}/${SHARED.count}` },
            { name: `${where}: time ≤ 1.3× min`, pass: finished && elapsed <= 1.3 * min, measured: `${seconds(elapsed)} = ${ratio(elapsed / min)}` },
            { name: `${where}: 429s ≤ 25% of N`, pass: n <= 0.25 * SHARED.count, measured: share(n, SHARED.count) },
          );
        }
      } finally {
        await mock.close();
      }
    }
  }
  const markdown = [
    `${SHARED.clients} independent clients of the same kind share one bucket (${SHARED.ratePerSec} req/s, burst ${SHARED.burst}), ${SHARED.count / SHARED.clients} requests each, all at once; ${SHARED.latencyMs} ms latency. Min of the combined load = ${seconds(min)}.`,
    '',
    table(['dialect', 'peer (each client)', 'ok', 'time', '× min', 'upstream 429s', 'upstream calls'], rows),
  ].join('\n');
  return { markdown, targets };
}
