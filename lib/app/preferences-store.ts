// The user's preferences in storage.local, and what they mean for the client and the cache.
import { readPreferences, type Preferences, type PreferencesPatch } from '../preferences';
import type { KeyValueArea } from './ports';

export const preferencesKey = 'preferences';
const day = 24 * 3_600_000;

export function createPreferencesStore(local: KeyValueArea) {
  const get = async (): Promise<Preferences> => readPreferences(await local.get(preferencesKey));
  return {
    get,
    /** `patch` was checked at the door (protocol.ts). */
    async save(patch: PreferencesPatch): Promise<Preferences> {
      const next = { ...(await get()), ...patch };
      await local.set(preferencesKey, next);
      return next;
    },
  };
}

export type PreferencesStore = ReturnType<typeof createPreferencesStore>;

/** The client's limits, as the preferences say. */
export function clientOptions(prefs: Preferences) {
  return { maxConcurrency: prefs.maxConcurrency, maxAttempts: prefs.attemptLimit === 0 ? Number.POSITIVE_INFINITY : prefs.attemptLimit };
}

/** The cache's policy, as the preferences say. */
export function cachePolicy(prefs: Preferences) {
  return {
    summary: { ttlTiers: [{ maxBytes: 1024 * 1024, ttlMs: Math.round(prefs.summaryTtlDays * day) }] },
    chat: { cacheNonDeterministic: prefs.cacheChatAnswers },
  };
}
