// The background's long-lived objects, created on first use. Nothing here holds state that must
// survive the worker: jobs live in Dexie, the client's admission state in storage.session.
import { browser } from 'wxt/browser';
import { dexieJobStore, openDb } from '../../lib/db';
import { createJobRunner, type JobRunner } from '../../lib/jobs/runner';
import { createLlmClient, type LlmClient } from '../../lib/llm';
import { getProvider } from './settings';

let client: LlmClient | undefined;
let runner: JobRunner | undefined;

const clientStateKey = 'llmClientState';

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
  runner ??= createJobRunner({ store: dexieJobStore(openDb()), client: llmClient() });
  return runner;
}
