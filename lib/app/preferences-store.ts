// The user's preferences in storage.local, and what they mean for the client and the cache.
import { readPreferences, type Preferences, type PreferencesPatch } from '../preferences';
import type { ManagedPolicy } from './policy';
import type { KeyValueArea } from './ports';

export const preferencesKey = 'preferences';
const day = 24 * 3_600_000;

/** `managed`: the administrator's policy, whose cache retention wins over the user's. */
export function createPreferencesStore(local: KeyValueArea, managed: () => Promise<ManagedPolicy> = async () => ({})) {
  const stored = async (): Promise<Preferences> => readPreferences(await local.get(preferencesKey));
  const get = async (): Promise<Preferences> => {
    const [prefs, policy] = await Promise.all([stored(), managed()]);
    return policy.cacheRetentionDays === undefined ? prefs : { ...prefs, summaryTtlDays: policy.cacheRetentionDays };
  };
  return {
    get,
    /** The user's own choices, without the policy: for what it cannot change (the menu, the surface), no wait on it. */
    own: stored,
    /** `patch` was checked at the door (protocol.ts). */
    async save(patch: PreferencesPatch): Promise<Preferences> {
      // The user's own values are kept: the policy's retention applies on reading, not stored as
      // theirs (the form sends back the retention it was shown, the policy's).
      const current = await stored();
      const next = { ...current, ...patch };
      if ((await managed()).cacheRetentionDays !== undefined) next.summaryTtlDays = current.summaryTtlDays;
      await local.set(preferencesKey, next);
      return get();
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
