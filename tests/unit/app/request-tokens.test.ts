// The client's token count for pacing: the estimate until the first long prompt loads the tokenizer.
import { describe, expect, it, vi } from 'vitest';
import { requestTokenCounter, LONG_PROMPT_TOKENS } from '../../../lib/app/request-tokens';
import { estimateCounter, type TokenCounter } from '../../../lib/extract/tokens';

const exact: TokenCounter = { encoding: 'o200k_base', exact: true, count: (text) => text.length };

describe('requestTokenCounter', () => {
  it('estimates short prompts without loading the tokenizer, and loads it once for the first long one', async () => {
    const load = vi.fn(() => Promise.resolve(exact));
    const count = requestTokenCounter(load);
    expect(count('hello there')).toBe(estimateCounter.count('hello there'));
    expect(load).not.toHaveBeenCalled();
    const long = 'word '.repeat(LONG_PROMPT_TOKENS + 10);
    expect(count(long)).toBe(estimateCounter.count(long));
    count(long);
    expect(load).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    expect(count('hello there')).toBe('hello there'.length);
  });

  it('keeps estimating when the tokenizer cannot be loaded', async () => {
    const load = vi.fn(() => Promise.reject(new Error('no import() here')));
    const count = requestTokenCounter(load);
    const long = 'word '.repeat(LONG_PROMPT_TOKENS + 10);
    count(long);
    await Promise.resolve();
    await Promise.resolve();
    expect(count(long)).toBe(estimateCounter.count(long));
    expect(load).toHaveBeenCalledTimes(1);
  });
});
