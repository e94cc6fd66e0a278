import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INITIAL_WINDOW } from '../../../lib/llm/aimd';
import { createLlmClient, type LlmClientDeps, type LlmError } from '../../../lib/llm';
import { completionJson, deferred, jsonResponse, scriptedFetch, sseBody, sseResponse } from './fakes';
import { ask, outcome, provider, settle, setup, statusLog } from './harness';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A fetch whose responses the test hands out one by one, in call order. */
function manualFetch() {
  const pending: { resolve(r: Response): void; body: Record<string, unknown> | undefined; at: number }[] = [];
  const { fetch, calls } = scriptedFetch(() => {
    const d = deferred<Response>();
    pending.push({ resolve: d.resolve, body: calls[calls.length - 1]?.body, at: Date.now() });
    return d.promise;
  });
  return { fetch, calls, pending };
}

/** A client on a manualFetch(). */
function manualClient(over: Partial<LlmClientDeps> = {}) {
  const m = manualFetch();
  return { m, client: createLlmClient({ fetch: m.fetch, getProvider: () => provider, ...over }) };
}

describe('adaptive concurrency (AIMD)', () => {
  it('never has more requests in flight than the limit, and queues the rest', async () => {
    const { m, client } = manualClient({ options: { maxConcurrency: 2 } });
    const results = [1, 2, 3, 4, 5].map((i) => client.complete(ask(String(i))));
    await settle();
    expect(m.calls).toHaveLength(2);
    expect(client.stats()).toMatchObject({ concurrency: 2, inFlight: 2, queued: 3 });
    m.pending[0]!.resolve(jsonResponse(200, completionJson('1')));
    await settle();
    expect(m.calls).toHaveLength(3);
    for (const p of m.pending.slice(1)) p.resolve(jsonResponse(200, completionJson('x')));
    await settle();
    for (const p of m.pending.slice(3)) p.resolve(jsonResponse(200, completionJson('x')));
    await Promise.all(results);
    expect(m.calls).toHaveLength(5);
  });

  it('starts small and grows per round trip; a 429 stops the growth without a cut (the pacer owns the rate)', async () => {
    const { m, client } = manualClient({
      random: () => 0,
      options: { maxConcurrency: 8, backoffBaseMs: 1 },
    });
    const runs = [1, 2, 3, 4, 5].map((i) => client.complete(ask(String(i))));
    await settle();
    expect(m.calls).toHaveLength(INITIAL_WINDOW);
    // The first success: the server is up and the key has quota, so the window doubles at once.
    m.pending[0]!.resolve(jsonResponse(200, completionJson('ok')));
    await settle();
    expect(client.stats().concurrency).toBe(2 * INITIAL_WINDOW);
    // Then, from a server that never described its limit, one more per few successes (a pace set in time).
    m.pending[1]!.resolve(jsonResponse(200, completionJson('ok')));
    await settle();
    expect(client.stats().concurrency).toBe(2 * INITIAL_WINDOW);
    m.pending[2]!.resolve(jsonResponse(429, {}, { 'retry-after-ms': '5' }));
    await settle();
    expect(client.stats().concurrency).toBe(2 * INITIAL_WINDOW);
    let finished = false;
    void Promise.all(runs).then(() => (finished = true));
    while (!finished) {
      for (const p of m.pending) {
        const slot = p as typeof p & { done?: boolean };
        if (!slot.done) {
          slot.done = true;
          p.resolve(jsonResponse(200, completionJson('ok')));
        }
      }
      await vi.advanceTimersByTimeAsync(10);
    }
    await Promise.all(runs);
    // Past slow start: one more per full window of successes (at limit 4: requests 2, 4, 5 and the retry of 3).
    expect(client.stats().concurrency).toBe(2 * INITIAL_WINDOW + 1);
  });

  it('grows by half per round trip once an answer describes the limit (the pacer then holds requests to it)', async () => {
    const { m, client } = manualClient({ options: { maxConcurrency: 8 } });
    const runs = [1, 2, 3, 4].map((i) => client.complete(ask(String(i))));
    await settle();
    const window = { 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '98', 'x-ratelimit-reset-requests': '1s' };
    m.pending[0]!.resolve(jsonResponse(200, completionJson('ok'), window));
    m.pending[1]!.resolve(jsonResponse(200, completionJson('ok'), window));
    await settle();
    // Two described successes: one more (a silent server needs three, the other test).
    expect(client.stats().concurrency).toBe(3);
    for (const p of m.pending.slice(2)) p.resolve(jsonResponse(200, completionJson('ok'), window));
    await Promise.all(runs);
  });

  it('halves after three consecutive 503s and after a timeout, never below 1', async () => {
    const { client } = setup([() => jsonResponse(503, {})], {
      options: { maxConcurrency: 8, maxAttempts: 1, breakerFailureThreshold: 100 },
    });
    for (let i = 0; i < 2; i += 1) await outcome(client.complete(ask(String(i))));
    expect(client.stats().concurrency).toBe(INITIAL_WINDOW);
    await outcome(client.complete(ask('3')));
    expect(client.stats().concurrency).toBe(INITIAL_WINDOW / 2);

    const slow = setup([() => new Promise<Response>(() => undefined)], {
      options: { maxConcurrency: 2, maxAttempts: 1, firstByteTimeoutMs: 100, breakerFailureThreshold: 100 },
    });
    for (let i = 0; i < 3; i += 1) {
      const p = outcome(slow.client.chat(ask(String(i))));
      await vi.advanceTimersByTimeAsync(100);
      expect(await p).toMatchObject({ kind: 'timeout' });
    }
    expect(slow.client.stats().concurrency).toBe(1);
  });

  it('follows the user’s max concurrency at run time', async () => {
    const { client } = setup([() => jsonResponse(200, completionJson('x'))], { options: { maxConcurrency: 4 } });
    client.setOptions({ maxConcurrency: 1 });
    expect(client.stats().concurrency).toBe(1);
    // A higher max is grown into, one success at a time while slow start lasts.
    client.setOptions({ maxConcurrency: 6 });
    expect(client.stats().concurrency).toBe(1);
    for (let i = 0; i < 15; i += 1) await client.complete(ask(String(i)));
    expect(client.stats().concurrency).toBe(6);
  });

  it('raising the max does not undo a limit learned from losses', async () => {
    const { client } = setup([() => jsonResponse(429, {}), () => jsonResponse(200, completionJson('x'))], {
      options: { maxConcurrency: 4, maxAttempts: 1 },
    });
    await outcome(client.complete(ask()));
    expect(client.stats().concurrency).toBe(2);
    client.setOptions({ maxConcurrency: 10 });
    expect(client.stats().concurrency).toBe(2);
  });
});

