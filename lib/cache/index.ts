export { cachedAgeLabel } from './age';
export type { StoredAnswer, Tally } from './answer-store';
export { canonicalJson } from './canonical';
export { isRequestHash, keyMaterial, requestKey, type RequestKeyInput } from './key';
export { MemoryLru, utf8Length, type LruLimits } from './lru';
export {
  cachePolicyInput,
  DEFAULT_CACHE_POLICY,
  isCacheable,
  resolveCachePolicy,
  ttlFor,
  type CacheKind,
  type CachePolicy,
  type CachePolicyInput,
  type TtlTier,
} from './policy';
export { costUsd, DEFAULT_PRICES, priceFor, priceTableInput, type ModelPrice, type PriceTable } from './prices';
export { isQuotaError } from './quota';
export type { CacheBodyRecord, CacheEntryRecord, CacheStatsRecord, MetaRecord } from './records';
export {
  CACHE_DEFAULTS,
  createResponseCache,
  ENTRY_OVERHEAD_BYTES,
  type AnswerInput,
  type CachedAnswer,
  type PruneResult,
  type PutOutcome,
  type ResponseCache,
  type ResponseCacheDeps,
} from './response-cache';
export { summariseStats, type CacheStats, type ModelStats } from './stats';
export {
  withCache,
  type CachedChatResult,
  type CachingChatClient,
  type CachingChatOptions,
  type WithCacheOptions,
} from './with-cache';
