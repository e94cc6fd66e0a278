// Issue #4: the response cache. Lookups are measured in headless Chromium against real IndexedDB
// holding 10,000 answers (bench/browser/cache-probe.ts, bundled by the browser harness), with the
// same code in Node on fake-indexeddb for reference. Peers: a live call to the mock server for
// lookups, a naive JSON.stringify + SHA-256 for the key, and the bare client for a workload that
// re-summarises 100 pages of which 40 repeat.

import { IDBKeyRange as FakeKeyRange, indexedDB as fakeIndexedDb } from 'fake-indexeddb';
import { createResponseCache, withCache } from '../lib/cache';
import { openDb } from '../lib/db';
import { createLlmClient } from '../lib/llm';
import type { ChatRequest, ChatResult, ProviderConfig } from '../lib/llm/types';
import { startMockLlm, type MockLlm } from '../tests/support/mock-llm';
import * as probe from './browser/cache-probe';
import { startBrowserHarness } from './browser/harness';
import { ms, passFail, percentile, ratio, seconds, table } from './lib/format';
import { prose, proseText } from './lib/prose';
import type { BenchContext, BenchResult, Target } from './lib/types';

export const title = 'Response cache (issue #4)';

const ENTRIES = 10_000;
/** A typical stored summary. */
const ANSWER_CHARS = 1_500;
const KEY_PAGE_CHARS = 100_000;
const E2E_PAGE_CHARS = 20_000;
const WORKLOAD = { distinct: 60, repeats: 40, latencyMs: 200 };

const p50 = (xs: readonly number[]) => percentile(xs, 50);
const p95 = (xs: readonly number[]) => percentile(xs, 95);
const us = (valueMs: number) => (Number.isFinite(valueMs) ? `${(valueMs * 1000).toFixed(1)} µs` : '–');
/** Sub-millisecond values in µs, the rest in ms. */
const dur = (valueMs: number) => (valueMs < 1 ? us(valueMs) : ms(valueMs, valueMs < 10 ? 2 : 0));
/** A single lookup timed alone: below the browser timer's 5 µs step it reads 0. */
const tick = (valueMs: number) => (valueMs === 0 ? '< 5 µs' : dur(valueMs));
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** A summary the mock writes from the page it is sent: deterministic, ~600 characters. */
function mockSummary({ messages }: { messages: { content: string }[] }): string {
  const page = messages[messages.length - 1]?.content ?? '';
  const words = page.replace(/<[^>]*>/g, ' ').split(/\s+/).filter(Boolean);
  return `## Summary\n\n- ${words.slice(20, 45).join(' ')}.\n- ${words.slice(60, 85).join(' ')}.\n- ${words.slice(100, 120).join(' ')}.`;
}

interface LookupReport {
  l1: probe.HitTimes;
  l2: probe.HitTimes;
  miss: probe.HitTimes;
  put: probe.HitTimes;
  key: probe.KeyTimes;
  populate: probe.PopulateResult;
}

/** The lookup measurements, through a `call` that runs a probe export (in the page, or in Node). */
async function measureLookups(call: <T>(name: string, ...args: unknown[]) => Promise<T>, log: (line: string) => void, where: string): Promise<LookupReport> {
  const populate = await call<probe.PopulateResult>('populate', { entries: ENTRIES, answerChars: ANSWER_CHARS, seed: 1 });
  log(`  ${where}: ${populate.entries} answers (${(populate.bytes / 2 ** 20).toFixed(1)} MiB) stored in ${seconds(populate.ms, 1)}`);
  const l2 = await call<probe.HitTimes>('l2Hits', { samples: 300, seed: 2 });
  const l1 = await call<probe.HitTimes>('l1Hits', { samples: 300, batch: 100, seed: 3 });
  const miss = await call<probe.HitTimes>('misses', { samples: 100 });
  const put = await call<probe.HitTimes>('puts', { samples: 100, answerChars: ANSWER_CHARS });
  const key = await call<probe.KeyTimes>('keyHashing', { chars: KEY_PAGE_CHARS, runs: 30, seed: 4 });
  log(`  ${where}: L1 p50 ${dur(p50(l1.samples))}, L2 p50 ${dur(p50(l2.samples))}, key(100k) p50 ${dur(p50(key.precis))}`);
  return { l1, l2, miss, put, key, populate };
}

interface WorkloadRun {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalMs: number;
  missMs: number[];
  hitMs: number[];
  cacheHits: number;
  savedTokens: number;
}

