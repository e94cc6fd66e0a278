// Builds a client around scripted fetch handlers, with fake timers driving every wait.
import { vi } from 'vitest';
import { createLlmClient, type LlmClientDeps, type LlmError } from '../../../lib/llm';
import type { ClientStatus, ProviderConfig } from '../../../lib/llm/types';
import { scriptedFetch } from './fakes';

export const provider: ProviderConfig = {
  baseUrl: 'https://api.test/v1/',
  apiKey: 'sk-test-key-abcdef123456',
  model: 'm-1',
  headers: { 'X-Title': 'Precis' },
};

export const ask = (content = 'hi') => ({ messages: [{ role: 'user' as const, content }] });

type Handler = Parameters<typeof scriptedFetch>[number];

export function setup(handlers: Handler[], over: Partial<LlmClientDeps> = {}) {
  const scripted = scriptedFetch(...handlers);
  const client = createLlmClient({
    fetch: scripted.fetch,
    getProvider: () => provider,
    random: () => 0.5,
    ...over,
    options: { persistDebounceMs: 50, ...over.options },
  });
  return { client, calls: scripted.calls };
}

/** Lets every promise chain that is ready run, without moving the fake clock. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await vi.advanceTimersByTimeAsync(0);
}

export function statusLog() {
  const log: ClientStatus[] = [];
  return { log, onStatus: (s: ClientStatus) => log.push(s), types: () => log.map((s) => s.type) };
}

/** Catches a rejection as a value, so a test can assert on it after driving the clock. */
export function outcome<T>(promise: Promise<T>): Promise<T | Error> {
  return promise.catch((e: unknown) => e as Error);
}

/** The error a request fails with; a request that succeeds fails the test. */
export async function failure(promise: Promise<unknown>): Promise<LlmError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as LlmError,
  );
}
