import { isNativeError } from 'node:util/types';
import { describe, expect, it } from 'vitest';
import { AppError, describeError } from '../../lib/errors';
import { LlmError } from '../../lib/llm';
import { VaultError } from '../../lib/security/vault';

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

describe('with(): a changed copy', () => {
  const cause = new TypeError('fetch failed');

  it.each([
    ['AppError', new AppError('on_device', 'The built-in model failed.', { cause }), AppError, {}],
    ['VaultError', new VaultError('locked', 'Enter your passphrase.', { cause }), VaultError, {}],
    ['LlmError', new LlmError('server', 'The server failed (503).', { status: 503, cause }), LlmError, { attempts: 3 }],
  ] as const)('%s: a native Error of the same class, with the message, cause and stack of the original, which is unchanged', (_name, original, Class, patch) => {
    const copy = original.with(patch);
    expect(copy).toBeInstanceOf(Class);
    expect(copy.name).toBe(original.name);
    expect(isNativeError(copy)).toBe(true);
    expect(copy.message).toBe(original.message);
    expect(copy.cause).toBe(cause);
    expect(copy.stack).toBe(original.stack);
    expect(copy).toMatchObject({ kind: original.kind, ...patch });
    if (Object.keys(patch).length) expect(original).not.toMatchObject(patch);
    // Only the data fields are enumerable: the stack and the cause stay out of JSON, as in the original.
    expect(Object.keys(copy).sort()).toEqual([...new Set([...Object.keys(original), ...Object.keys(patch)])].sort());
    expect(structuredClone(copy).message).toBe(original.message);
  });
});
