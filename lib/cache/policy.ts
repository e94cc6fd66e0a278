// What may be cached, and for how long. Plain data so the options page can edit it and the
// background can keep it in storage; `resolveCachePolicy` is the door that checks it.
import { z } from 'zod';
import type { ChatRequest } from '../llm/types';

export type CacheKind = 'summary' | 'chat';

/** Answers up to `maxBytes` (UTF-8) live `ttlMs`. Tiers are ordered by size; larger answers are not cached. */
export interface TtlTier {
  maxBytes: number;
  ttlMs: number;
}

export interface CachePolicy {
  enabled: boolean;
  summary: { ttlTiers: TtlTier[] };
  chat: {
    /** Cache chat answers sampled at temperature > 0 too: the user accepts seeing the same answer twice. */
    cacheNonDeterministic: boolean;
    ttlTiers: TtlTier[];
  };
}

const KIB = 1024;
const MIB = 1024 * KIB;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEFAULT_CACHE_POLICY: CachePolicy = {
  enabled: true,
  // A summary is content-addressed: an edited page hashes differently, so age alone never makes it wrong.
  summary: { ttlTiers: [{ maxBytes: 1 * MIB, ttlMs: 7 * DAY }] },
  chat: {
    cacheNonDeterministic: false,
    // Short answers (facts, definitions, one-liners) are the ones asked again and cost little room;
    // long ones are mostly one-off and would crowd out the rest, so they leave sooner.
    ttlTiers: [
      { maxBytes: 4 * KIB, ttlMs: 1 * DAY },
      { maxBytes: 64 * KIB, ttlMs: 6 * HOUR },
      { maxBytes: 1 * MIB, ttlMs: 1 * HOUR },
    ],
  },
};

const tier = z.object({
  maxBytes: z.number().int().positive(),
  ttlMs: z.number().int().nonnegative(),
});

/** Any part may be left out; what is left out keeps its current value. */
export const cachePolicyInput = z.object({
  enabled: z.boolean().optional(),
  summary: z.object({ ttlTiers: z.array(tier).max(16).optional() }).optional(),
  chat: z
    .object({ cacheNonDeterministic: z.boolean().optional(), ttlTiers: z.array(tier).max(16).optional() })
    .optional(),
});
export type CachePolicyInput = z.input<typeof cachePolicyInput>;

/** Validates `input` (throws a ZodError when it is malformed) and lays it over `base`. */
export function resolveCachePolicy(input: unknown = {}, base: CachePolicy = DEFAULT_CACHE_POLICY): CachePolicy {
  const parsed = cachePolicyInput.parse(input);
  return {
    enabled: parsed.enabled ?? base.enabled,
    summary: { ttlTiers: sortTiers(parsed.summary?.ttlTiers ?? base.summary.ttlTiers) },
    chat: {
      cacheNonDeterministic: parsed.chat?.cacheNonDeterministic ?? base.chat.cacheNonDeterministic,
      ttlTiers: sortTiers(parsed.chat?.ttlTiers ?? base.chat.ttlTiers),
    },
  };
}

function sortTiers(tiers: readonly TtlTier[]): TtlTier[] {
  return [...tiers].map((t) => ({ ...t })).sort((a, b) => a.maxBytes - b.maxBytes);
}

/**
 * Whether an answer to this request may come from, and go into, the cache. A chat answer sampled
 * with temperature > 0 (or the provider's default, usually 1) is meant to vary, so replaying one
 * would be wrong unless the user said otherwise.
 */
export function isCacheable(policy: CachePolicy, kind: CacheKind, request: ChatRequest): boolean {
  if (!policy.enabled) return false;
  if (kind === 'summary') return true;
  return request.temperature === 0 || policy.chat.cacheNonDeterministic;
}

/** How long an answer of `bytes` may live; 0 means "do not store it". */
export function ttlFor(policy: CachePolicy, kind: CacheKind, bytes: number): number {
  const tiers = kind === 'summary' ? policy.summary.ttlTiers : policy.chat.ttlTiers;
  for (const t of tiers) if (bytes <= t.maxBytes) return t.ttlMs;
  return 0;
}