describe('client-wide pause on retry-after', () => {
  it('pauses every request, not just the one that was told, and spreads the resumed ones', async () => {
    let n = 0;
    const randoms = [0.1, 0.5, 0.9, 0.3];
    const { client, calls } = setup(
      [
        () => jsonResponse(429, { error: { message: 'slow down' } }, { 'retry-after': '10' }),
        () => jsonResponse(200, completionJson('ok')),
      ],
      { random: () => randoms[n++ % randoms.length]!, options: { resumeSpreadMs: 1_000 } },
    );
    const start = Date.now();
    const status = statusLog();
    const first = client.complete(ask('1'), { onStatus: status.onStatus });
    await settle();
    expect(client.stats().pausedUntil).toBe(start + 10_000);
    const others = [2, 3, 4].map((i) => client.complete(ask(String(i))));
    await settle();
    expect(calls).toHaveLength(1);
    const waiting = status.log.find((s) => s.type === 'waiting');
    expect(waiting).toMatchObject({ reason: 'rate_limited', attempt: 2 });
    expect(waiting!.type === 'waiting' && waiting!.until).toBeGreaterThanOrEqual(start + 10_000);

    await vi.advanceTimersByTimeAsync(9_999);
    expect(calls).toHaveLength(1);
    const sentAt: number[] = [];
    for (let t = 0; t < 1_100; t += 50) {
      await vi.advanceTimersByTimeAsync(50);
      while (sentAt.length < calls.length - 1) sentAt.push(Date.now() - start);
    }
    await Promise.all([first, ...others]);
    expect(calls).toHaveLength(5);
    // Not all at the same instant: jitter spread them over the resume window.
    expect(new Set(sentAt).size).toBeGreaterThan(2);
    expect(Math.min(...sentAt)).toBeGreaterThanOrEqual(10_000);
    expect(Math.max(...sentAt)).toBeLessThanOrEqual(11_050);
  });

  it('a waiting request whose deadline ends before the pause fails at once with rate_limited', async () => {
    const { client } = setup([() => jsonResponse(429, {}, { 'retry-after': '50' })], { options: { deadlineMs: 20_000 } });
    const first = (await outcome(client.complete(ask('1')))) as LlmError;
    expect(first.kind).toBe('rate_limited');
    const second = (await outcome(client.complete(ask('2')))) as LlmError;
    expect(second).toMatchObject({ kind: 'rate_limited', retryAfterMs: 50_000 });
  });

  it('a 503 with retry-after pauses the client as a server error', async () => {
    const { client } = setup([() => jsonResponse(503, {}, { 'retry-after': '2' }), () => jsonResponse(200, completionJson('ok'))]);
    const status = statusLog();
    const pending = client.complete(ask(), { onStatus: status.onStatus });
    await settle();
    expect(status.log.find((s) => s.type === 'waiting')).toMatchObject({ reason: 'server_error' });
    await vi.advanceTimersByTimeAsync(3_000);
    expect((await pending).text).toBe('ok');
  });
});

