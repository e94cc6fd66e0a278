// OpenAI-compatible endpoints (and Azure) behind a gateway that passes Anthropic's error shape
// through: its error types mean the same there as from Anthropic itself.
import { describe, expect, it } from 'vitest';
import { azureDialect } from '../../../../lib/llm/dialects/azure';
import { openaiDialect } from '../../../../lib/llm/dialects/openai';
import { exchangeHelpers } from '../exchange';
import { jsonResponse, sseResponse } from '../fakes';
import { retryVerdict } from '../retry-facts';

const anthropicShaped = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_1' });

const CASES = [
  ['billing_error', 402, 'quota', 'Add a payment method to continue.'],
  ['request_too_large', 413, 'context_length', 'Request exceeds the maximum allowed number of bytes.'],
  ['not_found_error', 404, 'not_found', 'model: claude-nope'],
  ['invalid_request_error', 400, 'quota', 'Your credit balance is too low to access the Anthropic API.'],
] as const;

describe.each([
  ['openai', openaiDialect],
  ['azure', azureDialect],
])('the %s dialect reads Anthropic-shaped errors', (_name, dialect) => {
  const { streamError } = exchangeHelpers({ url: 'https://gateway.test/v1/chat/completions', secrets: [] }, dialect);

  it.each(CASES)('%s in a %i body → %s, not retried', async (type, status, kind, message) => {
    const error = await streamError(jsonResponse(status, anthropicShaped(type, message)));
    expect(error).toMatchObject({ kind, status, detail: message });
    expect(retryVerdict(error)).toBe('fail');
  });

  it.each(CASES)('%s in a 200 stream (%i from Anthropic) → %s, not retried', async (type, _status, kind, message) => {
    const error = await streamError(sseResponse(`event: error\ndata: ${JSON.stringify(anthropicShaped(type, message))}\n\n`));
    expect(error).toMatchObject({ kind, detail: message });
    expect(retryVerdict(error)).toBe('fail');
  });
});
