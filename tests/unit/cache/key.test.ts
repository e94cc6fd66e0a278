import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../lib/cache/canonical';
import { isRequestHash, keyMaterial, requestKey, type RequestKeyInput } from '../../../lib/cache/key';
import type { ChatMessage, ChatRequest } from '../../../lib/llm/types';

const provider = { baseUrl: 'https://api.example.com/v1', model: 'gpt-4o-mini' };
const key = (request: ChatRequest, extra: Partial<RequestKeyInput> = {}) => requestKey({ provider, request, ...extra });
const ask = (...contents: string[]): ChatRequest => ({
  temperature: 0,
  messages: contents.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
});

/** The same value with every object's keys in another order (a permutation picked by `seed`). */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => reorder(v, seed));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  let s = seed >>> 0;
  for (let i = keys.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a "__proto__" key must stay an own property.
  for (const k of keys) Object.defineProperty(out, k, { value: reorder((value as Record<string, unknown>)[k], seed + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** JSON cannot tell -0 from 0, and neither can the server. */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]));
}

const message = fc.record({
  role: fc.constantFrom<ChatMessage['role']>('system', 'user', 'assistant'),
  content: fc.string({ maxLength: 40, unit: 'binary' }),
});
const request = fc.record(
  {
    messages: fc.array(message, { minLength: 1, maxLength: 5 }),
    model: fc.constantFrom('gpt-4o-mini', 'gpt-4o', 'llama3'),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    max_tokens: fc.integer({ min: 1, max: 4096 }),
  },
  { requiredKeys: ['messages'] },
);

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[{"x":2,"y":1}]},"b":1}');
  });

  it('refuses what JSON cannot say faithfully', () => {
    for (const bad of [Number.NaN, Infinity, [undefined], new Date(0), 1n, () => 1, Symbol('s')]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
    }
  });

  it('is valid JSON that parses back to the same value, so different values never share a spelling', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(canonicalJson(v))).toStrictEqual(withoutNegativeZero(v));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order keys were inserted in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (v, seed) => {
        expect(canonicalJson(reorder(v, seed))).toBe(canonicalJson(v));
      }),
      { numRuns: 300 },
    );
  });
});

describe('requestKey', () => {
  it('is the hex SHA-256 of the canonical key material', async () => {
    const req = ask('Hello');
    const expected = createHash('sha256').update(canonicalJson(keyMaterial({ provider, request: req })), 'utf8').digest('hex');
    const got = await key(req);
    expect(got).toBe(expected);
    expect(isRequestHash(got)).toBe(true);
  });

  it('does not depend on key order in the request', async () => {
    await fc.assert(
      fc.asyncProperty(request, fc.integer(), async (req, seed) => {
        expect(await key(reorder(req, seed) as ChatRequest)).toBe(await key(req));
      }),
      { numRuns: 50 },
    );
  });

  it('gives different requests different keys', async () => {
    await fc.assert(
      fc.asyncProperty(request, request, async (a, b) => {
        fc.pre(canonicalJson(keyMaterial({ provider, request: a })) !== canonicalJson(keyMaterial({ provider, request: b })));
        expect(await key(a)).not.toBe(await key(b));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps two conversations apart when they end with the same message', async () => {
    const a = await key(ask('Tell me about cats', 'Cats are…', 'Summarise that'));
    const b = await key(ask('Tell me about dogs', 'Dogs are…', 'Summarise that'));
    expect(a).not.toBe(b);
  });

  it('keeps message boundaries: ["ab","c"] is not ["a","bc"]', async () => {
    expect(await key(ask('ab', 'c'))).not.toBe(await key(ask('a', 'bc')));
  });

  it('changes with everything that decides the answer', async () => {
    const base = ask('Hello');
    const keys = await Promise.all([
      key(base),
      key({ ...base, temperature: 0.7 }),
      key({ ...base, temperature: undefined }),
      key({ ...base, max_tokens: 100 }),
      key({ ...base, top_p: 0.5 } as ChatRequest),
      key({ ...base, model: 'gpt-4o' }),
      key({ ...base, messages: [{ role: 'system', content: 'Be brief.' }, ...base.messages] }),
      key(base, { language: 'French' }),
      key(base, { provider: { ...provider, baseUrl: 'https://other.example.com/v1' } }),
      key(base, { provider: { ...provider, model: 'llama3' } }),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('ignores how the answer is delivered and spellings of the same thing', async () => {
    const base = ask('Hello');
    const expected = await key(base);
    const same = await Promise.all([
      key({ ...base, stream: true, stream_options: { include_usage: true } } as ChatRequest),
      key({ ...base, model: provider.model }),
      key({ ...base, max_tokens: undefined }),
      key(base, { provider: { ...provider, baseUrl: ' HTTPS://API.example.com/v1/ ' } }),
    ]);
    expect(same).toEqual(same.map(() => expected));
  });

  it('hashes a long page quickly enough to sit in front of every request', async () => {
    const page = 'word '.repeat(12_000);
    const t0 = performance.now();
    await key(ask(page));
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
