import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../lib/db';

describe('database migrations', () => {
  it('v1 → current keeps existing jobs and adds the cache, privacy and chat tables', async () => {
    const name = `migration-${Math.random().toString(36).slice(2)}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ jobs: 'id, status, updatedAt' });
    const job = { id: 'j1', kind: 'summary', title: 'Old page', status: 'interrupted', text: 'partial', createdAt: 1, updatedAt: 2 };
    await v1.table('jobs').put(job);
    v1.close();

    const db = openDb(name);
    await db.open();
    expect(db.verno).toBe(3);
    expect(await db.jobs.get('j1')).toEqual({ ...job, requestHashes: [] });
    expect(await db.jobs.where('status').equals('interrupted').count()).toBe(1);
    await db.jobs.update('j1', { requestHashes: ['x', 'y'] });
    expect(await db.jobs.where('requestHashes').equals('y').count()).toBe(1);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['activity', 'audit', 'cacheBodies', 'cacheEntries', 'cacheStats', 'conversations', 'jobs', 'meta']);
    db.close();
    await db.delete();
  });
});