/** 60 distinct pages, 40 of them summarised a second time, in a seeded order. */
function visits(): { page: number; repeat: boolean }[] {
  const p = prose(11);
  const pages = Array.from({ length: WORKLOAD.distinct }, (_, i) => i);
  const again = [...pages];
  const repeats: number[] = [];
  while (repeats.length < WORKLOAD.repeats) repeats.push(again.splice(p.int(again.length), 1)[0]!);
  const order = [...pages, ...repeats];
  for (let i = order.length - 1; i > 0; i--) {
    const j = p.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const seen = new Set<number>();
  return order.map((page) => {
    const repeat = seen.has(page);
    seen.add(page);
    return { page, repeat };
  });
}

async function runWorkload(mock: MockLlm, cached: boolean, requests: ChatRequest[], order: { page: number; repeat: boolean }[]): Promise<WorkloadRun> {
  mock.reset();
  mock.set({ latencyMs: WORKLOAD.latencyMs, reply: mockSummary });
  const provider: ProviderConfig = { baseUrl: mock.baseUrl, apiKey: '', model: 'mock-model' };
  const llm = createLlmClient({ fetch: (input, init) => fetch(input, init), getProvider: () => provider });
  const db = openDb(`precis-bench-workload-${cached ? 'cached' : 'bare'}`, fakeIndexedDb, FakeKeyRange);
  await db.delete();
  await db.open();
  const cache = createResponseCache({ db });
  const cachedClient = withCache(llm, cache, { getProvider: () => provider });
  const summarise = (req: ChatRequest): Promise<ChatResult & { cached?: unknown }> =>
    cached ? cachedClient.chat(req, { cachePolicy: 'summary' }) : llm.chat(req);
  const run: WorkloadRun = { calls: 0, promptTokens: 0, completionTokens: 0, totalMs: 0, missMs: [], hitMs: [], cacheHits: 0, savedTokens: 0 };
  const started = performance.now();
  for (const visit of order) {
    const t = performance.now();
    const result = await summarise(requests[visit.page]!);
    const dt = performance.now() - t;
    if (result.cached) {
      run.cacheHits++;
      run.hitMs.push(dt);
    } else run.missMs.push(dt);
    run.promptTokens += result.usage?.promptTokens ?? 0;
    run.completionTokens += result.usage?.completionTokens ?? 0;
  }
  run.totalMs = performance.now() - started;
  run.calls = mock.stats().completions;
  if (cached) {
    const stats = await cache.stats();
    run.savedTokens = stats.savedPromptTokens + stats.savedCompletionTokens;
  }
  await cache.flush();
  db.close();
  await db.delete();
  return run;
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const mock = await startMockLlm({ reply: mockSummary });
  try {
    // 1. Lookups and key hashing in Chromium, real IndexedDB.
    ctx.log('Chromium (real IndexedDB):');
    const harness = await startBrowserHarness({ entry: 'bench/browser/cache-probe.ts' });
    let chromium: LookupReport;
    let agreement: probe.KeyAgreement;
    let e2e: probe.EndToEnd;
    let browserVersion: string;
    try {
      browserVersion = harness.browser.version();
      await harness.open('/');
      chromium = await measureLookups(harness.call, ctx.log, 'Chromium');
      agreement = await harness.call<probe.KeyAgreement>('keyAgreement');
      mock.reset();
      mock.set({ reply: mockSummary });
      e2e = await harness.call<probe.EndToEnd>('endToEnd', { baseUrl: mock.baseUrl, pageChars: E2E_PAGE_CHARS, runs: 20, seed: 50 });
      ctx.log(`  Chromium: live call p50 ${dur(p50(e2e.live))}, withCache hit L1 ${dur(p50(e2e.hitL1))}, L2 ${dur(p50(e2e.hitL2))}`);
      await harness.call('cleanUp');
    } finally {
      await harness.close();
    }

    // 2. The same probe in Node on fake-indexeddb, for reference.
    ctx.log('Node (fake-indexeddb):');
    probe.useIndexedDb({ indexedDB: fakeIndexedDb, IDBKeyRange: FakeKeyRange });
    const nodeCall = async <T>(name: string, ...args: unknown[]): Promise<T> => (probe as unknown as Record<string, (...a: unknown[]) => Promise<T>>)[name]!(...args);
    const node = await measureLookups(nodeCall, ctx.log, 'Node');
    await probe.cleanUp();

    // 3. The workload: 100 summaries, 60 distinct pages, through the real client, with and without the cache.
    ctx.log(`Workload: ${WORKLOAD.distinct + WORKLOAD.repeats} summaries of ${WORKLOAD.distinct} pages, mock latency ${WORKLOAD.latencyMs} ms…`);
    const pageSizes = prose(12);
    const requests = Array.from({ length: WORKLOAD.distinct }, (_, i) =>
      probe.summaryRequest(proseText(100 + i, 3_000 + pageSizes.int(37_000)), `Page ${i}`),
    );
    const order = visits();
    const bare = await runWorkload(mock, false, requests, order);
    ctx.log(`  no cache: ${bare.calls} calls in ${seconds(bare.totalMs, 1)}`);
    const cached = await runWorkload(mock, true, requests, order);
    ctx.log(`  withCache: ${cached.calls} calls in ${seconds(cached.totalMs, 1)}`);

    // Tables.
    const live = p50(e2e.live);
    const lookupRows = [
      ['L1 hit: `cache.get` (memory; samples are means of 100 lookups)', chromium.l1.samples, `timed one by one (5 µs timer): p50 ${tick(p50(chromium.l1.single ?? []))}, p95 ${tick(p95(chromium.l1.single ?? []))}`],
      ['L2 hit: `cache.get` (IndexedDB, 10,000 entries)', chromium.l2.samples, `${chromium.l2.hits}/${chromium.l2.samples.length} hits`],
      ['miss: `cache.get` (IndexedDB read, nothing there)', chromium.miss.samples, ''],
      ['`cache.put` of a new answer (one write transaction)', chromium.put.samples, ''],
      [`\`withCache(client).chat()\` hit from L1 (${E2E_PAGE_CHARS / 1000}k-char page, key included)`, e2e.hitL1, ''],
      [`\`withCache(client).chat()\` hit from L2 (${E2E_PAGE_CHARS / 1000}k-char page, key included)`, e2e.hitL2, ''],
      ['peer: live call, `createLlmClient().chat()` to the mock at 0 ms latency', e2e.live, `${e2e.upstreamCalls} upstream calls for ${e2e.live.length * 3} chats`],
    ] as const;
    const lookups = table(
      ['Chromium ' + browserVersion, 'p50', 'p95', 'live call ÷ this', 'note'],
      lookupRows.map(([name, xs, note]) => [name, dur(p50(xs)), dur(p95(xs)), ratio(live / p50(xs), live / p50(xs) >= 100 ? 0 : 1), note]),
    );

    const keyRows = (r: probe.KeyTimes) => [
      ['Precis `requestKey` (canonical JSON, SHA-256)', dur(p50(r.precis)), dur(p95(r.precis)), ratio(1)],
      ['  of which canonical JSON', dur(p50(r.canonicalOnly)), dur(p95(r.canonicalOnly)), ratio(p50(r.canonicalOnly) / p50(r.precis))],
      ['  of which `crypto.subtle.digest` (UTF-8 bytes ready)', dur(p50(r.digestOnly)), dur(p95(r.digestOnly)), ratio(p50(r.digestOnly) / p50(r.precis))],
      ['peer: naive `JSON.stringify` + SHA-256', dur(p50(r.naive)), dur(p95(r.naive)), ratio(p50(r.naive) / p50(r.precis))],
    ];
    const keys = table(
      [`key of a ${KEY_PAGE_CHARS / 1000}k-char page (Chromium)`, 'p50', 'p95', 'vs Precis'],
      [...keyRows(chromium.key), ['first call (cold)', dur(chromium.key.first), '', '']],
    );
    const agreementTable = table(
      ['equivalent requests', 'variants', 'Precis keys', 'naive keys'],
      [
        ...agreement.cases.map((c) => [c.name, String(c.variants), String(c.precisKeys), String(c.naiveKeys)]),
        ['different requests (page edited, temperature changed): all keys distinct?', '3', agreement.distinctPrecis ? 'yes' : 'NO', agreement.distinctNaive ? 'yes' : 'NO'],
      ],
    );

    const nodeTable = table(
      ['Node ' + process.version + ', fake-indexeddb (reference only)', 'p50', 'p95'],
      [
        ['L1 hit: `cache.get` (means of 100 lookups)', dur(p50(node.l1.samples)), dur(p95(node.l1.samples))],
        ['L2 hit: `cache.get` (10,000 entries)', dur(p50(node.l2.samples)), dur(p95(node.l2.samples))],
        ['miss: `cache.get`', dur(p50(node.miss.samples)), dur(p95(node.miss.samples))],
        ['`cache.put`', dur(p50(node.put.samples)), dur(p95(node.put.samples))],
        [`\`requestKey\`, ${KEY_PAGE_CHARS / 1000}k-char page`, dur(p50(node.key.precis)), dur(p95(node.key.precis))],
        [`naive \`JSON.stringify\` + SHA-256, ${KEY_PAGE_CHARS / 1000}k-char page`, dur(p50(node.key.naive)), dur(p95(node.key.naive))],
      ],
    );

    const tokens = (r: WorkloadRun) => r.promptTokens + r.completionTokens;
    const workload = table(
      [`${order.length} summaries, ${WORKLOAD.distinct} distinct pages (mock latency ${WORKLOAD.latencyMs} ms)`, 'upstream calls', 'tokens billed', 'total time', 'mean per summary', 'vs no cache (time)'],
      [
        ['peer: no cache (`createLlmClient` alone)', String(bare.calls), String(tokens(bare)), seconds(bare.totalMs, 1), ms(bare.totalMs / order.length), ratio(1)],
        ['Precis `withCache(createLlmClient)`', String(cached.calls), String(tokens(cached)), seconds(cached.totalMs, 1), ms(cached.totalMs / order.length), ratio(cached.totalMs / bare.totalMs)],
      ],
    );
    const savedCalls = bare.calls - cached.calls;
    const savedTokens = tokens(bare) - tokens(cached);
    const workloadNote =
      `Saved ${savedCalls} of ${bare.calls} upstream calls (${pct(savedCalls / bare.calls)}) and ${savedTokens} of ${tokens(bare)} tokens (${pct(savedTokens / tokens(bare))}); ` +
      `the cache's own counters report ${cached.savedTokens} tokens saved over ${cached.cacheHits} hits. ` +
      `A repeat took ${ms(p50(cached.hitMs), 2)} (p50) instead of ${ms(p50(cached.missMs))}. Page texts are 3k–40k characters; requests go through the real client, streaming, to the mock on 127.0.0.1; the cache uses fake-indexeddb in Node.`;

    const targets: Target[] = [
      {
        name: 'L1 hit p50 < 0.1 ms (Chromium)',
        pass: p50(chromium.l1.samples) < 0.1 && p50(chromium.l1.single ?? [Infinity]) < 0.1,
        measured: `${dur(p50(chromium.l1.samples))} (one by one: ${tick(p50(chromium.l1.single ?? []))})`,
      },
      { name: 'L2 hit p50 < 5 ms with 10,000 entries (Chromium, IndexedDB)', pass: p50(chromium.l2.samples) < 5, measured: dur(p50(chromium.l2.samples)) },
      { name: 'requestKey of a 100,000-character page < 5 ms (Chromium, p50)', pass: p50(chromium.key.precis) < 5, measured: dur(p50(chromium.key.precis)) },
      {
        name: `workload: every repeat served from cache (${WORKLOAD.distinct} upstream calls for ${order.length} summaries)`,
        pass: cached.calls === WORKLOAD.distinct && bare.calls === order.length,
        measured: `${cached.calls} calls (no cache: ${bare.calls})`,
      },
      {
        name: 'equivalent requests share one key, different ones never do',
        pass: agreement.cases.every((c) => c.precisKeys === 1) && agreement.distinctPrecis,
        measured: agreement.cases.map((c) => c.precisKeys).join('/') + (agreement.distinctPrecis ? ', distinct' : ', COLLISION'),
      },
    ];

    const markdown = [
      `Lookups run in headless Chromium ${browserVersion} on a page served from 127.0.0.1 (cross-origin isolated, so \`performance.now()\` resolves 5 µs), against real IndexedDB holding ${ENTRIES.toLocaleString('en')} stored summaries (~${ANSWER_CHARS} characters each, ${(chromium.populate.bytes / 2 ** 20).toFixed(1)} MiB counted). ` +
        'L2 samples read distinct answers with an empty memory level; the LRU touch and hit counter each lookup writes behind are flushed between samples, outside the timing. ' +
        'The peer for lookups is a live call through the real client to the mock server on the same machine with no added latency: the fastest an upstream call can ever be (a real API takes 0.5–30 s).',
      '',
      '### Targets',
      '',
      table(['target', 'measured', 'result'], targets.map((t) => [t.name, t.measured, passFail(t.pass)])),
      '',
      '### Lookups (Chromium)',
      '',
      lookups,
      '',
      '### Request key',
      '',
      keys,
      '',
      'The naive key is about as fast, but wrong in the direction that costs money: `JSON.stringify` writes fields in insertion order, so the same request built in another order (or with `/v1/` for `/v1`, or the default model named explicitly) hashes differently and misses. Neither key merges different requests.',
      '',
      agreementTable,
      '',
      '### Workload: re-summarising 100 pages of which 40 repeat',
      '',
      workload,
      '',
      workloadNote,
      '',
      '### Node reference (fake-indexeddb, not a target)',
      '',
      nodeTable,
    ].join('\n');
    ctx.log('');
    ctx.log(lookups);
    ctx.log('');
    ctx.log(keys);
    ctx.log('');
    ctx.log(agreementTable);
    ctx.log('');
    ctx.log(workload);
    ctx.log(workloadNote);
    ctx.log('');
    ctx.log(nodeTable);
    ctx.log('');
    return { title, markdown, targets };
  } finally {
    await mock.close();
  }
}
