// The audit log answers "what did Precis delete, when, and why?". It names hashes, never content.
import type { PrecisDb } from '../db';
import type { AuditAction, AuditRecord } from './records';

const REASON_CHARS = 200;

export async function appendAudit(
  db: PrecisDb,
  record: { at: number; action: AuditAction; hashes?: readonly string[]; reason: string; removed: Record<string, number> },
): Promise<AuditRecord> {
  const row = {
    at: record.at,
    action: record.action,
    hashes: [...(record.hashes ?? [])],
    reason: record.reason.slice(0, REASON_CHARS),
    removed: { ...record.removed },
  };
  const id = await db.audit.add(row);
  return { id, ...row };
}

/** Newest first. */
export function auditTrail(db: PrecisDb, limit = 100): Promise<AuditRecord[]> {
  return db.audit.orderBy(':id').reverse().limit(limit).toArray();
}
