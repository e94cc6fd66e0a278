// Search words for the library's multi-entry index. Latin-script text splits on anything that is
// not a letter or digit; CJK text has no spaces, so each run is indexed as its characters and its
// bigrams: a one-character query finds the character, a longer one matches bigram by bigram.

/** Han, Hiragana, Katakana and Hangul: scripts written without spaces between words. */
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const piece = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu;

/** Longer tokens are hashes, base64 or URLs' noise; nobody types them, and they bloat the index. */
const maxWordLength = 40;
/** Bounds a record's index entries: a long chat must not cost thousands of index rows. */
export const maxWordsPerRecord = 3000;

function* tokens(text: string): Generator<string> {
  for (const [match] of text.toLowerCase().normalize('NFKC').matchAll(piece)) {
    if (cjk.test(match.charAt(0))) {
      const chars = [...match];
      for (let i = 0; i < chars.length; i++) {
        yield chars[i]!;
        if (i + 1 < chars.length) yield chars[i]! + chars[i + 1]!;
      }
    } else if (match.length <= maxWordLength) {
      yield match;
    }
  }
}

/** The distinct search words of `texts`, at most `maxWordsPerRecord` (the earliest texts first). */
export function indexWords(...texts: (string | undefined)[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const word of tokens(text)) {
      words.add(word);
      if (words.size >= maxWordsPerRecord) return [...words];
    }
  }
  return [...words];
}

/**
 * What a query asks for: every term must match (a prefix of) some word of the record. CJK runs
 * become their bigrams (or the one character), the same units the index holds.
 */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const [match] of query.toLowerCase().normalize('NFKC').matchAll(piece)) {
    if (cjk.test(match.charAt(0))) {
      const chars = [...match];
      if (chars.length === 1) terms.add(chars[0]!);
      for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]!);
    } else {
      terms.add(match.slice(0, maxWordLength));
    }
  }
  return [...terms];
}

/** Whether `words` satisfies every term: exact for CJK units, as a prefix otherwise (results as you type). */
export function matchesTerms(words: readonly string[], terms: readonly string[]): boolean {
  return terms.every((term) => words.some((word) => word.startsWith(term)));
}

/**
 * Whether looking `term` up in the index narrows the search enough to pay: a one- or two-letter
 * Latin prefix matches most words of most records, and reading every index entry it matches is
 * slower than reading the newest records until enough of them match.
 */
export const selectiveTerm = (term: string): boolean => term.length >= 3 || cjk.test(term);
