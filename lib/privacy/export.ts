// "Export my data": every table as JSON-able rows, read in one transaction so the copy is consistent.
import type { PrecisDb } from '../db';

export interface UserDataExport {
  app: 'precis';
  format: 1;
  schemaVersion: number;
  exportedAt: string;
  tables: Record<string, unknown[]>;
}

export interface ExportOptions {
  now?: () => number;
  /** Cached answer texts can be most of the volume; leave them out for a small export. */
  includeCachedAnswers?: boolean;
}

/** Field names that would hold a credential. The database has none; this keeps it that way in exports. */
const secretFields = /^(api[-_]?key|authorization|bearer|password|secret)$/i;

export async function exportUserData(db: PrecisDb, opts: ExportOptions = {}): Promise<UserDataExport> {
  const at = (opts.now ?? Date.now)();
  const includeAnswers = opts.includeCachedAnswers ?? true;
  const tables: Record<string, unknown[]> = {};
  await db.transaction('r', db.tables, async () => {
    for (const table of db.tables) {
      if (!includeAnswers && table.name === db.cacheBodies.name) continue;
      tables[table.name] = ((await table.toArray()) as unknown[]).map(scrub);
    }
  });
  return { app: 'precis', format: 1, schemaVersion: db.verno, exportedAt: new Date(at).toISOString(), tables };
}

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!secretFields.test(key)) out[key] = scrub(item);
  }
  return out;
}
