// Issue #13: the pacer against servers that describe their limits in any dialect or not at all,
// a tokens-per-minute budget, brownouts, random 5xx, a spent quota and a key shared by three
// clients; peers: the openai SDK, a textbook full-jitter loop and the naive loop.
// `npm run bench -- pacing [--only=sweep,tokens,brownout,flaky,quota,shared]`; BENCH_SEED=n repeats a run.

import { DEFAULT_CLIENT_OPTIONS } from '../lib/llm';
import { LIMIT_DIALECTS } from '../tests/support/mock-llm';
import { passFail, table } from './lib/format';
import type { BenchContext, BenchResult, Target } from './lib/types';
import { runBrownout } from './llm/brownout';
import type { ScenarioReport } from './llm/burst';
import { countLikeTheMock, drawPoints, runDialectSweep, runFlaky, runQuota, runShared, runTokenBudget, SWEEP } from './llm/pacing';
import { seededRandom } from './lib/prose';
import { fullJitterPeer, naivePeer, precisPeer, sdkPeer } from './llm/peers';

export const title = 'Pacing: finding the limit whatever the server says (issue #13)';

type Scenario = 'sweep' | 'tokens' | 'brownout' | 'flaky' | 'quota' | 'shared';

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const seed = Number(process.env.BENCH_SEED) || Math.floor(Date.now() % 1_000_000);
  ctx.log(`Seed: ${seed} (BENCH_SEED=${seed} repeats the points)`);
  const counted = { countTokens: countLikeTheMock };
  const precisDefault = precisPeer(`Precis (default, maxConcurrency ${DEFAULT_CLIENT_OPTIONS.maxConcurrency})`, {}, undefined, counted);
  const precis50 = precisPeer('Precis (maxConcurrency 50)', { maxConcurrency: 50 }, undefined, counted);
  const sdk = sdkPeer('openai SDK (maxRetries 2, default)');
  const precis = [precisDefault, precis50];
  const precisNames = precis.map((p) => p.name);
  // BENCH_PRECIS_ONLY=1: only Precis's rows, for quick iteration (results are not written then).
  const precisOnly = process.env.BENCH_PRECIS_ONLY === '1';
  const peers = precisOnly ? precis : [...precis, sdk, fullJitterPeer, naivePeer];
  // Where the naive loop only takes long to show what the table already shows, it sits out (bounded run time).
  const short = precisOnly ? precis : [...precis, sdk, fullJitterPeer];

  const wanted = (name: Scenario) => ctx.only.length === 0 || ctx.only.includes(name);
  const sections: [string, ScenarioReport][] = [];
  const scenario = async (name: Scenario, heading: string, go: () => Promise<ScenarioReport>) => {
    if (!wanted(name)) return;
    ctx.log(heading);
    const report = await go();
    sections.push([heading, report]);
    ctx.log();
    ctx.log(report.markdown);
    ctx.log();
  };

  const points = drawPoints(seededRandom(seed));
  await scenario('sweep', 'Header dialects', () => runDialectSweep(peers, precisNames, points, LIMIT_DIALECTS, ctx.log));
  await scenario('tokens', 'Tokens per minute', () => runTokenBudget(peers, precisNames, ctx.log));
  for (const outageMs of [2_000, 5_000, 10_000]) {
    await scenario('brownout', `Brownout of ${outageMs / 1000} s`, () =>
      runBrownout(short, precisNames, ctx.log, { outageMs, afterOutageMs: 1_000, max503: 2 * (outageMs / 1000) }),
    );
  }
  await scenario('flaky', '20% random 5xx', () => runFlaky(precisOnly ? [precisDefault] : [precisDefault, sdk, fullJitterPeer], [precisDefault.name], seed, ctx.log));
  await scenario('quota', 'Spent quota', () => runQuota(peers, precisNames, ctx.log));
  await scenario('shared', 'Three clients, one key', () => runShared(peers, precisNames, ['openai', '429-only'], ctx.log));

  const targets: Target[] = sections.flatMap(([, r]) => r.targets);
  const summary = table(
    ['target (Precis)', 'measured', 'result'],
    targets.map((t) => [t.name, t.measured, passFail(t.pass)]),
  );
  const markdown = [
    `Seed ${seed}: ${SWEEP.points} points per dialect, rate ${SWEEP.rate.join('–')} req/s, burst ${SWEEP.burst.join('–')}, latency ${SWEEP.latencyMs.join('–')} ms, N ${SWEEP.count.join('–')} (\`BENCH_SEED=${seed} npm run bench -- pacing\` repeats them). ` +
      `Precis at its defaults (maxConcurrency ${DEFAULT_CLIENT_OPTIONS.maxConcurrency}) and at maxConcurrency 50. Peers: the official \`openai\` SDK (maxRetries 2), a textbook full-jitter loop (5 tries, 50 requests at once, base 500 ms, cap 20 s) and the naive loop (10 attempts, no bound on requests in flight); the loops ignore retry-after. Every run gets a fresh mock server on 127.0.0.1, one after another.`,
    '',
    `${targets.filter((t) => t.pass).length} of ${targets.length} targets met.`,
    '',
    '### Targets',
    '',
    summary,
  ].join('\n');
  const sectionsMarkdown = sections.flatMap(([heading, r]) => ['', `### ${heading}`, '', r.markdown]).join('\n');
  return { title, markdown: `${markdown}\n${sectionsMarkdown}`, targets };
}
