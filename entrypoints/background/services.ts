// The background's long-lived objects, created on first use. Nothing here holds state that must
// survive the worker: jobs and the cache live in Dexie, the client's admission state in
// storage.session.
import { browser } from 'wxt/browser';
import { createResponseCache, withCache, type ResponseCache } from '../../lib/cache';
import { dexieJobStore, openDb, type PrecisDb } from '../../lib/db';
import { createJobRunner, type JobRunner } from '../../lib/jobs/runner';
import { createLlmClient, type LlmClient } from '../../lib/llm';
import { createActivityLog, type ActivityLog } from '../../lib/privacy';
import type { Preferences } from '../../lib/preferences';
import { cachePolicy, clientOptions, getPreferences, onPreferencesChanged } from './preferences';
import { getProvider } from './settings';

let db: PrecisDb | undefined;
let client: LlmClient | undefined;
let cache: ResponseCache | undefined;
let activity: ActivityLog | undefined;
let runner: JobRunner | undefined;

const clientStateKey = 'llmClientState';

function applyPreferences(prefs: Preferences) {
  client?.setOptions(clientOptions(prefs));
  cache?.setPolicy(cachePolicy(prefs));
}

/** Services are created lazily; each picks up the stored preferences when it is, and every change after. */
export function setupPreferenceSync() {
  onPreferencesChanged(applyPreferences);
}

export const database = () => (db ??= openDb());

export function responseCache(): ResponseCache {
  if (!cache) {
    cache = createResponseCache({ db: database() });
    void getPreferences().then(applyPreferences);
  }
  return cache;
}
export const activityLog = () => (activity ??= createActivityLog({ db: database() }));

export function llmClient(): LlmClient {
  if (client) return client;
  client = createLlmClient({
    fetch: (input, init) => fetch(input, init),
    getProvider,
    stateStore: {
      load: async () => (await browser.storage.session.get(clientStateKey))[clientStateKey],
      save: (state) => browser.storage.session.set({ [clientStateKey]: state }),
    },
  });
  void getPreferences().then(applyPreferences);
  return client;
}

export function jobRunner(): JobRunner {
  runner ??= createJobRunner({
    store: dexieJobStore(database()),
    client: withCache(llmClient(), responseCache(), { getProvider, activity: activityLog() }),
  });
  return runner;
}
