// The response cache measured from the inside, the same code in Chromium (bundled, real IndexedDB)
// and in Node (fake-indexeddb, for reference). bench/cache.bench.ts drives it. Every export takes
// and returns plain JSON, so it can be called through the browser harness.

import {
  canonicalJson,
  createResponseCache,
  keyMaterial,
  requestKey,
  withCache,
  type CacheBodyRecord,
  type CacheEntryRecord,
  type ResponseCache,
} from '../../lib/cache';
import { openDb, type PrecisDb } from '../../lib/db';
import { createLlmClient } from '../../lib/llm';
import type { ChatRequest, ProviderConfig } from '../../lib/llm/types';
import { prose, proseText } from '../lib/prose';

interface IdbFactory {
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
}

let factory: IdbFactory | undefined;
let db: PrecisDb | undefined;
let hashes: string[] = [];

/** Node only: which IndexedDB to use (the browser has its own). */
export function useIndexedDb(f: IdbFactory): void {
  factory = f;
}

const now = () => performance.now();

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let out = '';
  for (const b of digest) out += b.toString(16).padStart(2, '0');
  return out;
}

export const PROVIDER: Pick<ProviderConfig, 'baseUrl' | 'model'> = { baseUrl: 'https://api.example.com/v1', model: 'gpt-4o-mini' };

/** A summary request as the extension builds one: a system prompt and the page. */
export function summaryRequest(pageText: string, title = 'A page'): ChatRequest {
  return {
    messages: [
      { role: 'system', content: 'You summarise web pages for a busy reader. Use short Markdown sections; keep names, numbers and dates exact; never invent facts.' },
      { role: 'user', content: `Summarise the page below in English.\n\n<page title="${title}">\n${pageText}\n</page>` },
    ],
    temperature: 0.2,
    max_tokens: 2048,
  };
}

export interface PopulateResult {
  entries: number;
  bytes: number;
  ms: number;
}

/**
 * A fresh database holding `entries` summaries of about `answerChars` characters each, written in
 * bulk straight into the cache's tables (rows exactly as `put` writes them, the byte total kept in
 * `meta`), with lastAccess spread over the past week so the LRU index is not in insertion order.
 */
export async function populate(opts: { entries: number; answerChars: number; seed: number }): Promise<PopulateResult> {
  const started = now();
  if (db) {
    db.close();
    await db.delete();
  }
  db = openDb(`precis-bench-cache-${opts.seed}`, factory?.indexedDB, factory?.IDBKeyRange);
  await db.delete();
  await db.open();
  const p = prose(opts.seed);
  const t0 = Date.now();
  hashes = [];
  let bytes = 0;
  const batch = 1_000;
  for (let start = 0; start < opts.entries; start += batch) {
    const entries: CacheEntryRecord[] = [];
    const bodies: CacheBodyRecord[] = [];
    for (let i = start; i < Math.min(opts.entries, start + batch); i++) {
      const hash = await sha256Hex(`page-${opts.seed}-${i}`);
      hashes.push(hash);
      let text = '';
      while (text.length < opts.answerChars) text += `${p.paragraph()}\n\n`;
      text = text.slice(0, opts.answerChars - 40 + p.int(80));
      const size = new TextEncoder().encode(text).length + 256;
      bytes += size;
      const age = p.int(7 * 86_400_000);
      entries.push({
        hash,
        kind: 'summary',
        model: 'gpt-4o-mini',
        finishReason: 'stop',
        created: t0 - age,
        expires: t0 - age + 7 * 86_400_000 + 86_400_000,
        lastAccess: t0 - p.int(age + 1),
        size,
        promptTokens: 3_000 + p.int(6_000),
        completionTokens: 300 + p.int(400),
      });
      bodies.push({ hash, text });
    }
    await db.transaction('rw', [db.cacheEntries, db.cacheBodies], async () => {
      await db!.cacheEntries.bulkPut(entries);
      await db!.cacheBodies.bulkPut(bodies);
    });
  }
  await db.meta.put({ key: 'cache.bytes', value: bytes });
  return { entries: hashes.length, bytes, ms: now() - started };
}

function freshCache(): ResponseCache {
  if (!db) throw new Error('populate() first');
  return createResponseCache({ db, onError: (err) => console.error('cache error', err) });
}

/** Picks `n` distinct stored hashes, deterministically. */
function sampleHashes(n: number, seed: number): string[] {
  const p = prose(seed);
  const pool = [...hashes];
  const out: string[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(p.int(pool.length), 1)[0]!);
  return out;
}

export interface HitTimes {
  /** One sample per lookup, ms. */
  samples: number[];
  /** L1 only: lookups timed one by one (the samples are batch means there). */
  single?: number[];
  hits: number;
}

