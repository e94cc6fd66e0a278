// Estimating what the cache saved needs a price per model. The table is plain data the user can
// edit in Options (validated with the preferences); the defaults are list prices at the time of
// writing and only ever an estimate. No schema library here: the options page imports this file.

/** US dollars per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

export type PriceTable = Record<string, ModelPrice>;

export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'o3-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  'o4-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
};

/** A dated snapshot (`gpt-4o-2024-08-06`) or a tagged one (`llama3:8b`) costs what its family costs. */
const versionSeparators = new Set(['-', ':', '@']);

/**
 * The price for `model`: an exact entry, else the longest entry the name starts with at a
 * separator. Gateway prefixes such as OpenRouter's `openai/` are ignored when nothing matches them.
 */
export function priceFor(table: PriceTable, model: string): ModelPrice | undefined {
  const entries = Object.entries(table).map(([name, price]) => [name.toLowerCase(), price] as const);
  const wanted = model.trim().toLowerCase();
  const candidates = wanted.includes('/') ? [wanted, wanted.slice(wanted.lastIndexOf('/') + 1)] : [wanted];
  for (const name of candidates) {
    let best: { length: number; price: ModelPrice } | undefined;
    for (const [key, price] of entries) {
      if (key === name) return price;
      const next = name.charAt(key.length);
      if (name.startsWith(key) && versionSeparators.has(next) && (best === undefined || key.length > best.length)) {
        best = { length: key.length, price };
      }
    }
    if (best) return best.price;
  }
  return undefined;
}

export function costUsd(price: ModelPrice, promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1_000_000;
}
