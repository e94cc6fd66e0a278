// The one Dexie database. Index only what `where()` uses; never index large strings.
import Dexie, { type EntityTable } from 'dexie';
import type { CacheBodyRecord, CacheEntryRecord, CacheStatsRecord, MetaRecord } from './cache/records';
import type { JobRecord, JobStore } from './jobs/runner';
import { liveStatuses } from './jobs/job-view';
import { pageKey, type Conversation } from './chat/conversation';
import type { ActivityRecord, AuditRecord } from './privacy/records';
import { conversationSearchFields, jobSearchFields, withSearchFields, withoutSearchFields, type SearchFields } from './library/search-fields';

export type PrecisDb = Dexie & {
  jobs: EntityTable<JobRecord & SearchFields, 'id'>;
  cacheEntries: EntityTable<CacheEntryRecord, 'hash'>;
  cacheBodies: EntityTable<CacheBodyRecord, 'hash'>;
  cacheStats: EntityTable<CacheStatsRecord, 'model'>;
  meta: EntityTable<MetaRecord, 'key'>;
  activity: EntityTable<ActivityRecord, 'id'>;
  audit: EntityTable<AuditRecord, 'id'>;
  conversations: EntityTable<Conversation & SearchFields, 'id'>;
};

export function openDb(name = 'precis', indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange): PrecisDb {
  const db = new Dexie(name, indexedDB && keyRange ? { indexedDB, IDBKeyRange: keyRange } : undefined) as PrecisDb;
  db.version(1).stores({ jobs: 'id, status, updatedAt' });
  // v2 (issue #4): response cache and privacy logs, and jobs remember the cache keys they used.
  db.version(2)
    .stores({
      // requestHashes (multi-entry): "forget this page" deletes the jobs built on a forgotten answer.
      jobs: 'id, status, updatedAt, *requestHashes',
      // lastAccess: LRU eviction order; expires: pruning.
      cacheEntries: 'hash, lastAccess, expires',
      cacheBodies: 'hash',
      cacheStats: 'model',
      meta: 'key',
      // at: pruning by age; hash: forgetting a request.
      activity: '++id, at, hash',
      audit: '++id',
    })
    .upgrade((tx) =>
      tx
        .table('jobs')
        .toCollection()
        .modify((job: Partial<JobRecord>) => {
          job.requestHashes ??= [];
        }),
    );
  // v3 (issue #6): popup chat. updatedAt orders the conversation list.
  db.version(3).stores({ conversations: 'id, updatedAt' });
  // v4 (issue #12): a sidebar's follow-up thread belongs to its page and comes back with it.
  db.version(4)
    .stores({ conversations: 'id, updatedAt, followUpOf' })
    .upgrade((tx) =>
      tx
        .table('conversations')
        .toCollection()
        .modify((c: Conversation) => {
          // Threads started from a summary open with the summary as hidden context turns.
          if (c.turns[0]?.context && c.page) c.followUpOf = pageKey(c.page.url);
        }),
    );
  // v5 (issue #14): the library searches summaries and chats by word, filters by site and lists
  // newest first. The fields exist only on records the library lists (sparse indexes).
  db.version(5)
    .stores({
      jobs: 'id, status, updatedAt, *requestHashes, *words, site, listedAt',
      conversations: 'id, updatedAt, followUpOf, *words, site, listedAt',
    })
    .upgrade(async (tx) => {
      await tx
        .table('jobs')
        .toCollection()
        .modify((job: JobRecord) => void Object.assign(job, jobSearchFields(job)));
      await tx
        .table('conversations')
        .toCollection()
        .modify((c: Conversation) => void Object.assign(c, conversationSearchFields(c)));
    });
  return db;
}

export function dexieJobStore(db: PrecisDb): JobStore {
  return {
    async put(job) {
      await db.jobs.put(withSearchFields(job, jobSearchFields));
    },
    get: async (id) => {
      const row = await db.jobs.get(id);
      return row && withoutSearchFields(row);
    },
    unfinished: async () => (await db.jobs.where('status').anyOf(liveStatuses).toArray()).map(withoutSearchFields),
  };
}
