// Issue #13's pacing targets on a virtual clock: the real client (lib/llm: admission, pacer,
// breaker, retries) against a simulated server (tests/support/sim-llm.ts) whose buckets and header
// dialects are the mock server's. No sockets, no timers: machine load cannot move a number, and a
// seed repeats a run exactly. The real-server bench (pacing.bench.ts) stays the check that the
// simulation is not fooling us.
// `npm run bench -- pacer-sim [--only=sweep,shared,tokens,brownout,flaky,quota]`; BENCH_SEED=n, BENCH_SIM_SEEDS=k (seeds n…n+k−1).

import { createLlmClient, DEFAULT_CLIENT_OPTIONS } from '../lib/llm';
import { LIMIT_DIALECTS, type LimitDialect } from '../tests/support/mock-llm';
import { simTokens, startSimLlm } from '../tests/support/sim-llm';
import { seeded, simLoad, type SimOutcome } from '../tests/support/sim-run';
import { VirtualClock } from '../tests/support/virtual-clock';
import { passFail, ratio, seconds, table } from './lib/format';
import { seededRandom } from './lib/prose';
import type { BenchContext, BenchResult, Target } from './lib/types';
import { bucketMinMs, drawPoints, FLAKY, QUOTA, SHARED, SWEEP, SWEEP_TARGET, TOKENS } from './llm/pacing';

export const title = 'Pacing on a virtual clock: the same targets without machine noise (issue #13)';

