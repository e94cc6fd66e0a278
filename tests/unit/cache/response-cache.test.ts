import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENTRY_OVERHEAD_BYTES, createResponseCache, type AnswerInput } from '../../../lib/cache/response-cache';
import type { PrecisDb } from '../../../lib/db';
import { closeAll, failingWrites, fakeClock, freshDb, hashOf, quotaError, type QuotaShape } from './helpers';

afterEach(closeAll);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const answer = (text: string, extra: Partial<AnswerInput> = {}): AnswerInput => ({
  kind: 'summary',
  model: 'gpt-4o-mini',
  text,
  finishReason: 'stop',
  usage: { promptTokens: 1_000, completionTokens: 200 },
  ...extra,
});

/** Text whose entry counts exactly `bytes` against the caps. */
const sized = (bytes: number, fill = 'x') => fill.repeat(bytes - ENTRY_OVERHEAD_BYTES);

async function storedTotal(db: PrecisDb): Promise<{ recorded: number; actual: number; hashes: string[] }> {
  const rows = await db.cacheEntries.toArray();
  return {
    recorded: (await db.meta.get('cache.bytes'))?.value ?? 0,
    actual: rows.reduce((s, r) => s + r.size, 0),
    hashes: rows.map((r) => r.hash).sort(),
  };
}

function setup(opts: Partial<Parameters<typeof createResponseCache>[0]> = {}, db = freshDb()) {
  const clock = fakeClock();
  const errors: unknown[] = [];
  const cache = createResponseCache({ db, now: clock.now, onError: (e) => errors.push(e), ...opts });
  return { db, clock, cache, errors };
}

describe('response cache: two levels', () => {
  it('returns what was put, from memory, and keeps it on disk', async () => {
    const { cache, db } = setup();
    expect(await cache.put(hashOf(1), answer('A summary'))).toBe('stored');
    const hit = await cache.get(hashOf(1));
    expect(hit).toMatchObject({ text: 'A summary', model: 'gpt-4o-mini', promptTokens: 1_000, completionTokens: 200 });
    expect(await db.cacheBodies.get(hashOf(1))).toEqual({ hash: hashOf(1), text: 'A summary' });
    expect(await cache.get(hashOf(2))).toBeUndefined();
  });

  it('promotes a disk hit to memory', async () => {
    const { db, clock } = setup();
    const writer = createResponseCache({ db, now: clock.now });
    await writer.put(hashOf(1), answer('Stored earlier'));
    // A restarted worker: new cache object, empty memory, same database.
    const reader = createResponseCache({ db, now: clock.now });
    expect((await reader.stats()).memoryEntries).toBe(0);
    expect((await reader.get(hashOf(1)))?.text).toBe('Stored earlier');
    expect((await reader.stats()).memoryEntries).toBe(1);
    // Proof it now answers from memory: the disk copy is gone behind its back.
    await db.cacheBodies.clear();
    expect((await reader.get(hashOf(1)))?.text).toBe('Stored earlier');
    await reader.flush();
  });

  it('serves a memory hit in well under 0.1 ms', async () => {
    const { cache } = setup();
    await cache.put(hashOf(1), answer('fast'));
    const t0 = performance.now();
    for (let i = 0; i < 5_000; i++) await cache.get(hashOf(1));
    expect((performance.now() - t0) / 5_000).toBeLessThan(0.1);
    await cache.flush();
  });

  it('refreshes the disk LRU order for memory hits, at most once per interval', async () => {
    const { cache, db, clock } = setup({ touchIntervalMs: 60_000 });
    await cache.put(hashOf(1), answer('hot'));
    const created = clock.now();
    clock.advance(30_000);
    await cache.get(hashOf(1));
    await cache.flush();
    expect((await db.cacheEntries.get(hashOf(1)))?.lastAccess).toBe(created);
    clock.advance(40_000);
    await cache.get(hashOf(1));
    await cache.flush();
    expect((await db.cacheEntries.get(hashOf(1)))?.lastAccess).toBe(created + 70_000);
  });

  it('stores only complete answers', async () => {
    const { cache } = setup();
    expect(await cache.put(hashOf(1), answer('cut off', { finishReason: 'length' }))).toBe('skipped');
    expect(await cache.put(hashOf(2), answer('', { finishReason: 'stop' }))).toBe('skipped');
    expect(await cache.put(hashOf(3), answer('filtered', { finishReason: 'content_filter' }))).toBe('skipped');
    for (const n of [1, 2, 3]) expect(await cache.get(hashOf(n))).toBeUndefined();
  });

  it('replaces an entry under the same hash and counts its bytes once', async () => {
    const { cache, db } = setup();
    await cache.put(hashOf(1), answer(sized(1_000)));
    await cache.put(hashOf(1), answer(sized(600, 'y')));
    expect((await cache.get(hashOf(1)))?.text).toBe(sized(600, 'y'));
    expect(await storedTotal(db)).toEqual({ recorded: 600, actual: 600, hashes: [hashOf(1)] });
  });

  it('stores nothing while the policy disables caching', async () => {
    const { cache } = setup({ policy: { enabled: false } });
    expect(await cache.put(hashOf(1), answer('x'))).toBe('skipped');
    cache.setPolicy({ enabled: true });
    expect(await cache.put(hashOf(1), answer('x'))).toBe('stored');
  });
});

