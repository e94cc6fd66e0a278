// A team gateway's own failures (Portkey marks them) read as the gateway's, not the provider's, and
// are not retried; the errors it passes on from the provider keep their meaning.
import { expect, it } from 'vitest';
import { openaiDialect } from '../../../lib/llm/dialects/openai';
import { errorFromResponse } from '../../../lib/llm/errors';
import { retryVerdict } from './retry-facts';

it('tells the gateway’s own failure from the provider’s', () => {
  const own = errorFromResponse(openaiDialect, 500, new Headers({ 'x-portkey-gateway-exception': 'true' }), '{"status":"failure","message":"Something went wrong"}', 0);
  expect(own).toMatchObject({ kind: 'server', status: 500, message: expect.stringContaining('Your gateway failed by itself (500)') });
  expect(own.message).toContain('Something went wrong');
  expect(retryVerdict(own)).toBe('fail');
  const passedOn = errorFromResponse(openaiDialect, 503, new Headers(), '{"error":{"message":"openai error: Upstream overloaded"}}', 0);
  expect(passedOn).toMatchObject({ kind: 'server', message: expect.stringContaining("The provider's server failed") });
  expect(retryVerdict(passedOn)).toBe('retry');
});
