import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponseCache, ENTRY_OVERHEAD_BYTES, type AnswerInput } from '../../../lib/cache/response-cache';
import type { PrecisDb } from '../../../lib/db';
import type { JobRecord } from '../../../lib/jobs/runner';
import { createActivityLog } from '../../../lib/privacy/activity';
import { auditTrail } from '../../../lib/privacy/audit';
import { deleteAllData } from '../../../lib/privacy/delete-all';
import { exportUserData } from '../../../lib/privacy/export';
import { forgetRequests } from '../../../lib/privacy/forget';
import { closeAll, fakeClock, freshDb, hashOf } from './helpers';

afterEach(closeAll);

const DAY = 24 * 3_600_000;
const answer = (text: string): AnswerInput => ({
  kind: 'summary',
  model: 'gpt-4o-mini',
  text,
  finishReason: 'stop',
  usage: { promptTokens: 100, completionTokens: 20 },
});

function job(id: string, requestHash?: string): JobRecord {
  return { id, kind: 'summary', title: 'A page', status: 'done', text: 'Its summary', createdAt: 1, updatedAt: 1, requestHashes: requestHash ? [requestHash] : [] };
}

async function populated() {
  const db = freshDb();
  const clock = fakeClock();
  const cache = createResponseCache({ db, now: clock.now });
  const activity = createActivityLog({ db, now: clock.now });
  for (const n of [1, 2]) {
    await cache.put(hashOf(n), answer(`summary ${n}`));
    await activity.record({ hash: hashOf(n), model: 'gpt-4o-mini', promptTokens: 100, completionTokens: 20, cached: false });
    await db.jobs.put(job(`job-${n}`, hashOf(n)));
  }
  await db.jobs.put(job('job-unrelated'));
  await cache.get(hashOf(1));
  await cache.flush();
  return { db, clock, cache, activity };
}

const counts = async (db: PrecisDb) =>
  Object.fromEntries(await Promise.all(db.tables.map(async (t) => [t.name, await t.count()] as const)));

describe('forget', () => {
  it('deletes a request’s cached answer (both levels), activity lines and jobs, and audits it', async () => {
    const { db, clock, cache } = await populated();
    clock.advance(5_000);
    const result = await cache.forget([hashOf(1), hashOf(1)], 'user: forget this page');
    const entryBytes = 'summary 1'.length + ENTRY_OVERHEAD_BYTES;
    expect(result.removed).toEqual({ cacheEntries: 1, cacheBytes: entryBytes, activity: 1, jobs: 1, conversations: 0 });
    expect(await cache.get(hashOf(1))).toBeUndefined();
    expect((await cache.get(hashOf(2)))?.text).toBe('summary 2');
    expect((await db.activity.toArray()).map((r) => r.hash)).toEqual([hashOf(2)]);
    expect((await db.jobs.toArray()).map((j) => j.id).sort()).toEqual(['job-2', 'job-unrelated']);
    expect(await auditTrail(db)).toEqual([
      { id: result.audit.id, at: clock.now(), action: 'forget', hashes: [hashOf(1)], reason: 'user: forget this page', removed: result.removed },
    ]);
    expect((await db.meta.get('cache.bytes'))?.value).toBe(entryBytes);
    await cache.flush();
  });

  it('refuses anything that is not a request hash, deleting nothing', async () => {
    const { db } = await populated();
    await expect(forgetRequests(db, [hashOf(1), 'https://example.com/page'], 'x')).rejects.toThrow(TypeError);
    expect(await db.cacheEntries.count()).toBe(2);
    expect(await db.audit.count()).toBe(0);
  });

  it('audits a forget of something never cached', async () => {
    const db = freshDb();
    const result = await forgetRequests(db, [hashOf(9)], 'user: forget by hash', { now: () => 42 });
    expect(result.removed).toEqual({ cacheEntries: 0, cacheBytes: 0, activity: 0, jobs: 0, conversations: 0 });
    expect(await auditTrail(db)).toMatchObject([{ at: 42, hashes: [hashOf(9)] }]);
  });
});

