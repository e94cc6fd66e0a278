// The background's long-lived objects, created on first use. Nothing here holds state that must
// survive the worker: jobs and the cache live in Dexie, the client's admission state in
// storage.session.
import { browser } from 'wxt/browser';
import { createResponseCache, withCache, type ResponseCache } from '../../lib/cache';
import { dexieJobStore, openDb, type PrecisDb } from '../../lib/db';
import { createJobRunner, type JobRunner } from '../../lib/jobs/runner';
import { createLlmClient, type LlmClient } from '../../lib/llm';
import { createActivityLog, type ActivityLog } from '../../lib/privacy';
import { getProvider } from './settings';

let db: PrecisDb | undefined;
let client: LlmClient | undefined;
let cache: ResponseCache | undefined;
let activity: ActivityLog | undefined;
let runner: JobRunner | undefined;

const clientStateKey = 'llmClientState';

export const database = () => (db ??= openDb());
export const responseCache = () => (cache ??= createResponseCache({ db: database() }));
export const activityLog = () => (activity ??= createActivityLog({ db: database() }));

export function llmClient(): LlmClient {
  client ??= createLlmClient({
    fetch: (input, init) => fetch(input, init),
    getProvider,
    stateStore: {
      load: async () => (await browser.storage.session.get(clientStateKey))[clientStateKey],
      save: (state) => browser.storage.session.set({ [clientStateKey]: state }),
    },
  });
  return client;
}

export function jobRunner(): JobRunner {
  runner ??= createJobRunner({
    store: dexieJobStore(database()),
    client: withCache(llmClient(), responseCache(), { getProvider, activity: activityLog() }),
  });
  return runner;
}
