// Token counting with a real BPE tokenizer. The encodings are megabytes of rank tables, so they are
// imported on first use, not at startup, and each is loaded once however many callers ask at once.

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface TokenCounter {
  readonly encoding: EncodingName | 'estimate';
  /** False when the tokenizer could not be loaded and counts are a conservative estimate. */
  readonly exact: boolean;
  count(text: string): number;
}

interface EncodingModule {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

// Literal specifiers, one per encoding, so bundlers can split each into its own lazy chunk.
const importers: Record<EncodingName, () => Promise<EncodingModule>> = {
  o200k_base: () => import('gpt-tokenizer/encoding/o200k_base'),
  cl100k_base: () => import('gpt-tokenizer/encoding/cl100k_base'),
};

/**
 * Page text is data: "<|endoftext|>" in it is six ordinary tokens, not a control token (and not
 * an exception, which is the library's default).
 */
const asPlainText = { disallowedSpecial: new Set<string>() };

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

const loading = new Map<EncodingName, Promise<TokenCounter>>();

export interface LoadOptions {
  /** Replaces the dynamic import (tests, or a build that bundles the tables another way). */
  importer?: () => Promise<EncodingModule>;
  /** Called when the tokenizer failed to load and the estimate is used instead. */
  onFallback?: (err: unknown) => void;
}

export function loadTokenCounter(encoding: EncodingName = 'o200k_base', opts: LoadOptions = {}): Promise<TokenCounter> {
  const cached = opts.importer ? undefined : loading.get(encoding);
  if (cached) return cached;
  const load = (opts.importer ?? importers[encoding])().then(
    (mod): TokenCounter => ({ encoding, exact: true, count: (text) => mod.countTokens(text, asPlainText) }),
    (err: unknown) => {
      // Forget the failure so a later call can try again; this one carries on with the estimate.
      loading.delete(encoding);
      opts.onFallback?.(err);
      return estimateCounter;
    },
  );
  if (!opts.importer) loading.set(encoding, load);
  return load;
}

export async function countTokens(text: string, encoding: EncodingName = 'o200k_base'): Promise<number> {
  return (await loadTokenCounter(encoding)).count(text);
}
