import { describe, expect, it, vi } from 'vitest';
import { modelLimits, summaryBudget, unknownModelLimits } from '../../../lib/extract/context-window';
import { counterFromRanks, type RankTable } from '../../../lib/extract/tokenizer-ranks';
import { countTokens, estimateCounter, loadTokenCounter } from '../../../lib/extract/tokens';

describe('token counting', () => {
  it('counts with the real o200k tokenizer, loaded once', async () => {
    const first = loadTokenCounter();
    expect(loadTokenCounter()).toBe(first);
    const counter = await first;
    expect(counter).toMatchObject({ encoding: 'o200k_base', exact: true });
    expect(counter.count('hello world')).toBe(2);
    expect(await countTokens('hello world')).toBe(2);
  });

  it('counts special-token text in a page as ordinary text instead of throwing', async () => {
    const counter = await loadTokenCounter();
    expect(counter.count('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('builds the same counter from the rank table, for workers that cannot import() it', async () => {
    const { default: ranks } = await import('gpt-tokenizer/esm/bpeRanks/o200k_base');
    const fromJson = counterFromRanks(JSON.parse(JSON.stringify(ranks)) as RankTable);
    const real = await loadTokenCounter();
    for (const sample of ['hello world', '夜行列車の復活 🚆 𠮷', 'a <|endoftext|> b', 'const x = 1;\n\n# Heading']) {
      expect(fromJson.count(sample)).toBe(real.count(sample));
    }
  });

  it('falls back to a conservative estimate when the tokenizer cannot load', async () => {
    const onFallback = vi.fn();
    const counter = await loadTokenCounter({ importer: () => Promise.reject(new Error('import() is disallowed')), onFallback });
    expect(counter).toBe(estimateCounter);
    expect(onFallback).toHaveBeenCalledOnce();
    const real = await loadTokenCounter();
    for (const sample of [
      'The quick brown fox jumps over the lazy dog. '.repeat(20),
      'ヨーロッパでは、数十年前に廃止された路線で夜行列車が再び走り始めている。'.repeat(5),
      'const x = arr.map((v) => v * 2).filter(Boolean); // 🚆 𠮷\n'.repeat(10),
      'Съешь же ещё этих мягких французских булок, да выпей чаю. '.repeat(10),
    ]) {
      expect(estimateCounter.count(sample)).toBeGreaterThanOrEqual(real.count(sample));
    }
  });
});

describe('context table', () => {
  it('knows OpenAI models, whatever the gateway calls them', () => {
    expect(modelLimits('gpt-4o')).toMatchObject({ context: 128_000, maxOutput: 16_384, tokenRatio: 1 });
    expect(modelLimits('openai/GPT-4o-mini')).toMatchObject({ context: 128_000 });
    expect(modelLimits('gpt-4.1-nano-2025-04-14').context).toBe(1_047_576);
    expect(modelLimits('gpt-5-mini')).toMatchObject({ context: 400_000, maxInput: 272_000 });
    expect(modelLimits('o3-mini').context).toBe(200_000);
    // Legacy cl100k models are counted with o200k and a ratio.
    expect(modelLimits('gpt-4')).toMatchObject({ context: 8_192, tokenRatio: 1.4 });
    expect(modelLimits('gpt-3.5-turbo').context).toBe(16_385);
  });

  it('assumes other tokenizers split finer, and unknown models are small', () => {
    expect(modelLimits('anthropic/claude-3.5-sonnet')).toMatchObject({ context: 200_000, tokenRatio: 1.25 });
    expect(modelLimits('llama3.1:8b')).toMatchObject({ context: 128_000, tokenRatio: 1.1 });
    expect(modelLimits('my-finetune')).toEqual(unknownModelLimits);
  });

  it('takes the user\'s overrides: exact names first, then the longest prefix', () => {
    const overrides = {
      'llama*': { context: 4_096 },
      'llama3.1*': { context: 16_384 },
      'llama3.1:70b': { context: 65_536, tokenRatio: 1 },
      'gpt-4o': { context: -5, maxOutput: Number.NaN },
    };
    expect(modelLimits('llama3.1:70b', overrides)).toMatchObject({ context: 65_536, tokenRatio: 1 });
    expect(modelLimits('llama3.1:8b', overrides).context).toBe(16_384);
    expect(modelLimits('llama2', overrides).context).toBe(4_096);
    expect(modelLimits('gpt-4o', overrides)).toMatchObject({ context: 128_000, maxOutput: 16_384 });
  });

  it('budget = min(window − reserved output, max input) / ratio − prompt − margin', () => {
    expect(summaryBudget({ limits: modelLimits('gpt-4o'), promptTokens: 300, reserveOutput: 2_048 })).toBe(128_000 - 2_048 - 300 - 1_260);
    // A small window keeps three quarters for the prompt and page.
    const small = { context: 4_096, tokenRatio: 1 };
    expect(summaryBudget({ limits: small, promptTokens: 300, reserveOutput: 2_048 })).toBe(4_096 - 1_024 - 300 - 31);
    expect(summaryBudget({ limits: modelLimits('gpt-5'), promptTokens: 0, reserveOutput: 2_048 })).toBe(272_000 - 2_720);
    const claude = summaryBudget({ limits: modelLimits('claude-3-opus'), promptTokens: 0, reserveOutput: 0 });
    expect(claude).toBe(160_000 - 1_600);
  });
});