const CONFIGS = [
  { name: `default (maxConcurrency ${DEFAULT_CLIENT_OPTIONS.maxConcurrency})`, options: {} },
  { name: 'maxConcurrency 50', options: { maxConcurrency: 50 } },
] as const;
/** Each answer's latency varies by ± this share: real servers are not metronomes. */
const JITTER = 0.1;
const n429 = (o: SimOutcome) => o.upstream.status[429] ?? 0;
const pct = (n: number, of: number) => `${n} (${((n / of) * 100).toFixed(0)}%)`;

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const seed = Number(process.env.BENCH_SEED) || Math.floor(Date.now() % 1_000_000);
  const seedCount = Number(process.env.BENCH_SIM_SEEDS) || 5;
  const seeds = Array.from({ length: seedCount }, (_, i) => seed + i);
  ctx.log(`Seeds ${seeds.join(', ')} (BENCH_SEED=${seed} BENCH_SIM_SEEDS=${seedCount} repeats them)`);
  const wanted = (name: string) => ctx.only.length === 0 || ctx.only.includes(name);
  const targets: Target[] = [];
  const sections: string[] = [];
  const started = performance.now();

  if (wanted('sweep')) {
    const rows: string[][] = [];
    const worst: string[][] = [];
    for (const dialect of LIMIT_DIALECTS) {
      for (const config of CONFIGS) {
        let overTime = 0;
        let over429 = 0;
        let failed = 0;
        let maxRatio = 0;
        let max429 = 0;
        let points = 0;
        const limit = dialect === 'none' ? SWEEP_TARGET.maxRatioSilent : SWEEP_TARGET.maxRatio;
        for (const s of seeds) {
          for (const [i, p] of drawPoints(seededRandom(s)).entries()) {
            const o = await simLoad({
              seed: s * 10 + i,
              count: p.count,
              options: config.options,
              behaviour: { latencyMs: p.latencyMs, jitterMs: JITTER * p.latencyMs, dialect, rateLimit: { ratePerSec: p.ratePerSec, burst: p.burst } },
            });
            const r = o.elapsedMs / bucketMinMs(p);
            const share = n429(o) / o.total;
            points += 1;
            if (o.ok < o.total) failed += 1;
            if (o.capped || r > limit) overTime += 1;
            if (share > SWEEP_TARGET.max429Share) over429 += 1;
            maxRatio = Math.max(maxRatio, r);
            max429 = Math.max(max429, share);
            if (o.ok < o.total || r > limit || share > SWEEP_TARGET.max429Share) {
              worst.push([dialect, config.name, `seed ${s} #${i + 1}`, `N ${p.count}, ${p.ratePerSec}/s, burst ${p.burst}, ${p.latencyMs} ms`, `${o.ok}/${o.total}`, ratio(r), pct(n429(o), o.total)]);
            }
          }
        }
        ctx.log(`  ${dialect}, ${config.name}: ${points - overTime}/${points} within ×${limit}, ${points - over429}/${points} within 10% 429s, worst ×${maxRatio.toFixed(2)}, ${(max429 * 100).toFixed(0)}%`);
        rows.push([dialect, config.name, String(points), String(failed), String(overTime), ratio(maxRatio), String(over429), `${(max429 * 100).toFixed(0)}%`]);
        const where = `sweep ${dialect}, ${config.name}`;
        targets.push(
          { name: `${where}: all succeed (${points} points)`, pass: failed === 0, measured: `${failed} points with failures` },
          { name: `${where}: time ≤ ${limit}× min, every point`, pass: overTime === 0, measured: `${overTime} over; worst ${ratio(maxRatio)}` },
          { name: `${where}: 429s ≤ 10% of N, every point`, pass: over429 === 0, measured: `${over429} over; worst ${(max429 * 100).toFixed(0)}%` },
        );
      }
    }
    sections.push(
      '### Header dialects',
      '',
      `${seeds.length} seeds × ${SWEEP.points} points per dialect (the real bench's ranges: rate ${SWEEP.rate.join('–')} req/s, burst ${SWEEP.burst.join('–')}, latency ${SWEEP.latencyMs.join('–')} ms ± ${JITTER * 100}%, N ${SWEEP.count.join('–')}); N requests at once.`,
      '',
      table(['dialect', 'Precis', 'points', 'with failures', 'over time target', 'worst × min', 'over 10% 429s', 'worst 429 share'], rows),
      '',
      worst.length === 0 ? 'Every point met every target.' : 'Points that missed a target:',
      '',
      ...(worst.length === 0 ? [] : [table(['dialect', 'Precis', 'point', 'bucket', 'ok', '× min', '429s'], worst)]),
    );
  }

  if (wanted('shared')) {
    const rows: string[][] = [];
    const min = bucketMinMs({ ratePerSec: SHARED.ratePerSec, burst: SHARED.burst, latencyMs: SHARED.latencyMs, count: SHARED.count });
    for (const dialect of LIMIT_DIALECTS) {
      for (const config of CONFIGS) {
        let worstRatio = 0;
        let worst429 = 0;
        let failed = 0;
        for (const s of seeds) {
          const o = await simLoad({
            seed: s,
            clients: SHARED.clients,
            count: SHARED.count / SHARED.clients,
            options: config.options,
            behaviour: { latencyMs: SHARED.latencyMs, jitterMs: JITTER * SHARED.latencyMs, dialect, rateLimit: { ratePerSec: SHARED.ratePerSec, burst: SHARED.burst } },
          });
          worstRatio = Math.max(worstRatio, o.elapsedMs / min);
          worst429 = Math.max(worst429, n429(o) / o.total);
          failed += o.total - o.ok;
        }
        ctx.log(`  shared ${dialect}, ${config.name}: worst ×${worstRatio.toFixed(2)}, ${(worst429 * 100).toFixed(0)}% 429s`);
        rows.push([dialect, config.name, String(failed), ratio(worstRatio), `${(worst429 * 100).toFixed(0)}%`]);
        const where = `shared key ${dialect}, ${SHARED.clients} × ${config.name}`;
        targets.push(
          { name: `${where}: all succeed`, pass: failed === 0, measured: `${failed} failed` },
          { name: `${where}: time ≤ 1.3× min, every seed`, pass: worstRatio <= 1.3, measured: `worst ${ratio(worstRatio)}` },
          { name: `${where}: 429s ≤ 25%, every seed`, pass: worst429 <= 0.25, measured: `worst ${(worst429 * 100).toFixed(0)}%` },
        );
      }
    }
    sections.push(
      '',
      '### Three clients, one key',
      '',
      `${SHARED.clients} independent clients share one bucket (${SHARED.ratePerSec} req/s, burst ${SHARED.burst}), ${SHARED.count / SHARED.clients} requests each at once, ${SHARED.latencyMs} ms ± ${JITTER * 100}%; min ${seconds(min)}; worst of ${seeds.length} seeds.`,
      '',
      table(['dialect', 'Precis (each client)', 'failed', 'worst × min', 'worst 429 share'], rows),
    );
  }

  if (wanted('tokens')) {
    const rows: string[][] = [];
    for (const config of CONFIGS) {
      const o = await simMapReduce(seed, config.options);
      rows.push([config.name, `${o.ok}/${TOKENS.parts + 1}`, seconds(o.elapsedMs), ratio(o.elapsedMs / o.minMs), String(o.refused)]);
      ctx.log(`  tokens, ${config.name}: ${ratio(o.elapsedMs / o.minMs)}, ${o.refused} 429s`);
      targets.push(
        { name: `tokens, ${config.name}: map-reduce succeeds`, pass: o.ok === TOKENS.parts + 1, measured: `${o.ok}/${TOKENS.parts + 1}` },
        { name: `tokens, ${config.name}: time ≤ 1.15× (tokens − bucket) / rate`, pass: o.elapsedMs <= 1.15 * o.minMs, measured: ratio(o.elapsedMs / o.minMs) },
      );
    }
    sections.push('', '### Tokens per minute', '', `The real bench's map-reduce (${TOKENS.parts} parts of ${TOKENS.partTokens} tokens, then a reduce; ${TOKENS.perSec / 1000}k tokens/s, ${TOKENS.burst / 1000}k burst, OpenAI headers).`, '', table(['Precis', 'ok', 'time', '× min', '429s'], rows));
  }

  if (wanted('brownout')) {
    const rows: string[][] = [];
    for (const outageMs of [2_000, 5_000, 10_000]) {
      for (const config of CONFIGS) {
        const o = await simLoad({ seed, count: 200, options: config.options, behaviour: { latencyMs: 10, jitterMs: 1, outageUntilMs: outageMs } });
        const n503 = o.upstream.status[503] ?? 0;
        const late = o.elapsedMs - outageMs;
        rows.push([`${outageMs / 1000} s`, config.name, `${o.ok}/${o.total}`, seconds(late), String(n503)]);
        ctx.log(`  brownout ${outageMs / 1000} s, ${config.name}: done ${seconds(late)} after, ${n503} 503s`);
        const where = `brownout ${outageMs / 1000} s, ${config.name}`;
        targets.push(
          { name: `${where}: all succeed`, pass: o.ok === o.total, measured: `${o.ok}/${o.total}` },
          { name: `${where}: done ≤ outage + 1 s`, pass: late <= 1_000, measured: seconds(late) },
          { name: `${where}: 503s ≤ ${(2 * outageMs) / 1000}`, pass: n503 <= (2 * outageMs) / 1000, measured: String(n503) },
        );
      }
    }
    sections.push('', '### Brownouts', '', '200 requests at once; 503 (no retry-after) for the outage, then healthy; 10 ms latency.', '', table(['outage', 'Precis', 'ok', 'done after the end', '503s'], rows));
  }

  if (wanted('flaky')) {
    const o = await simLoad({ seed, count: FLAKY.calls, sequential: true, behaviour: { latencyMs: FLAKY.latencyMs, flakyShare: FLAKY.share } });
    const amp = o.upstream.completions / FLAKY.calls;
    ctx.log(`  random 5xx: ${o.ok}/${o.total}, amplification ×${amp.toFixed(2)}`);
    targets.push(
      { name: 'random 5xx: 0 failures', pass: o.failed === 0, measured: String(o.failed) },
      { name: 'random 5xx: amplification ≤ 1.3×', pass: amp <= 1.3, measured: ratio(amp) },
    );
    sections.push('', '### 20% random 5xx', '', `${FLAKY.calls} calls one after another: ${o.ok}/${o.total} ok in ${seconds(o.elapsedMs)}, ${o.upstream.completions} upstream calls (${ratio(amp)}).`);
  }

  if (wanted('quota')) {
    const rows: string[][] = [];
    for (const config of CONFIGS) {
      const o = await simLoad({ seed, count: QUOTA.count, options: config.options, behaviour: { latencyMs: QUOTA.latencyMs, quotaSpent: true } });
      const quota = o.errors.get('quota') ?? 0;
      rows.push([config.name, String(o.upstream.completions), `${quota}/${o.total}`]);
      targets.push(
        { name: `quota, ${config.name}: ≤ 2 upstream requests`, pass: o.upstream.completions <= 2, measured: String(o.upstream.completions) },
        { name: `quota, ${config.name}: all fail with the quota error`, pass: quota === o.total, measured: `${quota}/${o.total}` },
      );
    }
    sections.push('', '### Spent quota', '', `${QUOTA.count} calls at once, every answer 429 insufficient_quota.`, '', table(['Precis', 'upstream requests', 'quota errors'], rows));
  }

  ctx.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s of wall time)`);
  const summary = table(
    ['target (Precis)', 'measured', 'result'],
    targets.map((t) => [t.name, t.measured, passFail(t.pass)]),
  );
  const markdown = [
    `Seeds ${seeds.join(', ')} (\`BENCH_SEED=${seed} BENCH_SIM_SEEDS=${seedCount} npm run bench -- pacer-sim\` repeats them exactly). Virtual time: the numbers do not depend on the machine or its load.`,
    '',
    `${targets.filter((t) => t.pass).length} of ${targets.length} targets met.`,
    '',
    summary,
    '',
    ...sections,
  ].join('\n');
  return { title, markdown, targets };
}