describe('circuit breaker', () => {
  it('opens after N upstream failures; queued requests wait, one probe goes after the cool-down, success closes', async () => {
    const { m, client } = manualClient({
      options: { breakerFailureThreshold: 2, breakerCoolDownMs: 5_000, maxAttempts: 1 },
    });
    for (let i = 0; i < 2; i += 1) {
      const p = outcome(client.complete(ask(`f${i}`)));
      await settle();
      m.pending[i]!.resolve(jsonResponse(502, 'bad gateway'));
      expect(await p).toMatchObject({ kind: 'server', status: 502 });
    }
    expect(client.stats().breaker).toBe('open');

    const status = statusLog();
    const waiting = [1, 2, 3].map((i) => client.complete(ask(`w${i}`), i === 1 ? { onStatus: status.onStatus } : {}));
    await settle();
    expect(m.calls).toHaveLength(2);
    expect(status.log[0]).toMatchObject({ type: 'waiting', reason: 'circuit_open', until: Date.now() + 5_000 });
    expect(client.stats().queued).toBe(3);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(client.stats().breaker).toBe('half-open');
    // Exactly one probe.
    expect(m.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(m.calls).toHaveLength(3);

    m.pending[2]!.resolve(jsonResponse(200, completionJson('probe ok')));
    await settle();
    expect(client.stats().breaker).toBe('closed');
    expect(m.calls).toHaveLength(5);
    m.pending[3]!.resolve(jsonResponse(200, completionJson('a')));
    m.pending[4]!.resolve(jsonResponse(200, completionJson('b')));
    const texts = (await Promise.all(waiting)).map((r) => r.text).sort();
    expect(texts).toEqual(['a', 'b', 'probe ok']);
  });

  it('a failed probe re-opens the circuit for another cool-down', async () => {
    const { client, calls } = setup([() => jsonResponse(500, {})], {
      options: { breakerFailureThreshold: 1, breakerCoolDownMs: 1_000, maxAttempts: 1, deadlineMs: 10_000 },
    });
    await outcome(client.complete(ask('a')));
    expect(client.stats().breaker).toBe('open');
    const probe = outcome(client.complete(ask('b')));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await probe).toMatchObject({ kind: 'server' });
    expect(calls).toHaveLength(2);
    expect(client.stats().breaker).toBe('open');
  });

  it('fails waiting requests with circuit_open when their deadline passes', async () => {
    const { client, calls } = setup([() => jsonResponse(500, {})], {
      options: { breakerFailureThreshold: 1, breakerCoolDownMs: 60_000, maxAttempts: 1, deadlineMs: 3_000 },
    });
    await outcome(client.complete(ask('a')));
    const waiting = outcome(client.chat(ask('b')));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(client.stats().queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await waiting) as LlmError;
    expect(error.kind).toBe('circuit_open');
    expect(error.message).toMatch(/failing repeatedly/);
    expect(calls).toHaveLength(1);
  });

  it('4xx answers and 429s do not count as upstream failures', async () => {
    const { client } = setup([() => jsonResponse(400, {}), () => jsonResponse(429, {})], {
      options: { breakerFailureThreshold: 2, maxAttempts: 1 },
    });
    for (let i = 0; i < 4; i += 1) {
      // The 429s set the pace: later requests wait their turn.
      const pending = outcome(client.complete(ask(String(i))));
      await vi.advanceTimersByTimeAsync(2_000);
      await pending;
    }
    expect(client.stats().breaker).toBe('closed');
  });

  it('an aborted probe hands the probe to the next waiting request', async () => {
    const { m, client } = manualClient({
      options: { breakerFailureThreshold: 1, breakerCoolDownMs: 1_000, maxAttempts: 1 },
    });
    const failing = outcome(client.complete(ask('x')));
    await settle();
    m.pending[0]!.resolve(jsonResponse(500, {}));
    await failing;
    const caller = new AbortController();
    const probe = outcome(client.complete(ask('p'), { signal: caller.signal }));
    const next = client.complete(ask('n'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(m.calls).toHaveLength(2);
    caller.abort();
    expect(await probe).toMatchObject({ kind: 'aborted' });
    await settle();
    expect(m.calls).toHaveLength(3);
    m.pending[2]!.resolve(jsonResponse(200, completionJson('n')));
    expect((await next).text).toBe('n');
    expect(client.stats().breaker).toBe('closed');
  });
});

describe('persisted admission state', () => {
  function memoryStore(initial?: unknown) {
    const saved: unknown[] = [];
    let value = initial;
    return {
      saved,
      store: {
        load: vi.fn(async () => value),
        save: vi.fn(async (state: unknown) => {
          value = state;
          saved.push(structuredClone(state));
        }),
      },
    };
  }

  it('saves limit, pause and breaker (debounced) and a new client resumes from them', async () => {
    const mem = memoryStore();
    const { client } = setup([() => jsonResponse(429, {}, { 'retry-after': '30' })], {
      stateStore: mem.store,
      options: { maxConcurrency: 4, maxAttempts: 1, persistDebounceMs: 100 },
    });
    await outcome(client.complete(ask()));
    expect(mem.saved).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(mem.saved).toHaveLength(1);
    expect(mem.saved[0]).toMatchObject({ version: 1, concurrency: 2, pausedUntil: Date.now() - 100 + 30_000 });

    // The worker restarts: a new client with the same store.
    const restarted = setup([() => jsonResponse(200, completionJson('ok'))], { stateStore: mem.store, options: { maxConcurrency: 4 } });
    expect(mem.store.load).toHaveBeenCalledTimes(1);
    const pending = restarted.client.complete(ask());
    await settle();
    expect(restarted.calls).toHaveLength(0);
    expect(restarted.client.stats()).toMatchObject({ concurrency: 2, pausedUntil: Date.now() + 29_900 });
    await vi.advanceTimersByTimeAsync(31_000);
    expect((await pending).text).toBe('ok');
    expect(mem.store.load).toHaveBeenCalledTimes(2);
  });

  it('saves the pace the server admits, and a restarted worker starts from it', async () => {
    const mem = memoryStore();
    const window = { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '4', 'x-ratelimit-reset-requests': '550ms' };
    const { client } = setup([() => jsonResponse(200, completionJson('ok'), window)], { stateStore: mem.store, options: { persistDebounceMs: 100 } });
    await client.complete(ask());
    await vi.advanceTimersByTimeAsync(100);
    // (10 − 4 − 0.5) units in 550 ms.
    expect(mem.saved.at(-1)).toMatchObject({ pace: { requestsPerSec: 10 } });
    const restarted = setup([() => jsonResponse(200, completionJson('ok'))], { stateStore: mem.store });
    await restarted.client.complete(ask());
    expect(restarted.client.stats().pace.requestsPerSec).toBe(10);
  });

  it('restores an open breaker', async () => {
    const mem = memoryStore({ version: 1, concurrency: 3, pausedUntil: 0, breaker: { open: true, openUntil: Date.now() + 5_000, failures: 5 } });
    const { client, calls } = setup([() => jsonResponse(200, completionJson('ok'))], { stateStore: mem.store });
    const pending = client.complete(ask());
    await settle();
    expect(client.stats()).toMatchObject({ breaker: 'open', concurrency: 3 });
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await pending).text).toBe('ok');
    expect(client.stats().breaker).toBe('closed');
  });

  it('ignores state it cannot trust and storage that fails', async () => {
    for (const bad of [{ version: 99 }, 'junk', { version: 1, concurrency: 0, pausedUntil: 0, breaker: {} }]) {
      const { client } = setup([() => jsonResponse(200, completionJson('ok'))], { stateStore: memoryStore(bad).store });
      expect((await client.complete(ask())).text).toBe('ok');
      // Slow start from the initial window, doubled by the first success: nothing was taken from the junk.
      expect(client.stats().concurrency).toBe(2 * INITIAL_WINDOW);
    }
    const failing = {
      load: () => Promise.reject(new Error('storage gone')),
      save: () => Promise.reject(new Error('storage gone')),
    };
    const { client } = setup([() => jsonResponse(429, {}), () => jsonResponse(200, completionJson('ok'))], { stateStore: failing });
    const pending = client.complete(ask());
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await pending).text).toBe('ok');
  });
});