describe('deleteAllData', () => {
  it('empties every table, drops the memory level and keeps only the audit record of the wipe', async () => {
    const { db, cache, clock } = await populated();
    await cache.forget([hashOf(2)], 'earlier forget');
    const before = await counts(db);
    const record = await deleteAllData(db, { now: clock.now, memory: [cache] });
    expect(await counts(db)).toEqual({ ...Object.fromEntries(Object.keys(before).map((k) => [k, 0])), audit: 1 });
    expect(record).toMatchObject({ action: 'delete-all', hashes: [], reason: 'user: delete all data', at: clock.now() });
    expect(record.removed).toEqual(before);
    expect(await cache.get(hashOf(1))).toBeUndefined();
    await cache.flush();
    // The miss above is the only stat after the wipe.
    expect(await cache.stats()).toMatchObject({ hits: 0, misses: 1, entries: 0, bytes: 0 });
  });

  it('also empties tables that later versions add (conversations)', async () => {
    const db = freshDb((d) => {
      d.version(3).stores({ conversations: 'id, updatedAt' });
    });
    await db.table('conversations').put({ id: 'c1', updatedAt: 1, messages: [{ role: 'user', content: 'hi' }] });
    await deleteAllData(db, { now: () => 1 });
    expect(await db.table('conversations').count()).toBe(0);
    expect(await db.audit.count()).toBe(1);
  });
});

describe('exportUserData', () => {
  it('returns every table as JSON-able rows, without credentials', async () => {
    const { db, clock } = await populated();
    await db.jobs.put({ ...job('odd'), apiKey: 'sk-should-never-be-here' } as JobRecord);
    const data = await exportUserData(db, { now: clock.now });
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(data).toMatchObject({ app: 'precis', format: 1, schemaVersion: db.verno, exportedAt: new Date(clock.now()).toISOString() });
    expect(Object.keys(data.tables).sort()).toEqual(db.tables.map((t) => t.name).sort());
    expect(data.tables.cacheBodies).toHaveLength(2);
    expect(data.tables.jobs).toHaveLength(4);
    expect(JSON.stringify(data)).not.toContain('sk-should-never-be-here');
  });

  it('can leave the cached answer texts out', async () => {
    const { db } = await populated();
    const data = await exportUserData(db, { includeCachedAnswers: false });
    expect(data.tables.cacheBodies).toBeUndefined();
    expect(data.tables.cacheEntries).toHaveLength(2);
  });
});

describe('activity log', () => {
  it('keeps only its own fields and refuses a non-hash', async () => {
    const db = freshDb();
    const log = createActivityLog({ db, now: () => 7 });
    await log.record({
      hash: hashOf(1),
      model: 'gpt-4o',
      promptTokens: 12.7,
      completionTokens: -3,
      cached: true,
      prompt: 'page text',
    } as Parameters<typeof log.record>[0]);
    expect(await db.activity.toArray()).toEqual([
      { id: 1, hash: hashOf(1), at: 7, model: 'gpt-4o', promptTokens: 12, completionTokens: 0, cached: true },
    ]);
    await expect(log.record({ hash: 'Summarise: my page', model: 'm', cached: false })).rejects.toThrow(TypeError);
  });

  it('prunes lines older than the retention period', async () => {
    const db = freshDb();
    const clock = fakeClock();
    const log = createActivityLog({ db, now: clock.now, retentionMs: 30 * DAY });
    await log.record({ hash: hashOf(1), model: 'm', cached: false });
    clock.advance(20 * DAY);
    await log.record({ hash: hashOf(2), model: 'm', cached: false });
    clock.advance(11 * DAY);
    expect(await log.prune()).toBe(1);
    expect((await log.recent()).map((r) => r.hash)).toEqual([hashOf(2)]);
  });
});
