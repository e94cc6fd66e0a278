import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponseCache } from '../../../lib/cache/response-cache';
import { withCache, type CachingChatOptions } from '../../../lib/cache/with-cache';
import { createJobRunner, type JobIo } from '../../../lib/jobs/runner';
import { dexieJobStore } from '../../../lib/db';
import type { ChatOptions, ChatRequest, ChatResult, ProviderConfig } from '../../../lib/llm/types';
import { createActivityLog } from '../../../lib/privacy/activity';
import { closeAll, fakeClock, freshDb } from './helpers';

afterEach(closeAll);

const HOUR = 3_600_000;
const provider: ProviderConfig = { baseUrl: 'https://api.example.com/v1', model: 'gpt-4o-mini', apiKey: 'sk-secret' };
const pageText = 'The quick brown fox — a page only this user has read.';
const summary: ChatRequest = { temperature: 0.2, messages: [{ role: 'user', content: `Summarise: ${pageText}` }] };
const question = (temperature?: number): ChatRequest => ({ temperature, messages: [{ role: 'user', content: 'What is 2+2?' }] });

/** An inner client that streams its scripted answers in two pieces, or fails as told; it records the provider it was handed. */
function scriptedClient(...outcomes: Array<Partial<ChatResult> | Error>) {
  const calls: ChatRequest[] = [];
  const seenOptions: ChatOptions[] = [];
  const seenProviders: ProviderConfig[] = [];
  async function chat(req: ChatRequest, opts: ChatOptions = {}): Promise<ChatResult> {
    calls.push(req);
    seenOptions.push(opts);
    const next = outcomes.shift() ?? {};
    if (next instanceof Error) throw next;
    const text = next.text ?? `answer ${calls.length}`;
    opts.onDelta?.(text.slice(0, 3));
    opts.onDelta?.(text.slice(3));
    return { text, finishReason: next.finishReason ?? 'stop', usage: next.usage ?? { promptTokens: 120, completionTokens: 30 } };
  }
  return {
    calls,
    seenOptions,
    seenProviders,
    withProvider(given: ProviderConfig) {
      seenProviders.push(given);
      return { chat };
    },
  };
}

function setup(inner = scriptedClient()) {
  const db = freshDb();
  const clock = fakeClock();
  const errors: unknown[] = [];
  let providerReads = 0;
  const cache = createResponseCache({ db, now: clock.now, onError: (e) => errors.push(e) });
  const activity = createActivityLog({ db, now: clock.now });
  const getProvider = () => {
    providerReads += 1;
    return provider;
  };
  const client = withCache(inner, cache, { getProvider, activity, onError: (e) => errors.push(e) });
  return { db, clock, cache, activity, client, inner, errors, providerReads: () => providerReads };
}

async function run(client: ReturnType<typeof withCache>, req: ChatRequest, opts: CachingChatOptions = {}) {
  const deltas: string[] = [];
  const result = await client.chat(req, { ...opts, onDelta: (d) => deltas.push(d) });
  return { result, deltas };
}

