// The worker's token counter, built from the rank table packaged with the extension (wxt.config.ts)
// on first use, then kept for the life of the worker.
import { browser } from 'wxt/browser';
import { counterFromRanks, rankTableAsset, type RankTable } from '../../lib/extract/tokenizer-ranks';
import type { TokenCounter } from '../../lib/extract/tokens';

let loading: Promise<TokenCounter> | undefined;

export function loadPackagedCounter(): Promise<TokenCounter> {
  // getURL's types list only the files WXT knows of; this one is added by a build hook.
  const url = (browser.runtime.getURL as (path: string) => string)(`/${rankTableAsset}`);
  loading ??= fetch(url)
    .then((res) => res.json() as Promise<RankTable>)
    .then(counterFromRanks);
  loading.catch(() => (loading = undefined));
  return loading;
}
