// "Delete all data": every table is emptied (whatever tables later versions add, such as
// conversations), in one transaction, and the only row left is the audit record of the wipe.
import type { PrecisDb } from '../db';
import { appendAudit } from './audit';
import type { AuditRecord } from './records';

export interface DeleteAllOptions {
  now?: () => number;
  reason?: string;
  /** In-memory copies to drop too (the response cache), and writes of theirs to let land before the wipe. */
  memory?: ReadonlyArray<{ clearMemory(): void; flush?(): Promise<void> }>;
}

export async function deleteAllData(db: PrecisDb, opts: DeleteAllOptions = {}): Promise<AuditRecord> {
  const at = (opts.now ?? Date.now)();
  for (const m of opts.memory ?? []) {
    m.clearMemory();
    // A write already under way (a counter batch) would otherwise land after the wipe and survive it.
    await m.flush?.();
  }
  const audit = await db.transaction('rw', db.tables, async () => {
    const removed: Record<string, number> = {};
    for (const table of db.tables) {
      removed[table.name] = await table.count();
      await table.clear();
    }
    return appendAudit(db, { at, action: 'delete-all', reason: opts.reason ?? 'user: delete all data', removed });
  });
  // Again after the wipe: a hit that landed in memory while it ran must not outlive it.
  for (const m of opts.memory ?? []) m.clearMemory();
  return audit;
}
