// The activity log: which requests were made, when, with what model and how many tokens. Rows are
// built field by field from numbers and a hash, so no prompt or page text can slip in by spreading
// a request into them.
import { isRequestHash } from '../cache/key';
import type { PrecisDb } from '../db';
import type { ActivityRecord } from './records';

export interface ActivityInput {
  hash: string;
  model: string;
  promptTokens?: number;
  completionTokens?: number;
  cached: boolean;
}

export interface ActivityLog {
  record(input: ActivityInput): Promise<void>;
  /** Newest first. */
  recent(limit?: number): Promise<ActivityRecord[]>;
  /** Deletes rows older than the retention period; returns how many. */
  prune(): Promise<number>;
}

export const DEFAULT_ACTIVITY_RETENTION_MS = 30 * 24 * 3_600_000;
const MODEL_CHARS = 200;

export function createActivityLog(deps: { db: PrecisDb; now?: () => number; retentionMs?: number }): ActivityLog {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const retentionMs = deps.retentionMs ?? DEFAULT_ACTIVITY_RETENTION_MS;

  return {
    async record(input) {
      if (!isRequestHash(input.hash)) throw new TypeError('activity log: hash must be a hex SHA-256');
      await db.activity.add({
        hash: input.hash,
        at: now(),
        model: String(input.model).slice(0, MODEL_CHARS),
        promptTokens: tokenCount(input.promptTokens),
        completionTokens: tokenCount(input.completionTokens),
        cached: input.cached === true,
      });
    },
    recent: (limit = 100) => db.activity.orderBy('at').reverse().limit(limit).toArray(),
    prune: () => db.activity.where('at').below(now() - retentionMs).delete(),
  };
}

function tokenCount(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