describe('withCache', () => {
  it('replays a cached summary through onDelta in one call, marked with when it was made', async () => {
    const { client, inner, clock, cache } = setup();
    const first = await run(client, summary, { cachePolicy: 'summary' });
    expect(first.deltas).toEqual(['ans', 'wer 1']);
    expect(first.result).toMatchObject({ text: 'answer 1', cached: undefined, usage: { promptTokens: 120 } });
    const madeAt = clock.now();

    clock.advance(3 * HOUR);
    const second = await run(client, summary, { cachePolicy: 'summary' });
    expect(inner.calls).toHaveLength(1);
    expect(second.deltas).toEqual(['answer 1']);
    expect(second.result).toEqual({
      text: 'answer 1',
      finishReason: 'stop',
      hash: first.result.hash,
      model: 'gpt-4o-mini',
      // No usage (nothing was spent); the tokens it saved ride with `cached`.
      cached: { at: madeAt, hash: first.result.hash, usage: { promptTokens: 120, completionTokens: 30 } },
    });
    await cache.flush();
  });

  it('passes the caller’s options, not its own, to the inner client', async () => {
    const { client, inner } = setup();
    const signal = new AbortController().signal;
    await client.chat(summary, { cachePolicy: 'summary', regenerate: true, language: 'French', signal });
    expect(Object.keys(inner.seenOptions[0]!).sort()).toEqual(['signal']);
  });

  it('reads the provider once per request and hands that one to the client', async () => {
    const { client, inner, providerReads } = setup();
    await client.chat(summary, { cachePolicy: 'summary' });
    expect(providerReads()).toBe(1);
    expect(inner.seenProviders).toEqual([provider]);
    expect(inner.seenProviders[0]).toBe(provider);
  });

  it('returns the request hash either way, for "forget this page"', async () => {
    const { client } = setup();
    const miss = await client.chat(summary, { cachePolicy: 'summary' });
    const hit = await client.chat(summary, { cachePolicy: 'summary' });
    expect(miss.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hit.hash).toBe(miss.hash);
  });

  it('regenerate bypasses the entry and replaces it', async () => {
    const { client, inner } = setup(scriptedClient({ text: 'old' }, { text: 'new' }));
    await client.chat(summary, { cachePolicy: 'summary' });
    const fresh = await client.chat(summary, { cachePolicy: 'summary', regenerate: true });
    expect(fresh).toMatchObject({ text: 'new', cached: undefined });
    const after = await client.chat(summary, { cachePolicy: 'summary' });
    expect(after).toMatchObject({ text: 'new', cached: { hash: fresh.hash } });
    expect(inner.calls).toHaveLength(2);
  });

  it('caches chat answers only at temperature 0 unless the user opted in', async () => {
    const { client, inner, cache } = setup();
    await client.chat(question(0));
    await client.chat(question(0));
    expect(inner.calls).toHaveLength(1);
    await client.chat(question(0.7));
    await client.chat(question(0.7));
    await client.chat(question());
    expect(inner.calls).toHaveLength(4);
    cache.setPolicy({ chat: { cacheNonDeterministic: true } });
    await client.chat(question(0.7));
    await client.chat(question(0.7));
    expect(inner.calls).toHaveLength(5);
  });

  it('defaults to the chat rules when the caller says nothing', async () => {
    const { client, inner } = setup();
    await client.chat(summary);
    await client.chat(summary);
    expect(inner.calls).toHaveLength(2);
  });

  it('never stores a cut-off answer, an error or an aborted stream', async () => {
    const aborted = Object.assign(new Error('Stopped'), { kind: 'aborted' });
    const cut = Object.assign(new Error('Stream ended early'), { kind: 'stream_cut', partialText: 'half an ans' });
    const { client, inner } = setup(scriptedClient({ finishReason: 'length' }, new Error('server'), aborted, cut, { text: 'whole' }));
    const truncated = await client.chat(summary, { cachePolicy: 'summary' });
    expect(truncated.finishReason).toBe('length');
    for (let i = 0; i < 3; i++) await expect(client.chat(summary, { cachePolicy: 'summary' })).rejects.toThrow();
    expect(await client.chat(summary, { cachePolicy: 'summary' })).toMatchObject({ text: 'whole', cached: undefined });
    expect(await client.chat(summary, { cachePolicy: 'summary' })).toMatchObject({ text: 'whole', cached: { hash: truncated.hash } });
    expect(inner.calls).toHaveLength(5);
  });

  it('does not replay into a request that was already cancelled', async () => {
    const { client } = setup();
    await client.chat(summary, { cachePolicy: 'summary' });
    const controller = new AbortController();
    controller.abort();
    const deltas: string[] = [];
    await expect(
      client.chat(summary, { cachePolicy: 'summary', signal: controller.signal, onDelta: (d) => deltas.push(d) }),
    ).rejects.toMatchObject({ kind: 'aborted' });
    expect(deltas).toEqual([]);
  });

  it('returns the answer even when the cache cannot store it', async () => {
    const { client, db, errors } = setup();
    db.close();
    const result = await client.chat(summary, { cachePolicy: 'summary' });
    expect(result.text).toBe('answer 1');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('logs hash, time, model and tokens, and never the prompt or the answer', async () => {
    const { client, activity, db, cache } = setup(scriptedClient({ text: 'Secret summary of the fox' }));
    const miss = await client.chat({ ...summary, model: 'gpt-4o' }, { cachePolicy: 'summary' });
    await client.chat({ ...summary, model: 'gpt-4o' }, { cachePolicy: 'summary' });
    const rows = await activity.recent();
    expect(rows.map(({ id: _id, at: _at, ...rest }) => rest)).toEqual([
      { hash: miss.hash, model: 'gpt-4o', promptTokens: 120, completionTokens: 30, cached: true },
      { hash: miss.hash, model: 'gpt-4o', promptTokens: 120, completionTokens: 30, cached: false },
    ]);
    await cache.flush();
    const everythingLogged = JSON.stringify([await db.activity.toArray(), await db.audit.toArray(), await db.cacheStats.toArray()]);
    for (const secret of ['quick brown fox', 'Secret summary', 'sk-secret']) expect(everythingLogged).not.toContain(secret);
  });

  it('plugs into the job runner: a cached summary reaches views through the same deltas, marked cached', async () => {
    const { client, db, cache } = setup();
    const runner = createJobRunner({ store: dexieJobStore(db), client, flushMs: 1 });
    // Summaries are cached even though their temperature is not 0: the job kind picks the policy.
    const request = { ...question(0), temperature: 0.2 };
    const run = (io: JobIo) => io.chat(request, { onDelta: io.onDelta });
    const first = runner.start({ kind: 'summary', title: 'Q', run });
    await runner.settled(first.id);
    const second = runner.start({ kind: 'summary', title: 'Q', run });
    const seen: string[] = [];
    await runner.subscribe(second.id, (m) => {
      if (m.type === 'delta') seen.push(m.text);
    });
    await runner.settled(second.id);
    expect(seen).toEqual(['answer 1']);
    const [a, b] = [await db.jobs.get(first.id), await db.jobs.get(second.id)];
    expect(b).toMatchObject({ status: 'done', text: 'answer 1', cachedAt: expect.any(Number) });
    expect(a!.cachedAt).toBeUndefined();
    expect(b!.requestHashes).toEqual(a!.requestHashes);
    expect(b!.requestHashes).toHaveLength(1);
    await cache.flush();
  });

  it('records the tokens a job spent, summed over its calls, and what a replay saved', async () => {
    const { client, db, cache } = setup();
    const runner = createJobRunner({ store: dexieJobStore(db), client, flushMs: 1 });
    // Two calls, as map-reduce makes: a part, then the answer.
    const run = async (io: JobIo) => {
      await io.chat({ ...question(0), temperature: 0.2 });
      return io.chat({ ...question(0), temperature: 0.3 }, { onDelta: io.onDelta });
    };
    const first = runner.start({ kind: 'summary', title: 'Q', run });
    await runner.settled(first.id);
    const second = runner.start({ kind: 'summary', title: 'Q', run });
    await runner.settled(second.id);
    expect((await db.jobs.get(first.id))!.usage).toEqual({ model: 'gpt-4o-mini', promptTokens: 240, completionTokens: 60 });
    expect((await db.jobs.get(second.id))!.usage).toEqual({
      model: 'gpt-4o-mini',
      promptTokens: 0,
      completionTokens: 0,
      saved: { promptTokens: 240, completionTokens: 60 },
    });
    await cache.flush();
  });
});
