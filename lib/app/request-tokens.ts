// What the LLM client counts a request's tokens with, before sending, to pace a tokens-per-minute
// limit: the real tokenizer once it is loaded, the estimate (which errs high) until then. The rank
// table is megabytes, so, as for summaries, the first long prompt loads it; short chats never do.

import { estimateCounter, type TokenCounter } from '../extract/tokens';

/** Prompts of at least this many (estimated) tokens load the tokenizer: where a token window starts to bind. */
export const LONG_PROMPT_TOKENS = 2_000;

export function requestTokenCounter(load: () => Promise<TokenCounter>): (text: string) => number {
  let counter: TokenCounter = estimateCounter;
  let loading = false;
  return (text) => {
    const tokens = counter.count(text);
    if (!loading && counter === estimateCounter && tokens >= LONG_PROMPT_TOKENS) {
      loading = true;
      load().then(
        (loaded) => (counter = loaded),
        () => undefined,
      );
    }
    return tokens;
  };
}