describe('single-flight', () => {
  it('identical concurrent requests share one upstream call and both get every delta', async () => {
    const { client, calls } = setup([() => sseResponse(sseBody(['a', 'b', 'c'], { finish: 'stop' }))]);
    const one: string[] = [];
    const two: string[] = [];
    const [r1, r2] = await Promise.all([
      client.chat(ask('same'), { onDelta: (t) => one.push(t) }),
      client.chat(ask('same'), { onDelta: (t) => two.push(t) }),
    ]);
    expect(calls).toHaveLength(1);
    expect(one.join('')).toBe('abc');
    expect(two.join('')).toBe('abc');
    expect(r1).toEqual(r2);
  });

  it('a late joiner gets the text so far first, then the rest', async () => {
    const { controlledStream, chunk } = await import('./fakes');
    const body = controlledStream();
    const { client, calls } = setup([() => sseResponse(body.stream)]);
    const first: string[] = [];
    const p1 = client.chat(ask('q'), { onDelta: (t) => first.push(t) });
    await settle();
    body.push(chunk('Hello'));
    body.push(chunk(', '));
    await settle();
    const late: string[] = [];
    const lateStatus = statusLog();
    const p2 = client.chat(ask('q'), { onDelta: (t) => late.push(t), onStatus: lateStatus.onStatus });
    await settle();
    expect(late).toEqual(['Hello, ']);
    expect(lateStatus.types()).toEqual(['streaming']);
    body.push(sseBody(['world'], { finish: 'stop' }));
    await Promise.all([p1, p2]);
    expect(first.join('')).toBe('Hello, world');
    expect(late.join('')).toBe('Hello, world');
    expect(calls).toHaveLength(1);
  });

  it('callers abort independently; the upstream is cancelled only when all have left', async () => {
    const { controlledStream, chunk } = await import('./fakes');
    const body = controlledStream();
    const { client, calls } = setup([() => sseResponse(body.stream)]);
    const a = new AbortController();
    const b = new AbortController();
    const pa = outcome(client.chat(ask('q'), { signal: a.signal }));
    const pb = outcome(client.chat(ask('q'), { signal: b.signal }));
    await settle();
    body.push(chunk('x'));
    await settle();
    a.abort();
    expect(await pa).toMatchObject({ kind: 'aborted' });
    expect(calls[0]!.init.signal!.aborted).toBe(false);
    b.abort();
    expect(await pb).toMatchObject({ kind: 'aborted' });
    expect(calls[0]!.init.signal!.aborted).toBe(true);
    await body.cancelled;
    await settle();
    expect(client.stats()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('different bodies, modes or providers are separate calls; finished flights are not reused', async () => {
    const { client, calls } = setup([() => sseResponse(sseBody(['x'], { finish: 'stop' }))]);
    await Promise.all([client.chat(ask('1')), client.chat(ask('2')), client.chat({ ...ask('1'), temperature: 1 })]);
    expect(calls).toHaveLength(3);
    await client.chat(ask('1'));
    expect(calls).toHaveLength(4);
  });

  it('shares failures too', async () => {
    const { client, calls } = setup([() => jsonResponse(401, {})]);
    const results = await Promise.all([outcome(client.chat(ask())), outcome(client.chat(ask()))]);
    expect(results.map((r) => (r as LlmError).kind)).toEqual(['auth', 'auth']);
    expect(calls).toHaveLength(1);
  });
});

describe('a spent quota', () => {
  it('stops the queue: requests queued behind it fail with the quota error without going upstream', async () => {
    const { m, client } = manualClient({ options: { maxConcurrency: 8 } });
    const runs = Array.from({ length: 20 }, (_, i) => outcome(client.complete(ask(String(i)))));
    await settle();
    expect(m.calls).toHaveLength(INITIAL_WINDOW);
    const spent = () => jsonResponse(429, { error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'You exceeded your current quota.' } });
    m.pending[0]!.resolve(spent());
    m.pending[1]!.resolve(spent());
    const results = (await Promise.all(runs)) as LlmError[];
    expect(results.map((r) => r.kind)).toEqual(Array.from({ length: 20 }, () => 'quota'));
    expect(m.calls).toHaveLength(INITIAL_WINDOW);
    // A request made after the stop goes upstream again: the user may have added credit.
    void outcome(client.complete(ask('later')));
    await settle();
    expect(m.calls).toHaveLength(INITIAL_WINDOW + 1);
  });
});
