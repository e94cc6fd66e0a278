// Sentence → the terms that say what it is about: lower-cased, plurals folded, stop words, numbers
// and single letters dropped. Scripts written without spaces (Chinese, Japanese, Thai…) are cut into
// words by Intl.Segmenter when there is one, and into overlapping character pairs (the classic
// dictionary-free indexing for Chinese) where there is none or where its dictionary gives up.
import { chineseStopChars, chineseStopWords, englishStopWords } from './stopwords';

/** What we need of Intl.Segmenter (granularity "word"), so tests can pass another or none. */
export interface WordSegmenter {
  segment(text: string): Iterable<{ segment: string; isWordLike?: boolean }>;
}

const segmenters = new Map<string, WordSegmenter | null>();

/** Intl.Segmenter for `language` where the engine has one; null where it does not. */
export function intlWordSegmenter(language: string): WordSegmenter | null {
  let found = segmenters.get(language);
  if (found === undefined) {
    found = null;
    if (typeof Intl === 'object' && typeof Intl.Segmenter === 'function') {
      try {
        found = new Intl.Segmenter(language, { granularity: 'word' });
      } catch {
        found = new Intl.Segmenter('und', { granularity: 'word' });
      }
    }
    segmenters.set(language, found);
  }
  return found;
}

const numberLike = /^[\p{N}.,'’-]+$/u;
const plainLatin = /^[a-z]+$/;

/** A term, or undefined for a word that says nothing about the topic. */
function normalise(word: string): string | undefined {
  let w = word.toLowerCase().replace(/’/g, "'");
  if (englishStopWords.has(w) || chineseStopWords.has(w)) return undefined;
  w = w.replace(/'s$/, '');
  if (numberLike.test(w)) return undefined;
  if (w.length === 1) return undefined;
  if (plainLatin.test(w)) {
    // Just enough stemming for "battery"/"batteries" and "panel"/"panels" to meet.
    if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
    else if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  }
  return w;
}

/** A term from a script without spaces: only stop words to drop, nothing to fold. */
function addUnspaced(word: string, out: string[]) {
  if (!chineseStopWords.has(word)) out.push(word);
}

const stopCodes = new Set([...chineseStopChars].map((c) => c.charCodeAt(0)));

/** Character pairs of `text[start, end)`, a run of ideographs, cut first at characters that are only grammar. */
function bigrams(text: string, start: number, end: number, out: string[]) {
  // By code unit and slice, not `for…of`: a long Chinese page has a hundred thousand of these, and
  // each character string that loop allocates is garbage the moment it is read.
  let pieceStart = start;
  let previousStart = -1;
  for (let i = start; i < end; ) {
    const code = text.charCodeAt(i);
    const width = isHighSurrogate(code) && i + 1 < end ? 2 : 1;
    if (width === 1 && stopCodes.has(code)) {
      if (previousStart === pieceStart) out.push(text.slice(previousStart, i));
      pieceStart = i + 1;
      previousStart = -1;
    } else {
      if (previousStart >= 0) addUnspaced(text.slice(previousStart, i + width), out);
      previousStart = i;
    }
    i += width;
  }
  if (previousStart === pieceStart) out.push(text.slice(previousStart, end));
}

/**
 * Words of `text[start, end)` by the segmenter. Where its dictionary has no entry it falls back to
 * single characters (ICU cuts 公交车 into 公|交|车): runs of those become bigrams instead, so the
 * unknown word still matches itself across sentences, where single characters match everything.
 */
function segmentedWords(segmenter: WordSegmenter, text: string, start: number, end: number, out: string[]) {
  let singlesStart = -1;
  let at = start;
  for (const { segment, isWordLike } of segmenter.segment(text.slice(start, end))) {
    const single = segment.length === 1 || (segment.length === 2 && isHighSurrogate(segment.charCodeAt(0)));
    if (single) {
      if (singlesStart < 0) singlesStart = at;
    } else {
      if (singlesStart >= 0) bigrams(text, singlesStart, at, out);
      singlesStart = -1;
      if (isWordLike !== false) addUnspaced(segment, out);
    }
    at += segment.length;
  }
  if (singlesStart >= 0) bigrams(text, singlesStart, end, out);
}

export type Tokenise = (sentence: string) => string[];

/** Apostrophes and hyphens inside a word ("don't", "low-income"), dots inside "U.S." and "3.5". */
function isJoiner(code: number): boolean {
  return code === 0x27 || code === 0x2019 || code === 0x2d || code === 0x2e;
}

/**
 * `segmenter` null: bigrams for unspaced scripts. One scan by code unit that hands each run of
 * spaced-script word characters to `normalise` and each run of unspaced script to the segmenter
 * (or to bigrams): regexes with Unicode classes over every sentence were most of a long page's time.
 */
export function createTokeniser(segmenter: WordSegmenter | null): Tokenise {
  return (sentence) => {
    const terms: string[] = [];
    const n = sentence.length;
    for (let i = 0; i < n; ) {
      const code = sentence.charCodeAt(i);
      if (isUnspacedUnit(code)) {
        let j = i + 1;
        while (j < n && (isUnspacedUnit(sentence.charCodeAt(j)) || isLowSurrogate(sentence.charCodeAt(j)))) j++;
        if (segmenter) segmentedWords(segmenter, sentence, i, j, terms);
        else bigrams(sentence, i, j, terms);
        i = j;
      } else if (spacedWordWidth(sentence, i)) {
        let j = i + spacedWordWidth(sentence, i);
        for (;;) {
          const width = spacedWordWidth(sentence, j);
          if (width) j += width;
          else if (isJoiner(sentence.charCodeAt(j)) && spacedWordWidth(sentence, j + 1)) j += 1;
          else break;
        }
        const term = normalise(sentence.slice(i, j));
        if (term) terms.push(term);
        i = j;
      } else {
        i++;
      }
    }
    return terms;
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Whether the code unit starts or is a character of a script written without spaces. */
function isUnspacedUnit(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) || // kana
    (code >= 0x3400 && code <= 0x9fff) || // Han
    (code >= 0xf900 && code <= 0xfaff) || // Han compatibility
    (code >= 0xd840 && code <= 0xd87f) || // high surrogates of Han extensions B–F
    (code >= 0x0e00 && code <= 0x0eff) || // Thai, Lao
    (code >= 0x1000 && code <= 0x109f) || // Myanmar
    (code >= 0x1780 && code <= 0x17ff) // Khmer
  );
}

const wordChar = /[\p{L}\p{M}\p{N}]/u;

/**
 * Code units of the letter, mark or digit of a spaced script at `i` (2 for a surrogate pair), or 0.
 * Answered without a regex for ASCII and for the punctuation blocks CJK text is full of.
 */
function spacedWordWidth(text: string, i: number): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) ? 1 : 0;
  if (isUnspacedUnit(code) || isLowSurrogate(code)) return 0;
  if ((code >= 0x2000 && code <= 0x206f) || (code >= 0x3000 && code <= 0x303f) || (code >= 0xff00 && code <= 0xff0f)) return 0;
  if (isHighSurrogate(code)) return wordChar.test(text.slice(i, i + 2)) ? 2 : 0;
  return wordChar.test(text[i] ?? '') ? 1 : 0;
}

/**
 * Length in words, counting an ideograph as about half a word (Chinese words average under two
 * characters). A loop over code units: it runs on every sentence, and regexes over each were a
 * visible share of a long page's time.
 */
export function wordCount(sentence: string): number {
  let words = 0;
  let unspaced = 0;
  let inWord = false;
  for (let i = 0; i < sentence.length; i++) {
    const code = sentence.charCodeAt(i);
    if (isUnspacedUnit(code)) {
      unspaced++;
      inWord = false;
    } else if (isLowSurrogate(code)) {
      // The low half of a pair: its high half was counted.
    } else if (spacedWordWidth(sentence, i)) {
      if (!inWord) words++;
      inWord = true;
    } else if (!(inWord && isJoiner(code))) {
      inWord = false;
    }
  }
  return words + unspaced / 1.7;
}

/** How many ideographs-like characters `text` has: decides whether Intl.Segmenter is worth its cost. */
export function unspacedCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (isUnspacedUnit(text.charCodeAt(i))) n++;
  return n;
}