/**
 * L2 hits: a cache with an empty memory level reads distinct stored answers (each from disk once).
 * The LRU touch and hit counter it writes behind are flushed between lookups, outside the timing,
 * so each sample is one lookup on an idle database.
 */
export async function l2Hits(opts: { samples: number; seed: number }): Promise<HitTimes> {
  const cache = freshCache();
  const samples: number[] = [];
  let hits = 0;
  for (const hash of sampleHashes(opts.samples, opts.seed)) {
    const t = now();
    const answer = await cache.get(hash);
    samples.push(now() - t);
    if (answer) hits++;
    await cache.flush();
  }
  return { samples, hits };
}

/** Misses: lookups of hashes that are not stored (one IndexedDB read each). */
export async function misses(opts: { samples: number }): Promise<HitTimes> {
  const cache = freshCache();
  const samples: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    const hash = await sha256Hex(`absent-${i}`);
    const t = now();
    await cache.get(hash);
    samples.push(now() - t);
    await cache.flush();
  }
  return { samples, hits: 0 };
}

/**
 * L1 hits: 200 answers brought into memory, then looked up again. A lookup takes less than the
 * browser timer's 5 µs step, so each sample is the mean of a batch of `batch` lookups; `single`
 * times lookups one by one (quantised to the timer) as a cross-check.
 */
export async function l1Hits(opts: { samples: number; batch: number; seed: number }): Promise<HitTimes> {
  const cache = freshCache();
  const hot = sampleHashes(200, opts.seed);
  for (const hash of hot) await cache.get(hash);
  await cache.flush();
  const samples: number[] = [];
  const single: number[] = [];
  let hits = 0;
  let next = 0;
  for (let s = 0; s < opts.samples; s++) {
    const t = now();
    for (let i = 0; i < opts.batch; i++) if (await cache.get(hot[next++ % hot.length]!)) hits++;
    samples.push((now() - t) / opts.batch);
  }
  for (let i = 0; i < opts.samples; i++) {
    const hash = hot[next++ % hot.length]!;
    const t = now();
    await cache.get(hash);
    single.push(now() - t);
  }
  await cache.flush();
  return { samples, single, hits };
}

/** `put` of a new answer into the full store (one write transaction; may evict). */
export async function puts(opts: { samples: number; answerChars: number }): Promise<HitTimes> {
  const cache = freshCache();
  const text = proseText(99, opts.answerChars);
  const samples: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    const hash = await sha256Hex(`new-${i}`);
    const t = now();
    await cache.put(hash, { kind: 'summary', model: 'gpt-4o-mini', text, finishReason: 'stop', usage: { promptTokens: 5000, completionTokens: 400 } });
    samples.push(now() - t);
    await cache.flush();
  }
  return { samples, hits: 0 };
}

export interface KeyTimes {
  chars: number;
  first: number;
  precis: number[];
  naive: number[];
  canonicalOnly: number[];
  digestOnly: number[];
}

/** Naive key: the request as JSON.stringify writes it, SHA-256. */
async function naiveKey(provider: Pick<ProviderConfig, 'baseUrl' | 'model'>, request: ChatRequest): Promise<string> {
  return sha256Hex(JSON.stringify({ provider, request }));
}

/** Hashing a summary request for a page of `chars` characters: Precis's key and the naive one. */
export async function keyHashing(opts: { chars: number; runs: number; seed: number }): Promise<KeyTimes> {
  const request = summaryRequest(proseText(opts.seed, opts.chars));
  const time = async (fn: () => Promise<unknown> | unknown) => {
    const t = now();
    await fn();
    return now() - t;
  };
  const first = await time(() => requestKey({ provider: PROVIDER, request }));
  const out: KeyTimes = { chars: opts.chars, first, precis: [], naive: [], canonicalOnly: [], digestOnly: [] };
  const encoded = new TextEncoder().encode(canonicalJson(keyMaterial({ provider: PROVIDER, request })));
  for (let i = 0; i < opts.runs; i++) {
    out.precis.push(await time(() => requestKey({ provider: PROVIDER, request })));
    out.naive.push(await time(() => naiveKey(PROVIDER, request)));
    out.canonicalOnly.push(await time(() => canonicalJson(keyMaterial({ provider: PROVIDER, request }))));
    out.digestOnly.push(await time(() => crypto.subtle.digest('SHA-256', encoded)));
  }
  return out;
}

export interface KeyAgreement {
  /** Each case: one request written several equivalent ways. */
  cases: { name: string; variants: number; precisKeys: number; naiveKeys: number }[];
  /** Different requests (one word of the page changed, another temperature): both keys must differ. */
  distinctPrecis: boolean;
  distinctNaive: boolean;
}

