// Shared fixtures for the cache tests: a fresh database per test, a hand-driven clock, and a Dexie
// middleware that makes chosen writes fail the way a full disk does.
import 'fake-indexeddb/auto';
import Dexie, { type DBCore, type DBCoreMutateRequest, type DBCoreMutateResponse } from 'dexie';
import { openDb, type PrecisDb } from '../../../lib/db';

const opened: PrecisDb[] = [];

export function freshDb(setup?: (db: PrecisDb) => void): PrecisDb {
  const db = openDb(`cache-test-${Math.random().toString(36).slice(2)}`);
  setup?.(db);
  opened.push(db);
  return db;
}

export async function closeAll(): Promise<void> {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
}

export function fakeClock(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

export type QuotaShape = 'dom' | 'dexie-wrapped';

export function quotaError(shape: QuotaShape): Error {
  const dom = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  return shape === 'dom' ? dom : new Dexie.AbortError('Transaction aborted', dom);
}

/**
 * Makes the next `failures` writes to `table` reject, or every write while `failures` is Infinity.
 * Deletes always succeed: a full disk still lets you free space.
 */
export function failingWrites(db: PrecisDb, opts: { table: string; error: () => Error }) {
  const state = { failures: 0, attempts: 0 };
  db.use({
    stack: 'dbcore',
    name: 'test-quota',
    create(down: DBCore): DBCore {
      return {
        ...down,
        table(name: string) {
          const table = down.table(name);
          return {
            ...table,
            mutate(req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
              if (name === opts.table && (req.type === 'put' || req.type === 'add')) {
                state.attempts++;
                if (state.failures > 0) {
                  state.failures--;
                  return Promise.reject(opts.error());
                }
              }
              return table.mutate(req);
            },
          };
        },
      };
    },
  });
  return state;
}

export const hashOf = (n: number): string => n.toString(16).padStart(64, '0');
