import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_POLICY, isCacheable, resolveCachePolicy, ttlFor } from '../../../lib/cache/policy';
import { costUsd, DEFAULT_PRICES, priceFor } from '../../../lib/cache/prices';
import { priceTableInput } from '../../../lib/preferences';
import { isQuotaError } from '../../../lib/cache/quota';
import { quotaError } from './helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const chat = (temperature?: number) => ({ temperature, messages: [{ role: 'user' as const, content: 'hi' }] });

describe('cache policy', () => {
  it('caches summaries always, chat answers only when deterministic or opted in', () => {
    const p = DEFAULT_CACHE_POLICY;
    expect(isCacheable(p, 'summary', chat(0.7))).toBe(true);
    expect(isCacheable(p, 'chat', chat(0))).toBe(true);
    expect(isCacheable(p, 'chat', chat(0.7))).toBe(false);
    expect(isCacheable(p, 'chat', chat(undefined))).toBe(false);
    expect(isCacheable(resolveCachePolicy({ chat: { cacheNonDeterministic: true } }), 'chat', chat(0.7))).toBe(true);
    expect(isCacheable(resolveCachePolicy({ enabled: false }), 'summary', chat(0))).toBe(false);
  });

  it('gives summaries 7 days and chat answers shorter lives as they grow', () => {
    const p = DEFAULT_CACHE_POLICY;
    expect(ttlFor(p, 'summary', 50_000)).toBe(7 * DAY);
    expect(ttlFor(p, 'chat', 1_000)).toBe(DAY);
    expect(ttlFor(p, 'chat', 10_000)).toBe(6 * HOUR);
    expect(ttlFor(p, 'chat', 500_000)).toBe(HOUR);
    expect(ttlFor(p, 'chat', 2 * 1024 * 1024)).toBe(0);
  });

  it('lays a partial policy over the current one and sorts tiers', () => {
    const p = resolveCachePolicy({ chat: { ttlTiers: [{ maxBytes: 1000, ttlMs: 5 }, { maxBytes: 10, ttlMs: 50 }] } });
    expect(p.chat.ttlTiers.map((t) => t.maxBytes)).toEqual([10, 1000]);
    expect(p.summary).toEqual(DEFAULT_CACHE_POLICY.summary);
    expect(p.chat.cacheNonDeterministic).toBe(false);
  });

  it('rejects a malformed policy at the door', () => {
    expect(() => resolveCachePolicy({ summary: { ttlTiers: [{ maxBytes: -1, ttlMs: 5 }] } })).toThrow();
    expect(() => resolveCachePolicy({ enabled: 'yes' })).toThrow();
  });
});

describe('prices', () => {
  it('finds exact, dated, tagged and gateway-prefixed model names, and not a different family', () => {
    expect(priceFor(DEFAULT_PRICES, 'gpt-4o-mini')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor(DEFAULT_PRICES, 'gpt-4o-2024-08-06')).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(priceFor(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor(DEFAULT_PRICES, 'openai/GPT-4.1-mini')).toEqual(DEFAULT_PRICES['gpt-4.1-mini']);
    expect(priceFor({ llama3: { inputPerMTok: 0, outputPerMTok: 0 } }, 'llama3:8b')).toBeDefined();
    expect(priceFor(DEFAULT_PRICES, 'gpt-4.5')).toBeUndefined();
    expect(priceFor(DEFAULT_PRICES, 'mistral-large')).toBeUndefined();
  });

  it('prices per million tokens', () => {
    expect(costUsd({ inputPerMTok: 2, outputPerMTok: 8 }, 500_000, 250_000)).toBeCloseTo(3);
  });

  it('validates an edited table', () => {
    expect(priceTableInput.safeParse({ m: { inputPerMTok: 1, outputPerMTok: 2 } }).success).toBe(true);
    expect(priceTableInput.safeParse({ m: { inputPerMTok: -1, outputPerMTok: 2 } }).success).toBe(false);
  });
});

describe('isQuotaError', () => {
  it('sees a full disk however Dexie wraps it', () => {
    expect(isQuotaError(quotaError('dom'))).toBe(true);
    expect(isQuotaError(quotaError('dexie-wrapped'))).toBe(true);
    expect(isQuotaError(new Dexie.QuotaExceededError('full'))).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(isQuotaError(new Dexie.AbortError('aborted'))).toBe(false);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError(undefined)).toBe(false);
  });
});
