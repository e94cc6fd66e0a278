import { describe, expect, it } from 'vitest';
import { addCallUsage, formatUsd, usageCost, type JobUsage } from '../../../lib/jobs/usage';

const u = (promptTokens: number, completionTokens: number) => ({ promptTokens, completionTokens });

describe('job usage', () => {
  it('sums every call of a map-reduce job, spent and saved apart', () => {
    let total: JobUsage | undefined;
    total = addCallUsage(total, { model: 'gpt-4o-mini', usage: u(1000, 100) });
    total = addCallUsage(total, { model: 'gpt-4o-mini', usage: u(900, 90) });
    total = addCallUsage(total, { model: 'gpt-4o-mini', cached: { usage: u(500, 50) } });
    expect(total).toEqual({ model: 'gpt-4o-mini', promptTokens: 1900, completionTokens: 190, saved: u(500, 50) });
  });

  it('counts nothing for calls that report nothing, or a cached answer stored without usage', () => {
    expect(addCallUsage(undefined, { model: 'm' })).toBeUndefined();
    expect(addCallUsage(undefined, { model: 'm', cached: { usage: u(0, 0) } })).toBeUndefined();
    // A replay spent nothing, even if a usage figure rides along.
    expect(addCallUsage(undefined, { model: 'm', usage: u(5, 5), cached: { usage: u(7, 3) } })).toEqual({ model: 'm', promptTokens: 0, completionTokens: 0, saved: u(7, 3) });
  });

  it('prices tokens from the table, and says nothing for a model it does not know', () => {
    const prices = { 'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 } };
    const usage: JobUsage = { model: 'gpt-4o-mini-2024-07-18', promptTokens: 1_000_000, completionTokens: 1_000_000, saved: u(2_000_000, 0) };
    expect(usageCost(usage, prices)).toEqual({ spentUsd: 0.75, savedUsd: 0.3 });
    expect(usageCost({ ...usage, model: 'unknown' }, prices)).toEqual({});
  });

  it('formats small and large sums readably', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.000423)).toBe('$0.00042');
    expect(formatUsd(0.0134)).toBe('$0.013');
    expect(formatUsd(1.2)).toBe('$1.20');
  });
});
