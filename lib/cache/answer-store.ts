// The durable level: answers in Dexie under a byte cap, evicted least recently used first.
// The byte total is kept in a row updated in the same transaction as every write and delete, so it
// stays exact across worker restarts without ever summing the table on the hot path.
import type { PrecisDb } from '../db';
import type { CacheEntryRecord } from './records';

export interface StoredAnswer extends CacheEntryRecord {
  text: string;
}

/** A count of entries and the bytes they take. */
export interface Tally {
  entries: number;
  bytes: number;
}

const BYTES_KEY = 'cache.bytes';
/** Eviction reads this many of the oldest metadata rows at a time. */
const EVICTION_BATCH = 64;

function cacheTables(db: PrecisDb) {
  return [db.cacheEntries, db.cacheBodies, db.meta];
}

async function readTotal(db: PrecisDb): Promise<number> {
  return (await db.meta.get(BYTES_KEY))?.value ?? 0;
}

async function writeTotal(db: PrecisDb, bytes: number): Promise<void> {
  await db.meta.put({ key: BYTES_KEY, value: Math.max(0, bytes) });
}

export async function readAnswer(db: PrecisDb, hash: string): Promise<StoredAnswer | undefined> {
  return db.transaction('r', [db.cacheEntries, db.cacheBodies], async () => {
    const [entry, body] = await Promise.all([db.cacheEntries.get(hash), db.cacheBodies.get(hash)]);
    return entry && body ? { ...entry, text: body.text } : undefined;
  });
}

/**
 * Stores (or replaces) an answer, then evicts the least recently used others until the total fits
 * `maxBytes`. All in one transaction: a failure (a full disk) leaves the store as it was.
 */
export async function writeAnswer(db: PrecisDb, answer: StoredAnswer, maxBytes: number): Promise<Tally> {
  return db.transaction('rw', cacheTables(db), async () => {
    const previous = await db.cacheEntries.get(answer.hash);
    let total = (await readTotal(db)) - (previous?.size ?? 0) + answer.size;
    const { text, ...entry } = answer;
    await db.cacheEntries.put(entry);
    await db.cacheBodies.put({ hash: answer.hash, text });
    let evicted: Tally = { entries: 0, bytes: 0 };
    if (total > maxBytes) {
      evicted = await evictOldest(db, total - maxBytes, answer.hash);
      total -= evicted.bytes;
    }
    await writeTotal(db, total);
    return evicted;
  });
}

/** Frees at least `bytes` (or everything there is), oldest access first. */
export async function evictBytes(db: PrecisDb, bytes: number): Promise<Tally> {
  return db.transaction('rw', cacheTables(db), async () => {
    const evicted = await evictOldest(db, bytes);
    await writeTotal(db, (await readTotal(db)) - evicted.bytes);
    return evicted;
  });
}

async function evictOldest(db: PrecisDb, bytes: number, keep?: string): Promise<Tally> {
  const removed: Tally = { entries: 0, bytes: 0 };
  while (removed.bytes < bytes) {
    const batch = await db.cacheEntries
      .orderBy('lastAccess')
      .filter((e) => e.hash !== keep)
      .limit(EVICTION_BATCH)
      .toArray();
    if (batch.length === 0) break;
    const victims: string[] = [];
    for (const entry of batch) {
      if (removed.bytes >= bytes) break;
      victims.push(entry.hash);
      removed.bytes += entry.size;
      removed.entries++;
    }
    await db.cacheEntries.bulkDelete(victims);
    await db.cacheBodies.bulkDelete(victims);
  }
  return removed;
}

/** Deletes these answers; composes with an enclosing transaction that covers the cache tables. */
export async function deleteAnswers(db: PrecisDb, hashes: readonly string[]): Promise<Tally> {
  return db.transaction('rw', cacheTables(db), async () => {
    const entries = (await db.cacheEntries.bulkGet([...hashes])).filter((e) => e !== undefined);
    const keys = entries.map((e) => e.hash);
    const bytes = entries.reduce((sum, e) => sum + e.size, 0);
    await db.cacheEntries.bulkDelete(keys);
    await db.cacheBodies.bulkDelete(keys);
    await writeTotal(db, (await readTotal(db)) - bytes);
    return { entries: keys.length, bytes };
  });
}

/**
 * Deletes entries that expired at or before `now`. Also recounts the byte total from the metadata
 * rows: cheap (they are small), and it heals the total should anything ever have skewed it.
 */
export async function deleteExpired(db: PrecisDb, now: number): Promise<Tally> {
  return db.transaction('rw', cacheTables(db), async () => {
    const expired = await db.cacheEntries.where('expires').belowOrEqual(now).toArray();
    const keys = expired.map((e) => e.hash);
    await db.cacheEntries.bulkDelete(keys);
    await db.cacheBodies.bulkDelete(keys);
    let total = 0;
    await db.cacheEntries.each((e) => {
      total += e.size;
    });
    await writeTotal(db, total);
    return { entries: keys.length, bytes: expired.reduce((sum, e) => sum + e.size, 0) };
  });
}

export async function clearAnswers(db: PrecisDb): Promise<Tally> {
  return db.transaction('rw', cacheTables(db), async () => {
    const removed = { entries: await db.cacheEntries.count(), bytes: await readTotal(db) };
    await db.cacheEntries.clear();
    await db.cacheBodies.clear();
    await writeTotal(db, 0);
    return removed;
  });
}

/** Records a hit for LRU order; a row deleted meanwhile is simply not there to update. */
export async function touchAnswer(db: PrecisDb, hash: string, at: number): Promise<void> {
  await db.cacheEntries.update(hash, { lastAccess: at });
}

export async function storedSize(db: PrecisDb): Promise<Tally> {
  return db.transaction('r', cacheTables(db), async () => ({
    entries: await db.cacheEntries.count(),
    bytes: await readTotal(db),
  }));
}
