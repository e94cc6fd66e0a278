import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../lib/db';
import { withoutSearchFields } from '../../../lib/library/search-fields';

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
    expect(db.verno).toBe(5);
    expect(await db.jobs.get('j1')).toEqual({ ...job, requestHashes: [] });
    expect(await db.jobs.where('status').equals('interrupted').count()).toBe(1);
    await db.jobs.update('j1', { requestHashes: ['x', 'y'] });
    expect(await db.jobs.where('requestHashes').equals('y').count()).toBe(1);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['activity', 'audit', 'cacheBodies', 'cacheEntries', 'cacheStats', 'conversations', 'jobs', 'meta']);
    db.close();
    await db.delete();
  });

  it('v3 → v4 files a sidebar follow-up thread under its page, and leaves popup chats alone', async () => {
    const name = `migration-${Math.random().toString(36).slice(2)}`;
    const v3 = new Dexie(name);
    v3.version(3).stores({ jobs: 'id, status, updatedAt, *requestHashes', conversations: 'id, updatedAt' });
    const page = { url: 'https://news.example/trains#costs', title: 'Trains', text: 'Night trains are back.' };
    const followUp = {
      id: 'f',
      title: 'Which routes?',
      createdAt: 1,
      updatedAt: 1,
      page,
      turns: [
        { role: 'user', content: 'Summarise this page.', at: 1, context: true },
        { role: 'assistant', content: 'A summary.', at: 1, context: true },
        { role: 'user', content: 'Which routes?', at: 2 },
      ],
    };
    const popupChat = { id: 'p', title: 'About trains', createdAt: 1, updatedAt: 2, page, turns: [{ role: 'user', content: 'About trains?', at: 1 }] };
    await v3.table('conversations').bulkPut([followUp, popupChat]);
    v3.close();

    const db = openDb(name);
    // (v5 adds the library's search fields to both; the library's own test checks those.)
    expect(withoutSearchFields((await db.conversations.get('f'))!)).toEqual({ ...followUp, followUpOf: 'https://news.example/trains' });
    expect(withoutSearchFields((await db.conversations.get('p'))!)).toEqual(popupChat);
    expect(await db.conversations.where('followUpOf').equals('https://news.example/trains').count()).toBe(1);
    db.close();
    await db.delete();
  });
});