describe('response cache: expiry', () => {
  it('keeps a summary for 7 days, not a millisecond more', async () => {
    const { cache, clock, db } = setup();
    await cache.put(hashOf(1), answer('summary'));
    clock.advance(7 * DAY - 1);
    expect(await cache.get(hashOf(1))).toBeDefined();
    clock.advance(1);
    expect(await cache.get(hashOf(1))).toBeUndefined();
    // Also from disk, for a fresh worker.
    const other = createResponseCache({ db, now: clock.now });
    expect(await other.get(hashOf(1))).toBeUndefined();
    await Promise.all([cache.flush(), other.flush()]);
  });

  it('gives chat answers a TTL by size tier', async () => {
    const { cache, clock } = setup();
    await cache.put(hashOf(1), answer(sized(1_000), { kind: 'chat' }));
    await cache.put(hashOf(2), answer(sized(20_000), { kind: 'chat' }));
    clock.advance(6 * HOUR);
    expect(await cache.get(hashOf(1))).toBeDefined();
    expect(await cache.get(hashOf(2))).toBeUndefined();
    clock.advance(18 * HOUR);
    expect(await cache.get(hashOf(1))).toBeUndefined();
    await cache.flush();
  });

  it('prune() removes expired entries from both levels and keeps the byte total exact', async () => {
    const { cache, clock, db } = setup();
    await cache.put(hashOf(1), answer(sized(1_000), { kind: 'chat' })); // 1 day
    await cache.put(hashOf(2), answer(sized(2_000))); // 7 days
    clock.advance(2 * DAY);
    expect(await cache.prune()).toEqual({ memoryEntries: 1, entries: 1, bytes: 1_000 });
    expect(await storedTotal(db)).toEqual({ recorded: 2_000, actual: 2_000, hashes: [hashOf(2)] });
    expect((await cache.stats()).memoryEntries).toBe(1);
  });

  it('prune() heals a skewed byte total', async () => {
    const { cache, db } = setup();
    await cache.put(hashOf(1), answer(sized(1_000)));
    await db.meta.put({ key: 'cache.bytes', value: 123_456 });
    await cache.prune();
    expect((await storedTotal(db)).recorded).toBe(1_000);
  });
});

