// The user's preferences: read on demand, applied to the live client and cache when they change.
import { browser } from 'wxt/browser';
import { preferencesPatch, readPreferences, type Preferences } from '../../lib/preferences';

export const preferencesKey = 'preferences';
const day = 24 * 3_600_000;

export async function getPreferences(): Promise<Preferences> {
  return readPreferences((await browser.storage.local.get(preferencesKey))[preferencesKey]);
}

export async function savePreferences(patch: unknown): Promise<Preferences> {
  const next = { ...(await getPreferences()), ...preferencesPatch.parse(patch) };
  await browser.storage.local.set({ [preferencesKey]: next });
  return next;
}

/** The client's limits and the cache's policy, as the preferences say. */
export function clientOptions(prefs: Preferences) {
  return { maxConcurrency: prefs.maxConcurrency, maxAttempts: prefs.maxAttempts };
}

export function cachePolicy(prefs: Preferences) {
  return {
    summary: { ttlTiers: [{ maxBytes: 1024 * 1024, ttlMs: Math.round(prefs.summaryTtlDays * day) }] },
    chat: { cacheNonDeterministic: prefs.cacheChatAnswers },
  };
}

/** Calls `apply` whenever the preferences change, from any tab or window. */
export function onPreferencesChanged(apply: (prefs: Preferences, before: Preferences) => void) {
  browser.storage.onChanged.addListener((changes, area) => {
    const change = changes[preferencesKey];
    if (area === 'local' && change) apply(readPreferences(change.newValue), readPreferences(change.oldValue));
  });
}
