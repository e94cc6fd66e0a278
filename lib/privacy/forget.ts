// Forgetting requests: their cached answers, their activity lines and the jobs that show them go,
// in one transaction with the audit record that says so.
import { deleteAnswers } from '../cache/answer-store';
import { isRequestHash } from '../cache/key';
import type { PrecisDb } from '../db';
import { appendAudit } from './audit';
import type { AuditRecord } from './records';

export interface ForgetResult {
  hashes: string[];
  removed: { cacheEntries: number; cacheBytes: number; activity: number; jobs: number };
  audit: AuditRecord;
}

/**
 * Deletes what the database holds for these request hashes. This does not reach an in-memory cache:
 * the background calls `ResponseCache.forget`, which drops its memory level and then calls this.
 */
export async function forgetRequests(
  db: PrecisDb,
  hashes: readonly string[],
  reason: string,
  opts: { now?: () => number } = {},
): Promise<ForgetResult> {
  const unique = [...new Set(hashes)];
  const bad = unique.find((h) => !isRequestHash(h));
  if (bad !== undefined) throw new TypeError('forget: every hash must be a hex SHA-256');
  const at = (opts.now ?? Date.now)();
  return db.transaction('rw', [db.cacheEntries, db.cacheBodies, db.meta, db.activity, db.jobs, db.audit], async () => {
    const cache = await deleteAnswers(db, unique);
    const activity = await db.activity.where('hash').anyOf(unique).delete();
    const jobs = await db.jobs.where('requestHashes').anyOf(unique).delete();
    const removed = { cacheEntries: cache.entries, cacheBytes: cache.bytes, activity, jobs };
    const audit = await appendAudit(db, { at, action: 'forget', hashes: unique, reason, removed });
    return { hashes: unique, removed, audit };
  });
}
