// Forgetting requests: their cached answers, their activity lines and the jobs that show them go,
// in one transaction with the audit record that says so. Forgetting a page finds every copy of it
// first: its summaries, its follow-up threads, popup conversations about it, and their answers.
import { deleteAnswers } from '../cache/answer-store';
import { isRequestHash } from '../cache/key';
import { pageKey } from '../chat/conversation';
import type { PrecisDb } from '../db';
import { appendAudit } from './audit';
import type { AuditRecord } from './records';

export interface ForgetResult {
  hashes: string[];
  removed: { cacheEntries: number; cacheBytes: number; activity: number; jobs: number; conversations: number };
  audit: AuditRecord;
}

/**
 * Deletes what the database holds for these request hashes. This does not reach an in-memory cache:
 * the background calls `ResponseCache.forget`, which drops its memory level and then calls this.
 */
/** Rows that go with the requests even where they hold no hash of them (an offline summary, a thread). */
export interface AlsoForget {
  jobIds: readonly string[];
  conversationIds: readonly string[];
}

export async function forgetRequests(
  db: PrecisDb,
  hashes: readonly string[],
  reason: string,
  opts: { now?: () => number; also?: AlsoForget } = {},
): Promise<ForgetResult> {
  const unique = [...new Set(hashes)];
  const bad = unique.find((h) => !isRequestHash(h));
  if (bad !== undefined) throw new TypeError('forget: every hash must be a hex SHA-256');
  const at = (opts.now ?? Date.now)();
  const also = opts.also ?? { jobIds: [], conversationIds: [] };
  return db.transaction('rw', [db.cacheEntries, db.cacheBodies, db.meta, db.activity, db.jobs, db.audit, db.conversations], async () => {
    const cache = await deleteAnswers(db, unique);
    const activity = await db.activity.where('hash').anyOf(unique).delete();
    const jobIds = new Set([...(await db.jobs.where('requestHashes').anyOf(unique).primaryKeys()), ...also.jobIds]);
    const jobs = (await db.jobs.bulkGet([...jobIds])).filter(Boolean).length;
    await db.jobs.bulkDelete([...jobIds]);
    const conversations = (await db.conversations.bulkGet([...also.conversationIds])).filter(Boolean).length;
    await db.conversations.bulkDelete([...also.conversationIds]);
    const removed = { cacheEntries: cache.entries, cacheBytes: cache.bytes, activity, jobs, conversations };
    const audit = await appendAudit(db, { at, action: 'forget', hashes: unique, reason, removed });
    return { hashes: unique, removed, audit };
  });
}

/**
 * Every stored copy of the page `url` (fragment ignored): the jobs that summarised it, the
 * conversations about it (its sidebar thread, popup chats that attached it) and their answers'
 * jobs, and the request hashes behind all of them, for `forgetRequests`.
 */
export async function copiesOfPage(db: PrecisDb, url: string): Promise<AlsoForget & { hashes: string[] }> {
  const page = pageKey(url);
  return db.transaction('r', [db.jobs, db.conversations], async () => {
    const conversations = await db.conversations.filter((c) => c.followUpOf === page || (!!c.page && pageKey(c.page.url) === page)).toArray();
    const conversationIds = new Set(conversations.map((c) => c.id));
    const jobs = await db.jobs
      .filter((j) => (j.source?.kind === 'page' ? pageKey(j.source.url) === page : j.source?.kind === 'conversation' && conversationIds.has(j.source.conversationId)))
      .toArray();
    // An answer in a thread whose job record is gone still names its job in the turn.
    const turnJobs = conversations.flatMap((c) => c.turns.flatMap((t) => (t.jobId ? [t.jobId] : [])));
    const turnRecords = (await db.jobs.bulkGet(turnJobs)).filter((j) => j !== undefined);
    const all = [...jobs, ...turnRecords];
    return { jobIds: [...new Set(all.map((j) => j.id))], conversationIds: [...conversationIds], hashes: [...new Set(all.flatMap((j) => j.requestHashes))] };
  });
}
