// A token counter built from the o200k rank table itself, for a context that must not bundle the
// table: an MV3 service worker cannot `import()` at run time, so a bundler inlines the table into
// the worker and evaluates it at every start. There, fetch the table as a packaged file (JSON of
// gpt-tokenizer's `bpeRanks/o200k_base` export) and hand it to `counterFromRanks`.
import { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import { asPlainText, type TokenCounter } from './tokens';

export type RankTable = readonly (string | readonly number[])[];

export function counterFromRanks(ranks: RankTable): TokenCounter {
  const api = GptEncoding.getEncodingApi('o200k_base', () => ranks);
  return { encoding: 'o200k_base', exact: true, count: (text) => api.countTokens(text, asPlainText) };
}

/** Where the build puts the rank table inside the extension (wxt.config.ts), for the worker to fetch. */
export const rankTableAsset = 'tokenizer/o200k_base.json';
