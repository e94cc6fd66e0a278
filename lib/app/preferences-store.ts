// The user's preferences in storage.local, and what they mean for the client and the cache.
import { preferencesPatch, readPreferences, type Preferences } from '../preferences';
import type { ManagedPolicy } from './policy';
import type { KeyValueArea } from './ports';

export const preferencesKey = 'preferences';
const day = 24 * 3_600_000;

/** `managed`: the administrator's policy, whose cache retention wins over the user's. */
export function createPreferencesStore(local: KeyValueArea, managed: () => Promise<ManagedPolicy> = async () => ({})) {
  const get = async (): Promise<Preferences> => {
    const [prefs, policy] = await Promise.all([local.get(preferencesKey).then(readPreferences), managed()]);
    return policy.cacheRetentionDays === undefined ? prefs : { ...prefs, summaryTtlDays: policy.cacheRetentionDays };
  };
  return {
    get,
    async save(patch: unknown): Promise<Preferences> {
      const next = { ...(await get()), ...preferencesPatch.parse(patch) };
      await local.set(preferencesKey, next);
      return next;
    },
  };
}

export type PreferencesStore = ReturnType<typeof createPreferencesStore>;

/** The client's limits, as the preferences say. */
export function clientOptions(prefs: Preferences) {
  return { maxConcurrency: prefs.maxConcurrency, maxAttempts: prefs.maxAttempts };
}

/** The cache's policy, as the preferences say. */
export function cachePolicy(prefs: Preferences) {
  return {
    summary: { ttlTiers: [{ maxBytes: 1024 * 1024, ttlMs: Math.round(prefs.summaryTtlDays * day) }] },
    chat: { cacheNonDeterministic: prefs.cacheChatAnswers },
  };
}
