import { describe, expect, it } from 'vitest';
import { fnv1a } from '../../../lib/extract/chunk';
import { statusMerger, type ChatFn, type Progress } from '../../../lib/jobs/map-reduce';
import { loadTokenCounter } from '../../../lib/extract/tokens';
import { runSummary, type RunSummaryOptions } from '../../../lib/jobs/summarise-plan';
import { LlmError } from '../../../lib/llm';
import type { ChatRequest, ClientStatus } from '../../../lib/llm/types';
import type { PageContent } from '../../../lib/extract/page-content';

type Kind = 'notes' | 'merge' | 'final' | 'summary';

function kindOf(req: ChatRequest): Kind {
  const system = req.messages[0]?.content ?? '';
  const user = req.messages[1]?.content ?? '';
  if (user.includes('<part>')) return 'notes';
  if (user.includes('<notes>')) return 'merge';
  return system.includes('notes on its consecutive parts') ? 'final' : 'summary';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

interface FakeOptions {
  /** Words of filler in each notes or merge answer. */
  noteWords?: number;
  delayMs?: number;
  /** Throw this for a request, or return undefined to answer it. */
  fail?: (req: ChatRequest, kind: Kind) => unknown;
}

/** An OpenAI-compatible client stand-in: deterministic answers, and a record of what it was asked. */
function fakeClient(opts: FakeOptions = {}) {
  const calls: Array<{ req: ChatRequest; kind: Kind; signal?: AbortSignal }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const chat: ChatFn = async (req, o) => {
    const kind = kindOf(req);
    calls.push({ req, kind, ...(o?.signal ? { signal: o.signal } : {}) });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      o?.onStatus?.({ type: 'connecting' });
      await sleep(opts.delayMs ?? 2, o?.signal);
      const err = opts.fail?.(req, kind);
      if (err) throw err;
      const user = req.messages[1]?.content ?? '';
      const text =
        kind === 'final'
          ? '## TL;DR\nNight trains are back.\n\n## Key points\n- Demand exceeds seats.'
          : `- ${kind} ${fnv1a(user).toString(36)} ${'train '.repeat(opts.noteWords ?? 8).trim()}`;
      o?.onStatus?.({ type: 'streaming' });
      for (const piece of text.match(/.{1,12}/gs) ?? []) o?.onDelta?.(piece);
      return { text, finishReason: 'stop' };
    } finally {
      inFlight--;
    }
  };
  return {
    chat,
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    of: (kind: Kind) => calls.filter((c) => c.kind === kind),
  };
}

/** A long, deterministic article: sections of paragraphs of filler sentences. */
function longArticle(paragraphs = 420): string[] {
  const words = 'night train sleeper route ticket border carriage fare subsidy passenger timetable operator crew station booking couchette'.split(' ');
  let s = 99;
  const next = () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 0x1_0000_0000;
  };
  const out: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    if (i % 7 === 0) out.push(`## Part ${i / 7 + 1}`);
    const n = 25 + Math.floor(next() * 60);
    out.push(`${Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(' ')}.`);
  }
  return out;
}

const article = longArticle();
const page = (paragraphs = article): PageContent => ({
  url: 'https://example.com/long',
  title: 'A long page about night trains',
  text: paragraphs.join('\n\n'),
  lang: 'en',
});

/** A 2k-token model, so an ordinary long page needs a few dozen chunks. */
const small: Pick<RunSummaryOptions, 'model' | 'contextOverrides' | 'loadCounter'> = {
  loadCounter: loadTokenCounter,
  model: 'small-local',
  contextOverrides: { 'small-local': { context: 2_048, maxOutput: 512, tokenRatio: 1 } },
};

