// Row shapes of the cache's Dexie tables. The answer text lives apart from its metadata so that
// the hot paths (touching `lastAccess` on a hit, eviction and pruning scans) read and rewrite
// small rows, never the text.
import type { CacheKind } from './policy';

export interface CacheEntryRecord {
  /** Hex SHA-256 from `requestKey`. */
  hash: string;
  kind: CacheKind;
  model: string;
  finishReason: string;
  /** Epoch ms. */
  created: number;
  expires: number;
  lastAccess: number;
  /** What the entry counts against the byte caps (UTF-8 text plus a fixed overhead). */
  size: number;
  promptTokens: number;
  completionTokens: number;
}

export interface CacheBodyRecord {
  hash: string;
  text: string;
}

/** Counters per model, so the cost saved can be re-estimated whenever the price table is edited. */
export interface CacheStatsRecord {
  model: string;
  hits: number;
  misses: number;
  savedPromptTokens: number;
  savedCompletionTokens: number;
}

/** Small named values that must outlive the worker (the cache's running byte total). */
export interface MetaRecord {
  key: string;
  value: number;
}
