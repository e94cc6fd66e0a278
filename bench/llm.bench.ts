// Issue #3: the LLM client against the official `openai` SDK and a naive fetch loop, under a
// rate-limited burst, a brownout, a stall, an abort during backoff, and on a healthy server.

import { DEFAULT_CLIENT_OPTIONS } from '../lib/llm';
import type { BenchContext, BenchResult, Target } from './lib/types';
import { passFail, table } from './lib/format';
import { cappedFetchPeer, fetchWithoutRateLimitHeaders, naivePeer, precisPeer, sdkPeer } from './llm/peers';
import { BURST, runBurst, type ScenarioReport } from './llm/burst';
import { runBrownout } from './llm/brownout';
import { runAbort, runStall, STALL } from './llm/stall-abort';
import { runOverhead, runWarmUp } from './llm/overhead';

export const title = 'LLM client (issue #3)';

type Scenario = 'burst' | 'brownout' | 'stall' | 'abort' | 'overhead' | 'warmup';

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const precisDefault = precisPeer(`Precis (maxConcurrency ${DEFAULT_CLIENT_OPTIONS.maxConcurrency}, default)`);
  const precis8 = precisPeer('Precis (maxConcurrency 8)', { maxConcurrency: 8 });
  const precisStall = precisPeer(`Precis (timeouts ${STALL.timeoutMs / 1000} s)`, { idleTimeoutMs: STALL.timeoutMs, firstByteTimeoutMs: STALL.timeoutMs });
  const sdkDefault = sdkPeer('openai SDK (maxRetries 2, default)');
  const sdk10 = sdkPeer('openai SDK (maxRetries 10)', 10);
  // Informational: a server that only says retry-after leaves Precis its AIMD limit and the pause.
  const precis8Blind = precisPeer('Precis (maxConcurrency 8, x-ratelimit-* hidden)', { maxConcurrency: 8 }, fetchWithoutRateLimitHeaders);
  const loadPeers = [precisDefault, precis8, sdkDefault, sdk10, naivePeer];
  const loadPrecis = [precisDefault.name, precis8.name];

  const wanted = (name: string) => ctx.only.length === 0 || ctx.only.includes(name);
  const sections: [string, ScenarioReport][] = [];
  const scenario = async (name: Scenario, heading: string, go: () => Promise<ScenarioReport>) => {
    if (!wanted(name)) return;
    ctx.log(`${heading}`);
    const report = await go();
    sections.push([heading, report]);
    ctx.log();
    ctx.log(report.markdown);
    ctx.log();
  };

  await scenario('burst', 'Burst', () => runBurst([precisDefault, precis8, precis8Blind, sdkDefault, sdk10, naivePeer, cappedFetchPeer(DEFAULT_CLIENT_OPTIONS.maxConcurrency)], loadPrecis, ctx.log));
  await scenario('brownout', 'Brownout', () => runBrownout(loadPeers, loadPrecis, ctx.log));
  await scenario('stall', 'Stall', () => runStall([precisStall, sdkDefault, sdk10, naivePeer], [precisStall.name], ctx.log));
  await scenario('abort', 'Abort during backoff', () => runAbort([precisDefault, sdkDefault, sdk10, naivePeer], [precisDefault.name], ctx.log));
  await scenario('overhead', 'Overhead on a healthy server', () => runOverhead([precisDefault, sdkDefault], [precisDefault.name], ctx.log));
  await scenario('warmup', 'Warm-up', () => runWarmUp(ctx.log));

  const targets: Target[] = sections.flatMap(([, r]) => r.targets);
  const summary = table(
    ['target (Precis)', 'measured', 'result'],
    targets.map((t) => [t.name, t.measured, passFail(t.pass)]),
  );
  const markdown = [
    `Precis runs with its defaults (maxConcurrency ${DEFAULT_CLIENT_OPTIONS.maxConcurrency}) and, for the load scenarios, also with maxConcurrency 8 (a user-typical "max parallel requests"); targets are checked for both. ` +
      'Everything talks to the mock server (tests/support/mock-llm.ts) on 127.0.0.1; each peer gets a fresh server, one after another, in one process. ' +
      'Peers: the official `openai` SDK (default maxRetries 2, and maxRetries 10), and a naive loop: each request retries 429/5xx/network errors on its own with full-jitter backoff (base 500 ms, cap 20 s, 10 attempts), ignoring retry-after.',
    '',
    '### Targets',
    '',
    summary,
    '',
    'Notes:',
    `- Burst at the default maxConcurrency ${DEFAULT_CLIENT_OPTIONS.maxConcurrency}: with ${BURST.latencyMs} ms latency, ${DEFAULT_CLIENT_OPTIONS.maxConcurrency} requests in flight carry at most ${(DEFAULT_CLIENT_OPTIONS.maxConcurrency * 1000) / BURST.latencyMs} requests/s against a bucket refilling at ${BURST.ratePerSec}/s, so the user's cap, not the rate limit, sets the time; the "bare fetch, ${DEFAULT_CLIENT_OPTIONS.maxConcurrency} at a time" reference row shows what that cap allows on this machine.`,
    '- Precis paces itself from the `x-ratelimit-*-requests` headers the mock sends on every answer, as OpenAI does. The "x-ratelimit-* hidden" row is the same run with those headers stripped: only 429s with retry-after and the AIMD limit are left to go on.',
    '- Brownout: the breaker probes 0.6 s apart (the first once the failures that opened it fit 2 per second of outage), so a recovery is seen within 0.6 s, plus the time to drain the queue.',
  ].join('\n');
  const sectionsMarkdown = [
    ...sections.flatMap(([heading, r]) => ['', `### ${heading}`, '', r.markdown]),
  ].join('\n');
  return { title, markdown: `${markdown}\n${sectionsMarkdown}`, targets };
}