/**
 * Equal requests must share a key, different ones must not. The naive key fails the first half:
 * JSON.stringify follows insertion order, and it hashes spelling (a trailing slash, an explicit
 * default model) rather than meaning.
 */
export async function keyAgreement(): Promise<KeyAgreement> {
  const page = proseText(7, 2_000);
  const base = summaryRequest(page);
  const [system, user] = base.messages as [ChatRequest['messages'][0], ChatRequest['messages'][0]];
  const reordered: ChatRequest = {
    max_tokens: 2048,
    temperature: 0.2,
    messages: [
      { content: system.content, role: 'system' },
      { content: user.content, role: 'user' },
    ],
  };
  type Variant = { provider: Pick<ProviderConfig, 'baseUrl' | 'model'>; request: ChatRequest };
  const cases: { name: string; variants: Variant[] }[] = [
    { name: 'same request, fields built in another order', variants: [{ provider: PROVIDER, request: base }, { provider: PROVIDER, request: reordered }] },
    {
      name: 'provider settings spelled differently (`/v1/`, `HTTPS://API.example.com/v1`)',
      variants: [
        { provider: PROVIDER, request: base },
        { provider: { ...PROVIDER, baseUrl: 'https://api.example.com/v1/' }, request: base },
        { provider: { model: PROVIDER.model, baseUrl: 'HTTPS://API.example.com/v1' }, request: base },
      ],
    },
    {
      name: 'model left to the provider default vs named explicitly',
      variants: [{ provider: PROVIDER, request: base }, { provider: PROVIDER, request: { ...base, model: PROVIDER.model } }],
    },
  ];
  const out: KeyAgreement['cases'] = [];
  for (const c of cases) {
    const precis = new Set(await Promise.all(c.variants.map((v) => requestKey(v))));
    const naive = new Set(await Promise.all(c.variants.map((v) => naiveKey(v.provider, v.request))));
    out.push({ name: c.name, variants: c.variants.length, precisKeys: precis.size, naiveKeys: naive.size });
  }
  const edited: ChatRequest = { ...base, messages: [system, { role: 'user', content: user.content.replace(/ the /, ' a ') }] };
  const warmer: ChatRequest = { ...base, temperature: 0.7 };
  const differs = async (key: (r: ChatRequest) => Promise<string>) =>
    new Set(await Promise.all([base, edited, warmer].map(key))).size === 3;
  return {
    cases: out,
    distinctPrecis: await differs((request) => requestKey({ provider: PROVIDER, request })),
    distinctNaive: await differs((request) => naiveKey(PROVIDER, request)),
  };
}

export interface EndToEnd {
  live: number[];
  hitL1: number[];
  hitL2: number[];
  upstreamCalls: number;
}

/**
 * The whole path the job runner takes, `withCache(createLlmClient(…)).chat()` for a summary of a
 * `pageChars` page: live calls against the mock server (distinct pages), then the same requests
 * answered from memory and, after `clearMemory()`, from IndexedDB. Key hashing is included.
 */
export async function endToEnd(opts: { baseUrl: string; pageChars: number; runs: number; seed: number }): Promise<EndToEnd> {
  const cache = freshCache();
  const provider: ProviderConfig = { baseUrl: opts.baseUrl, apiKey: '', model: 'mock-model' };
  const llm = createLlmClient({ fetch: (input, init) => fetch(input, init), getProvider: () => provider });
  let upstreamCalls = 0;
  const counted = {
    chat: (req: ChatRequest, o?: Parameters<typeof llm.chat>[1]) => {
      upstreamCalls++;
      return llm.chat(req, o);
    },
  };
  const client = withCache({ withProvider: () => counted }, cache, { getProvider: () => provider });
  const requests = Array.from({ length: opts.runs }, (_, i) => summaryRequest(proseText(opts.seed + i, opts.pageChars), `Page ${i}`));
  // Connection, CORS preflight and JIT warm-up, on requests that are not measured.
  for (let i = 0; i < 3; i++) await llm.chat(summaryRequest(`warm-up ${i}`));
  const timed = async (req: ChatRequest) => {
    const t = now();
    await client.chat(req, { cachePolicy: 'summary' });
    const dt = now() - t;
    await cache.flush();
    return dt;
  };
  const out: EndToEnd = { live: [], hitL1: [], hitL2: [], upstreamCalls: 0 };
  for (const req of requests) out.live.push(await timed(req));
  for (const req of requests) out.hitL1.push(await timed(req));
  for (const req of requests) {
    cache.clearMemory();
    out.hitL2.push(await timed(req));
  }
  out.upstreamCalls = upstreamCalls;
  return out;
}

export async function cleanUp(): Promise<void> {
  if (!db) return;
  db.close();
  await db.delete();
  db = undefined;
}
