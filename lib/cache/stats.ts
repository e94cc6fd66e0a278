// Hit/miss counters that survive worker restarts. Counting must not slow a hit down, so increments
// gather in memory and are written behind, many at a time, one transaction after another.
import type { PrecisDb } from '../db';
import { costUsd, DEFAULT_PRICES, priceFor, type PriceTable } from './prices';
import type { CacheStatsRecord } from './records';

type Counts = Omit<CacheStatsRecord, 'model'>;

const zero = (): Counts => ({ hits: 0, misses: 0, savedPromptTokens: 0, savedCompletionTokens: 0 });

export class StatsCounters {
  private pending = new Map<string, Counts>();
  private writing: Promise<void> | undefined;

  constructor(
    private readonly db: PrecisDb,
    private readonly onError: (err: unknown) => void,
  ) {}

  hit(model: string, promptTokens: number, completionTokens: number): void {
    const c = this.counts(model);
    c.hits++;
    c.savedPromptTokens += promptTokens;
    c.savedCompletionTokens += completionTokens;
    this.kick();
  }

  miss(model: string): void {
    this.counts(model).misses++;
    this.kick();
  }

  /** Resolves once everything counted so far is on disk (or failed to get there). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Forgets increments not yet written (after a wipe, they must not bring the rows back). */
  discardPending(): void {
    this.pending.clear();
  }

  async read(): Promise<CacheStatsRecord[]> {
    await this.flush();
    return this.db.cacheStats.toArray();
  }

  async reset(): Promise<void> {
    this.discardPending();
    await this.flush();
    await this.db.cacheStats.clear();
  }

  private counts(model: string): Counts {
    let c = this.pending.get(model);
    if (!c) {
      c = zero();
      this.pending.set(model, c);
    }
    return c;
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      // Something counted between the last batch and this callback must not wait for the next hit.
      if (this.pending.size > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.db.transaction('rw', this.db.cacheStats, async () => {
          const models = [...batch.keys()];
          const rows = await this.db.cacheStats.bulkGet(models);
          await this.db.cacheStats.bulkPut(
            models.map((model, i) => {
              const row = rows[i] ?? { model, ...zero() };
              const add = batch.get(model) ?? zero();
              return {
                model,
                hits: row.hits + add.hits,
                misses: row.misses + add.misses,
                savedPromptTokens: row.savedPromptTokens + add.savedPromptTokens,
                savedCompletionTokens: row.savedCompletionTokens + add.savedCompletionTokens,
              };
            }),
          );
        });
      } catch (err) {
        // Counters are an estimate; losing one batch beats retrying against a full disk forever.
        this.onError(err);
      }
    }
  }
}

export interface ModelStats extends CacheStatsRecord {
  /** Undefined when the price table has no entry for the model. */
  savedCostUsd: number | undefined;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0 before the first lookup. */
  hitRate: number;
  savedPromptTokens: number;
  savedCompletionTokens: number;
  /** Sum over the models the price table knows. */
  savedCostUsd: number;
  /** Models with hits but no price: their savings are not in `savedCostUsd`. */
  unpricedModels: string[];
  byModel: ModelStats[];
  /** Stored (L2) and in-memory (L1) occupancy. */
  entries: number;
  bytes: number;
  memoryEntries: number;
  memoryBytes: number;
}

export function summariseStats(
  rows: readonly CacheStatsRecord[],
  occupancy: Pick<CacheStats, 'entries' | 'bytes' | 'memoryEntries' | 'memoryBytes'>,
  prices: PriceTable = DEFAULT_PRICES,
): CacheStats {
  const stats: CacheStats = {
    hits: 0,
    misses: 0,
    hitRate: 0,
    savedPromptTokens: 0,
    savedCompletionTokens: 0,
    savedCostUsd: 0,
    unpricedModels: [],
    byModel: [],
    ...occupancy,
  };
  for (const row of [...rows].sort((a, b) => b.hits - a.hits || a.model.localeCompare(b.model))) {
    const price = priceFor(prices, row.model);
    const saved = price ? costUsd(price, row.savedPromptTokens, row.savedCompletionTokens) : undefined;
    stats.byModel.push({ ...row, savedCostUsd: saved });
    stats.hits += row.hits;
    stats.misses += row.misses;
    stats.savedPromptTokens += row.savedPromptTokens;
    stats.savedCompletionTokens += row.savedCompletionTokens;
    if (saved !== undefined) stats.savedCostUsd += saved;
    else if (row.hits > 0) stats.unpricedModels.push(row.model);
  }
  const lookups = stats.hits + stats.misses;
  stats.hitRate = lookups === 0 ? 0 : stats.hits / lookups;
  return stats;
}
