// The two-level response cache: a memory LRU in front of the Dexie store. Lookups never throw (a
// broken disk is a miss), and writes never lose the answer (a full disk evicts and retries, and at
// worst the answer lives in memory only).
import type { PrecisDb } from '../db';
import type { ChatRequest, Usage } from '../llm/types';
import { appendAudit } from '../privacy/audit';
import { forgetRequests, type AlsoForget, type ForgetResult } from '../privacy/forget';
import {
  clearAnswers,
  deleteExpired,
  evictBytes,
  readAnswer,
  storedSize,
  touchAnswer,
  writeAnswer,
  type StoredAnswer,
  type Tally,
} from './answer-store';
import { MemoryLru, utf8Length } from './lru';
import { isCacheable, resolveCachePolicy, ttlFor, type CacheKind, type CachePolicy, type CachePolicyInput } from './policy';
import type { PriceTable } from './prices';
import { isQuotaError } from './quota';
import { StatsCounters, summariseStats, type CacheStats } from './stats';

export interface ResponseCacheDeps {
  db: PrecisDb;
  now?: () => number;
  l1MaxEntries?: number;
  l1MaxBytes?: number;
  l2MaxBytes?: number;
  /** A full policy or any part of one (validated; the rest is the default). */
  policy?: CachePolicyInput;
  /**
   * Hits served from memory refresh the stored `lastAccess` at most this often, so hot answers are
   * not the first evicted from disk, without a disk write per hit.
   */
  touchIntervalMs?: number;
  /** Storage failures the cache absorbed. Default: console.warn. */
  onError?: (err: unknown) => void;
}

export const CACHE_DEFAULTS = {
  l1MaxEntries: 500,
  l1MaxBytes: 16 * 1024 * 1024,
  l2MaxBytes: 100 * 1024 * 1024,
  touchIntervalMs: 60_000,
} as const;

/** Bytes each entry counts beyond its text: metadata, keys and index rows. */
export const ENTRY_OVERHEAD_BYTES = 256;
/** Eviction rounds after a QuotaExceededError before the answer stays in memory only. */
const QUOTA_RETRIES = 3;

export type CachedAnswer = Readonly<StoredAnswer>;

export interface AnswerInput {
  kind: CacheKind;
  model: string;
  text: string;
  finishReason: string;
  usage?: Usage;
}

/** Where `put` left the answer: on disk and in memory, in memory only, or nowhere (not cacheable). */
export type PutOutcome = 'stored' | 'memory' | 'skipped';

export interface PruneResult {
  memoryEntries: number;
  entries: number;
  bytes: number;
}

export interface ResponseCache {
  /** The answer for `hash` if one is stored and fresh. Counts a hit or a miss (a miss under `model`). */
  get(hash: string, opts?: { model?: string }): Promise<CachedAnswer | undefined>;
  /** Stores a complete answer (finish reason `stop`); replaces any entry under the same hash. */
  put(hash: string, answer: AnswerInput): Promise<PutOutcome>;
  /** Deletes these requests' answers, activity lines and jobs (and `also`), and records why. */
  forget(hashes: readonly string[], reason: string, also?: AlsoForget): Promise<ForgetResult>;
  /** Deletes expired entries (call from an alarm). */
  prune(): Promise<PruneResult>;
  stats(opts?: { prices?: PriceTable }): Promise<CacheStats>;
  resetStats(): Promise<void>;
  /** Empties both levels (activity and stats stay) and records it in the audit log. */
  clear(reason?: string): Promise<Tally>;
  /** Drops the memory level only: after another path wiped the database. */
  clearMemory(): void;
  readonly policy: CachePolicy;
  /** Validates (throws on a malformed policy) and lays `input` over the current policy. */
  setPolicy(input: CachePolicyInput): CachePolicy;
  isCacheable(kind: CacheKind, request: ChatRequest): boolean;
  /** Waits for writes done behind the caller's back (LRU touches, counters). */
  flush(): Promise<void>;
}

interface MemoryItem {
  answer: CachedAnswer;
  /** When `lastAccess` was last written to disk. */
  touchedAt: number;
}

