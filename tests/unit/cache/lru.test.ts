import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryLru, utf8Length } from '../../../lib/cache/lru';

describe('MemoryLru', () => {
  it('evicts the least recently used entry when over the entry limit', () => {
    const lru = new MemoryLru<string>({ maxEntries: 2, maxBytes: 1_000 });
    lru.set('a', 'A', 1);
    lru.set('b', 'B', 1);
    lru.get('a');
    lru.set('c', 'C', 1);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
  });

  it('evicts as many as it takes to fit the byte limit', () => {
    const lru = new MemoryLru<string>({ maxEntries: 100, maxBytes: 100 });
    for (const k of ['a', 'b', 'c', 'd']) lru.set(k, k, 25);
    lru.set('big', 'x', 60);
    expect(['a', 'b', 'c', 'd', 'big'].filter((k) => lru.has(k))).toEqual(['d', 'big']);
    expect(lru.bytes).toBe(85);
  });

  it('does not keep a value larger than the whole budget, and keeps the rest', () => {
    const lru = new MemoryLru<string>({ maxEntries: 10, maxBytes: 10 });
    lru.set('a', 'A', 5);
    expect(lru.set('huge', 'H', 11)).toBe(false);
    expect(lru.has('a')).toBe(true);
    expect(lru.size).toBe(1);
  });

  it('replacing a key counts its bytes once', () => {
    const lru = new MemoryLru<string>({ maxEntries: 10, maxBytes: 100 });
    lru.set('a', 'one', 40);
    lru.set('a', 'two', 30);
    expect([lru.size, lru.bytes, lru.get('a')]).toEqual([1, 30, 'two']);
  });

  it('never exceeds either bound and its byte count matches its contents', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('get', 'set', 'delete'), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 40 }))),
        (ops) => {
          const lru = new MemoryLru<number>({ maxEntries: 8, maxBytes: 100 });
          const sizes = new Map<string, number>();
          for (const [op, k, bytes] of ops) {
            const key = String(k);
            if (op === 'get') lru.get(key);
            else if (op === 'delete') lru.delete(key);
            else if (lru.set(key, bytes, bytes)) sizes.set(key, bytes);
            expect(lru.size).toBeLessThanOrEqual(8);
            expect(lru.bytes).toBeLessThanOrEqual(100);
          }
          let total = 0;
          for (const [key, bytes] of sizes) if (lru.has(key)) total += bytes;
          expect(lru.bytes).toBe(total);
        },
      ),
    );
  });

  it('answers a hit in well under 0.1 ms', () => {
    const lru = new MemoryLru<string>({ maxEntries: 1_000, maxBytes: 1e9 });
    for (let i = 0; i < 1_000; i++) lru.set(`k${i}`, 'v', 10);
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) lru.get(`k${i % 1_000}`);
    expect((performance.now() - t0) / 100_000).toBeLessThan(0.01);
  });
});

const utf16Text = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('😀', '\ud800', '\udc00', 'é', '€')), {
    maxLength: 30,
  })
  .map((parts) => parts.join(''));

describe('utf8Length', () => {
  it('matches TextEncoder, lone and paired surrogates included', () => {
    fc.assert(
      fc.property(utf16Text, (s) => {
        expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
      }),
      { numRuns: 500 },
    );
  });
});
