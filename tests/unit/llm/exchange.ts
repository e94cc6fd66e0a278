// One HTTP exchange of the client, driven directly with a scripted fetch: shared by the OpenAI and
// Anthropic stream tests, which differ only in the endpoint, the secrets and the wire format.
import { expect } from 'vitest';
import { exchange, readChatStream, type ExchangeInput } from '../../../lib/llm/attempt';
import { realSleep } from '../../../lib/llm/clock';
import { LlmError } from '../../../lib/llm/errors';
import type { ProviderKind } from '../../../lib/llm/types';
import { scriptedFetch } from './fakes';

export function exchangeHelpers(base: { url: string; secrets: string[] }, kind: ProviderKind = 'openai') {
  function input(fetchFn: typeof fetch, over: Partial<ExchangeInput> = {}): ExchangeInput {
    return {
      fetch: fetchFn,
      now: () => Date.now(),
      sleep: realSleep,
      method: 'POST',
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
      deadline: Date.now() + 300_000,
      deadlineMs: 300_000,
      firstByteTimeoutMs: 30_000,
      idleTimeoutMs: 30_000,
      ...base,
      ...over,
    };
  }

  async function stream(response: Response | (() => Response), over: Partial<ExchangeInput> = {}) {
    const deltas: string[] = [];
    const { fetch } = scriptedFetch(() => (typeof response === 'function' ? response() : response));
    const result = await exchange(input(fetch, over), readChatStream({ onDelta: (t) => deltas.push(t) }, kind));
    return { result, deltas };
  }

  async function streamError(response: Response, over: Partial<ExchangeInput> = {}): Promise<LlmError> {
    const error = await stream(response, over).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LlmError);
    return error as LlmError;
  }

  return { input, stream, streamError };
}