export function createResponseCache(deps: ResponseCacheDeps): ResponseCache {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const l2MaxBytes = deps.l2MaxBytes ?? CACHE_DEFAULTS.l2MaxBytes;
  const touchIntervalMs = deps.touchIntervalMs ?? CACHE_DEFAULTS.touchIntervalMs;
  const onError = deps.onError ?? ((err: unknown) => console.warn('Precis: response cache', err));
  const memory = new MemoryLru<MemoryItem>({
    maxEntries: deps.l1MaxEntries ?? CACHE_DEFAULTS.l1MaxEntries,
    maxBytes: deps.l1MaxBytes ?? CACHE_DEFAULTS.l1MaxBytes,
  });
  const counters = new StatsCounters(db, onError);
  const pending = new Set<Promise<void>>();
  let policy = resolveCachePolicy(deps.policy ?? {});

  function behind(work: Promise<unknown>): void {
    const task: Promise<void> = work.then(
      () => undefined,
      (err: unknown) => onError(err),
    );
    pending.add(task);
    void task.finally(() => pending.delete(task));
  }

  function remember(answer: CachedAnswer, touchedAt: number): void {
    memory.set(answer.hash, { answer, touchedAt }, answer.size);
  }

  async function storeDurably(answer: StoredAnswer): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await writeAnswer(db, answer, l2MaxBytes);
        return true;
      } catch (err) {
        if (!isQuotaError(err) || attempt >= QUOTA_RETRIES || !(await makeRoom(answer.size))) {
          onError(err);
          return false;
        }
      }
    }
  }

  /** The disk is full for the whole origin, not only for us: free a good share, not just one entry's worth. */
  async function makeRoom(needed: number): Promise<boolean> {
    try {
      const { bytes } = await storedSize(db);
      const freed = await evictBytes(db, Math.max(needed * 2, Math.ceil(bytes / 4)));
      return freed.entries > 0;
    } catch (err) {
      onError(err);
      return false;
    }
  }

  return {
    async get(hash, opts = {}) {
      const t = now();
      const item = memory.get(hash);
      if (item) {
        if (item.answer.expires > t) {
          counters.hit(item.answer.model, item.answer.promptTokens, item.answer.completionTokens);
          if (t - item.touchedAt >= touchIntervalMs) {
            item.touchedAt = t;
            behind(touchAnswer(db, hash, t));
          }
          return item.answer;
        }
        memory.delete(hash);
      }
      let stored: StoredAnswer | undefined;
      try {
        stored = await readAnswer(db, hash);
      } catch (err) {
        onError(err);
      }
      if (stored && stored.expires > t) {
        const answer: CachedAnswer = { ...stored, lastAccess: t };
        remember(answer, t);
        counters.hit(answer.model, answer.promptTokens, answer.completionTokens);
        behind(touchAnswer(db, hash, t));
        return answer;
      }
      counters.miss(opts.model ?? stored?.model ?? 'unknown');
      return undefined;
    },

    async put(hash, input) {
      if (!policy.enabled || input.finishReason !== 'stop' || input.text === '') return 'skipped';
      const size = utf8Length(input.text) + ENTRY_OVERHEAD_BYTES;
      const ttlMs = ttlFor(policy, input.kind, size);
      if (ttlMs <= 0) return 'skipped';
      const t = now();
      const answer: StoredAnswer = {
        hash,
        kind: input.kind,
        model: input.model,
        finishReason: input.finishReason,
        created: t,
        expires: t + ttlMs,
        lastAccess: t,
        size,
        promptTokens: input.usage?.promptTokens ?? 0,
        completionTokens: input.usage?.completionTokens ?? 0,
        text: input.text,
      };
      remember(answer, t);
      if (size > l2MaxBytes) return 'memory';
      return (await storeDurably(answer)) ? 'stored' : 'memory';
    },

    async forget(hashes, reason, also) {
      for (const hash of hashes) memory.delete(hash);
      return forgetRequests(db, hashes, reason, { now, ...(also && { also }) });
    },

    async prune() {
      const t = now();
      const memoryEntries = memory.deleteWhere((item) => item.answer.expires <= t);
      const removed = await deleteExpired(db, t);
      return { memoryEntries, ...removed };
    },

    async stats(opts = {}) {
      const [rows, size] = await Promise.all([counters.read(), storedSize(db)]);
      return summariseStats(
        rows,
        { entries: size.entries, bytes: size.bytes, memoryEntries: memory.size, memoryBytes: memory.bytes },
        opts.prices,
      );
    },

    resetStats: () => counters.reset(),

    async clear(reason = 'user: clear cache') {
      memory.clear();
      return db.transaction('rw', [db.cacheEntries, db.cacheBodies, db.meta, db.audit], async () => {
        const removed = await clearAnswers(db);
        await appendAudit(db, {
          at: now(),
          action: 'clear-cache',
          reason,
          removed: { cacheEntries: removed.entries, cacheBytes: removed.bytes },
        });
        return removed;
      });
    },

    clearMemory() {
      memory.clear();
      counters.discardPending();
    },

    get policy() {
      return policy;
    },

    setPolicy(input) {
      policy = resolveCachePolicy(input, policy);
      return policy;
    },

    isCacheable: (kind, request) => isCacheable(policy, kind, request),

    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
      await counters.flush();
    },
  };
}
