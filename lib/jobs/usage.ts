// Tokens behind an answer and what they cost. A long page is many model calls (map-reduce): the
// job sums them. Calls answered from the cache spent nothing now; what they cost when first made
// is what the cache saved. No schema library here: views import this file.
import { costUsd, priceFor, type PriceTable } from '../cache/prices';
import type { Usage } from '../llm/types';

export interface JobUsage {
  /** The model of the latest call: what the price is looked up by. */
  model?: string;
  /** Spent on this answer, summed over the calls whose server reported usage. */
  promptTokens: number;
  completionTokens: number;
  /** Summed over the calls replayed from the cache: their tokens when first generated. */
  saved?: Usage;
}

/** What a job's model call tells about its tokens. */
export interface CallUsage {
  model?: string;
  usage?: Usage;
  cached?: { usage?: Usage };
}

const plus = (a: Usage | undefined, b: Usage): Usage => ({
  promptTokens: (a?.promptTokens ?? 0) + b.promptTokens,
  completionTokens: (a?.completionTokens ?? 0) + b.completionTokens,
});

/** `total` with one more call counted; unchanged (possibly undefined) when the call reports nothing. */
export function addCallUsage(total: JobUsage | undefined, call: CallUsage): JobUsage | undefined {
  // An answer cached from a server that reported no usage was stored with zero tokens: unknown, not free.
  const known = (u: Usage | undefined) => (u && u.promptTokens + u.completionTokens > 0 ? u : undefined);
  const saved = known(call.cached?.usage);
  const spent = call.cached ? undefined : known(call.usage);
  if (!saved && !spent) return total;
  const next: JobUsage = {
    ...plus(total, spent ?? { promptTokens: 0, completionTokens: 0 }),
    ...((call.model ?? total?.model) && { model: call.model ?? total?.model }),
  };
  const savedSum = saved ? plus(total?.saved, saved) : total?.saved;
  return savedSum ? { ...next, saved: savedSum } : next;
}

export interface UsageCost {
  /** US dollars; undefined when the price table has no price for the model. */
  spentUsd?: number;
  savedUsd?: number;
}

export function usageCost(usage: JobUsage, prices: PriceTable): UsageCost {
  const price = usage.model ? priceFor(prices, usage.model) : undefined;
  if (!price) return {};
  return {
    spentUsd: costUsd(price, usage.promptTokens, usage.completionTokens),
    ...(usage.saved && { savedUsd: costUsd(price, usage.saved.promptTokens, usage.saved.completionTokens) }),
  };
}

/** Small sums need more digits than large ones: $0.00042, $0.013, $1.20. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(usd < 1 ? 3 : 2)}`;
}