describe('runSummary, map-reduce', () => {
  it('summarises every chunk in parallel, reports progress per chunk, and streams only the final summary', async () => {
    const client = fakeClient();
    const progress: Progress[] = [];
    const deltas: string[] = [];
    const result = await runSummary(page(), {
      ...small,
      chat: client.chat,
      onProgress: (p) => progress.push(p),
      onDelta: (d) => deltas.push(d),
    });

    const notes = client.of('notes');
    expect(result.chunks).toBeGreaterThanOrEqual(20);
    expect(notes).toHaveLength(result.chunks);
    expect(client.of('merge')).toHaveLength(0);
    expect(client.of('final')).toHaveLength(1);
    expect(client.calls.at(-1)?.kind).toBe('final');
    expect(client.maxInFlight).toBe(16);

    const map = progress.filter((p) => p.phase === 'map');
    expect(map).toEqual(Array.from({ length: result.chunks + 1 }, (_, done) => ({ phase: 'map', done, total: result.chunks })));
    expect(progress.slice(-2)).toEqual([
      { phase: 'reduce', done: 0, total: 1 },
      { phase: 'reduce', done: 1, total: 1 },
    ]);

    expect(result.text).toBe('## TL;DR\nNight trains are back.\n\n## Key points\n- Demand exceeds seats.');
    expect(deltas.join('')).toBe(result.text);

    // Every part of the page reached the model, and the final request holds every chunk's notes in order.
    const sent = notes.map((c) => c.req.messages[1]?.content ?? '').join('\n');
    for (const paragraph of article) expect(sent).toContain(paragraph);
    const final = client.of('final')[0]?.req.messages[1]?.content ?? '';
    const noteIds = notes.map((c) => fnv1a(c.req.messages[1]?.content ?? '').toString(36));
    const positions = noteIds.map((id) => final.indexOf(`- notes ${id} `));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('respects a lower concurrency', async () => {
    const client = fakeClient();
    await runSummary(page(), { ...small, chat: client.chat, concurrency: 3 });
    expect(client.maxInFlight).toBe(3);
  });

  it('merges notes in rounds when together they exceed the final request', async () => {
    const client = fakeClient({ noteWords: 120 });
    const progress: Progress[] = [];
    const result = await runSummary(page(), { ...small, chat: client.chat, onProgress: (p) => progress.push(p) });
    const merges = client.of('merge');
    expect(merges.length).toBeGreaterThan(1);
    expect(merges.length).toBeLessThan(result.chunks);
    expect(client.of('final')).toHaveLength(1);
    // Merges start only when every chunk has its notes.
    const firstMerge = client.calls.findIndex((c) => c.kind === 'merge');
    expect(client.calls.slice(firstMerge).some((c) => c.kind === 'notes')).toBe(false);
    const reduce = progress.filter((p) => p.phase === 'reduce');
    expect(reduce[0]).toEqual({ phase: 'reduce', done: 0, total: merges.length });
    expect(reduce).toContainEqual({ phase: 'reduce', done: merges.length, total: merges.length });
  });

  it('after one paragraph is edited, at least 90% of chunk requests are identical (so the cache answers them)', async () => {
    const first = fakeClient();
    await runSummary(page(), { ...small, chat: first.chat });
    const before = new Set(first.of('notes').map((c) => JSON.stringify(c.req)));

    for (const at of [30, 200, 333]) {
      const edited = [...article];
      edited[at] = `${edited[at]} A late addition: the operator adds a dining car on Fridays.`;
      const second = fakeClient();
      await runSummary(page(edited), { ...small, chat: second.chat });
      const after = second.of('notes').map((c) => JSON.stringify(c.req));
      const reused = after.filter((r) => before.has(r)).length;
      expect(reused / after.length).toBeGreaterThanOrEqual(0.9);
      expect(reused).toBeLessThan(after.length);
    }
  });

  it('stops every request when the caller aborts, and never writes the summary', async () => {
    const client = fakeClient({ delayMs: 20 });
    const controller = new AbortController();
    const run = runSummary(page(), {
      ...small,
      chat: client.chat,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'map' && p.done === 3) controller.abort(new Error('stopped by user'));
      },
    });
    await expect(run).rejects.toThrow('stopped by user');
    expect(client.of('final')).toHaveLength(0);
    expect(client.calls.every((c) => c.signal?.aborted)).toBe(true);
    expect(client.of('notes').length).toBeLessThan(40);
  });

  it('gives up on the first failed chunk and cancels the rest', async () => {
    const failure = Object.assign(new Error('Server error after 3 attempts'), { kind: 'server' });
    let n = 0;
    const client = fakeClient({ delayMs: 5, fail: (_req, kind) => (kind === 'notes' && ++n === 5 ? failure : undefined) });
    await expect(runSummary(page(), { ...small, chat: client.chat })).rejects.toBe(failure);
    expect(client.of('final')).toHaveLength(0);
    expect(client.calls.every((c) => c.signal?.aborted)).toBe(true);
  });

  it('halves a chunk the model says is too long, once', async () => {
    const tooLong = new LlmError('context_length', 'context length exceeded');
    const refused = new Set<string>();
    const client = fakeClient({
      fail: (req, kind) => {
        const part = /<part>\n([\s\S]*)\n<\/part>/.exec(req.messages[1]?.content ?? '')?.[1] ?? '';
        // The model counts finer than we do: it refuses the larger chunks the first time.
        if (kind === 'notes' && part.length > 4_000 && !refused.has(part)) {
          refused.add(part);
          return tooLong;
        }
        return undefined;
      },
    });
    const result = await runSummary(page(), { ...small, chat: client.chat });
    expect(refused.size).toBeGreaterThan(0);
    expect(client.of('notes').length).toBeGreaterThan(result.chunks + refused.size);
    expect(client.of('final')).toHaveLength(1);
  });
});

describe('statusMerger', () => {
  it('shows the most advanced status of all requests, and the soonest retry', () => {
    const seen: ClientStatus[] = [];
    const merger = statusMerger((s) => seen.push(s));
    merger.report(1, { type: 'queued' });
    merger.report(2, { type: 'waiting', reason: 'rate_limited', until: 5_000, attempt: 1 });
    merger.report(3, { type: 'waiting', reason: 'rate_limited', until: 3_000, attempt: 1 });
    merger.report(1, { type: 'connecting' });
    merger.report(1, { type: 'streaming' });
    merger.report(2, { type: 'streaming' });
    merger.finished(1);
    merger.finished(2);
    merger.report(3, { type: 'waiting', reason: 'rate_limited', until: 3_000, attempt: 1 });
    expect(seen.map((s) => (s.type === 'waiting' ? `waiting ${s.until}` : s.type))).toEqual([
      'queued',
      'waiting 5000',
      'waiting 3000',
      'connecting',
      'streaming',
      'waiting 3000',
    ]);
  });
});
