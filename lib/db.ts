// The one Dexie database. Index only what `where()` uses; never index large strings.
import Dexie, { type EntityTable } from 'dexie';
import type { JobRecord, JobStore } from './jobs/runner';
import { unfinishedStatuses } from './jobs/runner';

export type PrecisDb = Dexie & { jobs: EntityTable<JobRecord, 'id'> };

export function openDb(name = 'precis', indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange): PrecisDb {
  const db = new Dexie(name, indexedDB && keyRange ? { indexedDB, IDBKeyRange: keyRange } : undefined) as PrecisDb;
  db.version(1).stores({ jobs: 'id, status, updatedAt' });
  return db;
}

export function dexieJobStore(db: PrecisDb): JobStore {
  return {
    async put(job) {
      await db.jobs.put(job);
    },
    get: (id) => db.jobs.get(id),
    unfinished: () => db.jobs.where('status').anyOf(unfinishedStatuses).toArray(),
  };
}
