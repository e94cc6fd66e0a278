// IndexedDB reports a full disk as QuotaExceededError, but by the time it reaches us Dexie may
// have wrapped it (an AbortError of the transaction, with the real cause in `inner`).

const quotaNames = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

export function isQuotaError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { name?: unknown; inner?: unknown; cause?: unknown };
    if (typeof e.name === 'string' && quotaNames.has(e.name)) return true;
    current = e.inner ?? e.cause;
  }
  return false;
}