describe('response cache: byte cap', () => {
  it('evicts the least recently used entries to stay under the cap', async () => {
    const { cache, clock, db } = setup({ l2MaxBytes: 3_000, touchIntervalMs: 0 });
    for (const n of [1, 2, 3]) {
      await cache.put(hashOf(n), answer(sized(1_000)));
      clock.advance(1_000);
    }
    await cache.get(hashOf(1)); // 1 is now more recent than 2 and 3
    await cache.flush();
    clock.advance(1_000);
    await cache.put(hashOf(4), answer(sized(1_500)));
    expect(await storedTotal(db)).toEqual({ recorded: 2_500, actual: 2_500, hashes: [hashOf(1), hashOf(4)] });
  });

  it('keeps an answer larger than the whole disk budget in memory only', async () => {
    const { cache, db } = setup({ l2MaxBytes: 1_000 });
    await cache.put(hashOf(1), answer(sized(500)));
    expect(await cache.put(hashOf(2), answer(sized(5_000)))).toBe('memory');
    expect((await cache.get(hashOf(2)))?.text).toBe(sized(5_000));
    expect((await storedTotal(db)).hashes).toEqual([hashOf(1)]);
    await cache.flush();
  });

  it('never exceeds the cap and its byte total always matches the rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: ENTRY_OVERHEAD_BYTES + 1, max: 2_500 }), fc.boolean()), {
          minLength: 1,
          maxLength: 25,
        }),
        async (ops) => {
          const { cache, db, clock } = setup({ l2MaxBytes: 5_000, l1MaxEntries: 2 });
          for (const [n, bytes, read] of ops) {
            clock.advance(10);
            if (read) await cache.get(hashOf(n));
            else await cache.put(hashOf(n), answer(sized(bytes)));
            const { recorded, actual } = await storedTotal(db);
            expect(recorded).toBe(actual);
            expect(actual).toBeLessThanOrEqual(5_000);
          }
          await cache.flush();
          await closeAll();
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('response cache: full disk', () => {
  it.each<QuotaShape>(['dom', 'dexie-wrapped'])('evicts and retries on a QuotaExceededError (%s)', async (shape) => {
    const db = freshDb();
    const quota = failingWrites(db, { table: 'cacheBodies', error: () => quotaError(shape) });
    const { cache, clock, errors } = setup({}, db);
    for (const n of [1, 2, 3, 4]) {
      await cache.put(hashOf(n), answer(sized(1_000)));
      clock.advance(1_000);
    }
    quota.failures = 1;
    expect(await cache.put(hashOf(5), answer(sized(1_000)))).toBe('stored');
    const { hashes, recorded, actual } = await storedTotal(db);
    // The oldest went to make room; the new answer is on disk.
    expect(hashes).not.toContain(hashOf(1));
    expect(hashes).toContain(hashOf(5));
    expect(recorded).toBe(actual);
    expect(errors).toEqual([]);
  });

  it('keeps the answer in memory when the disk stays full, without throwing', async () => {
    const db = freshDb();
    const quota = failingWrites(db, { table: 'cacheBodies', error: () => quotaError('dexie-wrapped') });
    const { cache, errors } = setup({}, db);
    await cache.put(hashOf(1), answer(sized(1_000)));
    quota.failures = Infinity;
    expect(await cache.put(hashOf(2), answer('still here'))).toBe('memory');
    expect((await cache.get(hashOf(2)))?.text).toBe('still here');
    expect(errors).toHaveLength(1);
    // Bounded: one first attempt and a retry after the only eviction possible, not a loop.
    expect(quota.attempts).toBeLessThanOrEqual(5);
    const { recorded, actual } = await storedTotal(db);
    expect(recorded).toBe(actual);
    await cache.flush();
  });

  it('does not evict for errors that are not about space', async () => {
    const db = freshDb();
    const broken = failingWrites(db, { table: 'cacheBodies', error: () => new Error('disk on fire') });
    const { cache, errors } = setup({}, db);
    await cache.put(hashOf(1), answer('kept'));
    broken.failures = 1;
    expect(await cache.put(hashOf(2), answer('memory only'))).toBe('memory');
    expect((await storedTotal(db)).hashes).toEqual([hashOf(1)]);
    expect(errors).toHaveLength(1);
  });

  it('treats an unreadable disk as a miss', async () => {
    const { cache, db, errors } = setup();
    vi.spyOn(db, 'transaction').mockImplementation(() => {
      throw new Error('IndexedDB is gone');
    });
    expect(await cache.get(hashOf(1))).toBeUndefined();
    await cache.flush();
    vi.restoreAllMocks();
    // The read, then the miss counter behind it: reported, never thrown.
    expect(errors.map((e) => (e as Error).message)).toEqual(['IndexedDB is gone', 'IndexedDB is gone']);
  });
});

describe('response cache: stats', () => {
  it('counts hits, misses and what the hits saved, across worker restarts', async () => {
    const { cache, db, clock } = setup();
    await cache.put(hashOf(1), answer('x', { model: 'gpt-4o-mini', usage: { promptTokens: 10_000, completionTokens: 1_000 } }));
    await cache.put(hashOf(2), answer('y', { model: 'my-local-model', usage: { promptTokens: 50, completionTokens: 5 } }));
    await cache.get(hashOf(1));
    await cache.get(hashOf(1));
    await cache.get(hashOf(2));
    await cache.get(hashOf(3), { model: 'gpt-4o-mini' });
    await cache.flush();

    const restarted = createResponseCache({ db, now: clock.now });
    const stats = await restarted.stats();
    expect(stats).toMatchObject({
      hits: 3,
      misses: 1,
      hitRate: 0.75,
      savedPromptTokens: 20_050,
      savedCompletionTokens: 2_005,
      unpricedModels: ['my-local-model'],
      entries: 2,
    });
    expect(stats.savedCostUsd).toBeCloseTo((20_000 * 0.15 + 2_000 * 0.6) / 1e6, 10);
    // An edited price table re-estimates what was saved.
    const repriced = await restarted.stats({ prices: { 'my-local-model': { inputPerMTok: 1_000_000, outputPerMTok: 0 } } });
    expect(repriced.savedCostUsd).toBe(50);
    expect(repriced.unpricedModels).toEqual(['gpt-4o-mini']);
  });

  it('coalesces a burst of hits into few writes and loses none', async () => {
    const { cache } = setup();
    await cache.put(hashOf(1), answer('x'));
    await Promise.all(Array.from({ length: 200 }, () => cache.get(hashOf(1))));
    expect((await cache.stats()).hits).toBe(200);
  });

  it('resetStats() zeroes the counters', async () => {
    const { cache } = setup();
    await cache.get(hashOf(1));
    await cache.resetStats();
    expect((await cache.stats()).misses).toBe(0);
  });
});

describe('response cache: clear', () => {
  it('empties both levels and records it in the audit log', async () => {
    const { cache, db } = setup();
    await cache.put(hashOf(1), answer(sized(1_000)));
    expect(await cache.clear()).toEqual({ entries: 1, bytes: 1_000 });
    expect(await cache.get(hashOf(1))).toBeUndefined();
    expect(await storedTotal(db)).toEqual({ recorded: 0, actual: 0, hashes: [] });
    expect(await db.audit.toArray()).toMatchObject([{ action: 'clear-cache', hashes: [], removed: { cacheEntries: 1 } }]);
    await cache.flush();
  });
});
