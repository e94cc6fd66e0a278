// Token counting with a real BPE tokenizer (o200k, the encoding of current OpenAI models; other
// models are counted with it and a ratio, see context-window.ts). The rank table is megabytes, so
// it is imported on first use, and once however many callers ask at once.

export interface TokenCounter {
  readonly encoding: 'o200k_base' | 'estimate';
  /** False when the tokenizer could not be loaded and counts are a conservative estimate. */
  readonly exact: boolean;
  count(text: string): number;
}

export interface EncodingModule {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

/**
 * Page text is data: "<|endoftext|>" in it is six ordinary tokens, not a control token (and not
 * an exception, which is the library's default).
 */
export const asPlainText = { disallowedSpecial: new Set<string>() };

/**
 * Used only if the tokenizer cannot be loaded (a worker that refuses `import()`, a broken build):
 * errs on the high side so a plan made with it still fits.
 */
export const estimateCounter: TokenCounter = {
  encoding: 'estimate',
  exact: false,
  count(text) {
    // Letters and digits merge into words; punctuation and non-Latin characters often stand alone;
    // a character outside the BMP can take several byte-level tokens.
    let word = 0;
    let single = 0;
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x80) {
        if (/[A-Za-z0-9]/.test(ch)) word++;
        else if (ch !== ' ') single++;
      } else single += code > 0xffff ? 3 : 1;
    }
    return Math.ceil(word / 3) + single;
  },
};

let loading: Promise<TokenCounter> | undefined;

export interface LoadOptions {
  /** Replaces the dynamic import (tests, or a build that ships the table another way). */
  importer?: () => Promise<EncodingModule>;
  /** Called when the tokenizer failed to load and the estimate is used instead. */
  onFallback?: (err: unknown) => void;
}

export function loadTokenCounter(opts: LoadOptions = {}): Promise<TokenCounter> {
  if (loading && !opts.importer) return loading;
  const importer = opts.importer ?? (() => import('gpt-tokenizer/encoding/o200k_base'));
  const load = importer().then(
    (mod): TokenCounter => ({ encoding: 'o200k_base', exact: true, count: (text) => mod.countTokens(text, asPlainText) }),
    (err: unknown) => {
      // Forget the failure so a later call can try again; this one carries on with the estimate.
      if (loading === load) loading = undefined;
      opts.onFallback?.(err);
      return estimateCounter;
    },
  );
  if (!opts.importer) loading = load;
  return load;
}

export async function countTokens(text: string): Promise<number> {
  return (await loadTokenCounter()).count(text);
}
