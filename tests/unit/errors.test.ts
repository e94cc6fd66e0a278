import { describe, expect, it } from 'vitest';
import { describeError } from '../../lib/errors';
import { LlmError } from '../../lib/llm';

describe('describeError', () => {
  it('keeps the kind and message of a typed error', () => {
    expect(describeError(new LlmError('auth', 'The API key was rejected (401).', { status: 401 }))).toEqual({
      kind: 'auth',
      message: 'The API key was rejected (401).',
    });
  });

  it('tells a local server refusing our Origin apart from a rejected key', () => {
    expect(describeError(new LlmError('auth', 'Forbidden (403).', { status: 403 }))).toMatchObject({ kind: 'origin_rejected', message: expect.stringContaining('OLLAMA_ORIGINS') });
    expect(describeError(new LlmError('auth', 'Forbidden (403).', { status: 403, detail: '{"error":{"message":"Invalid API key"}}' }))).toMatchObject({ kind: 'auth' });
  });

  it('reports anything untyped as an internal problem', () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({ kind: 'internal', message: 'Something went wrong inside Precis: x is undefined' });
  });
});
