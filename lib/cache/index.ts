// The response cache (issue #4). Wiring in the background:
//   const cache = createResponseCache({ db, policy });           // policy and prices from storage
//   const client = withCache(llmClient(), cache, { getProvider, activity: createActivityLog({ db }) });
//   runner = createJobRunner({ store, client });                  // pass cachePolicy: job.kind per request
//   alarm → cache.prune(), activity.prune()
// Modules: key (canonical request → SHA-256), lru (memory level), answer-store (Dexie level),
// response-cache (the two together), policy/prices/stats (plain data for Options), with-cache (ChatClient).
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
export { costUsd, DEFAULT_PRICES, priceFor, type ModelPrice, type PriceTable } from './prices';
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
