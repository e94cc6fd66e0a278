// Row shapes of the privacy tables. The activity log holds exactly these fields and nothing that
// could carry a prompt or page text; the audit log records what was deleted, when and why.

export interface ActivityRecord {
  id: number;
  /** Request hash: identifies the request without revealing it. */
  hash: string;
  at: number;
  model: string;
  promptTokens: number;
  completionTokens: number;
  cached: boolean;
}

export type AuditAction = 'forget' | 'clear-cache' | 'delete-all';

export interface AuditRecord {
  id: number;
  at: number;
  action: AuditAction;
  /** Request hashes whose data was deleted (empty for a wipe). */
  hashes: string[];
  reason: string;
  /** Rows removed, by table. */
  removed: Record<string, number>;
}