/** The token bench's map-reduce on the virtual clock. */
async function simMapReduce(seed: number, options: object): Promise<{ ok: number; elapsedMs: number; minMs: number; refused: number }> {
  const clock = new VirtualClock();
  const server = startSimLlm(clock, { latencyMs: TOKENS.latencyMs, dialect: 'openai' satisfies LimitDialect, tokenLimit: { perSec: TOKENS.perSec, burst: TOKENS.burst } }, seeded(seed));
  const client = createLlmClient({
    fetch: server.fetch,
    getProvider: () => ({ baseUrl: 'https://sim.test/v1', apiKey: 'sk-sim', model: 'sim-model' }),
    now: clock.now,
    sleep: clock.sleep,
    random: seeded(seed + 1),
    countTokens: simTokens,
    options,
  });
  const part = (i: number) => `part ${i}: ${'lorem ipsum '.repeat((TOKENS.partTokens * 4) / 12)}`.slice(0, TOKENS.partTokens * 4);
  const ask = (content: string) => client.chat({ messages: [{ role: 'user', content }] }).then(() => true, () => false);
  let done = false;
  let ok = 0;
  let reduceTokens = 0;
  void (async () => {
    const mapped = await Promise.all(Array.from({ length: TOKENS.parts }, (_, i) => ask(part(i))));
    ok += mapped.filter(Boolean).length;
    const reduce = `Combine these summaries:\n${mapped.map(() => 'Summary.').join('\n')}`;
    reduceTokens = simTokens(reduce);
    if (await ask(reduce)) ok += 1;
    done = true;
  })();
  await clock.run(() => done, 120_000);
  const total = TOKENS.parts * simTokens(part(0)) + reduceTokens;
  return { ok, elapsedMs: clock.elapsed(), minMs: ((total - TOKENS.burst) / TOKENS.perSec) * 1_000, refused: server.stats.status[429] ?? 0 };
}
