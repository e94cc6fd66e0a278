// One HTTP exchange of the client, driven directly with a scripted fetch: shared by the OpenAI and
// Anthropic stream tests, which differ only in the endpoint, the secrets and the wire format.
import { expect } from 'vitest';
import { exchange, readChatStream as readStream, type ExchangeInput } from '../../../lib/llm/attempt';
import { realSleep } from '../../../lib/llm/clock';
import type { Dialect } from '../../../lib/llm/dialects';
import { openaiDialect } from '../../../lib/llm/dialects/openai';
import { LlmError } from '../../../lib/llm/errors';
import { scriptedFetch } from './fakes';

export function exchangeHelpers(base: { url: string; secrets: string[] }, dialect: Dialect = openaiDialect) {
  function input(fetchFn: typeof fetch, over: Partial<ExchangeInput> = {}): ExchangeInput {
    return {
      fetch: fetchFn,
      dialect,
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

  /** The dialect's stream reader. */
  const readChatStream = (handlers: Parameters<typeof readStream>[0]) => readStream(handlers, dialect);

  async function stream(response: Response | (() => Response), over: Partial<ExchangeInput> = {}) {
    const deltas: string[] = [];
    const { fetch } = scriptedFetch(() => (typeof response === 'function' ? response() : response));
    const result = await exchange(input(fetch, over), readChatStream({ onDelta: (t) => deltas.push(t) }));
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

  return { input, readChatStream, stream, streamError };
}
