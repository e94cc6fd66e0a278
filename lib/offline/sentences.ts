// One block of text → sentences.
//
// We scan for terminators ourselves rather than use Intl.Segmenter's sentence mode: ICU breaks
// after "Dr." and "Mr.", leaves a Chinese opening quote on the end of the previous sentence, and
// does not end clauses at "；". Patching those up costs as much as the scanner, and the scanner
// gives the same sentences in every engine, which keeps offline summaries identical everywhere.
import { englishStopWords } from './stopwords';

/** Ends a sentence wherever it stands: ideographic text has no space after its stops. */
const wideStops = new Set(['。', '！', '？', '；', '｡', '︒', '﹒', '﹗', '﹖', '﹔']);
/** End a sentence when followed by a space or the end (Devanagari, Arabic, Urdu, Armenian, Ethiopic). */
const spacedStops = new Set(['।', '॥', '؟', '۔', '։', '።']);
/** Stops whose meaning depends on what follows: "3.5", "e.g. this", "Wait... what?". */
const latinStops = new Set(['.', '!', '?', '…']);
/** Closing quotes and brackets that belong to the sentence they follow. */
const closers = new Set(['"', "'", '”', '’', ')', ']', '}', '»', '›', '」', '』', '）', '》', '〉', '】', '〕', '〗', '〙', '〛']);

/** Always followed by more of the same sentence: titles, "e.g.", "vs.". */
const leadingAbbreviations = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'st', 'mt', 'sr', 'jr', 'gen', 'col', 'lt', 'sgt', 'capt', 'cmdr',
  'adm', 'rev', 'hon', 'gov', 'sen', 'rep', 'pres', 'supt', 'messrs', 'mme', 'mlle', 'fr',
  'e.g', 'i.e', 'eg', 'ie', 'vs', 'v', 'cf', 'viz', 'al', 'approx', 'ca', 'incl', 'esp', 'resp', 'dept', 'univ',
]);
/** Abbreviations that come before a number: "No. 5", "Fig. 3", "Jan. 12". "No." alone may end one. */
const numberAbbreviations = new Set([
  'no', 'nos', 'nr', 'p', 'pp', 'fig', 'figs', 'eq', 'eqs', 'vol', 'vols', 'ch', 'chap', 'sec', 'art', 'para',
  'ref', 'refs', 'tel', 'ver', 'op', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct',
  'nov', 'dec',
]);

const ideograph = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const lowercase = /\p{Ll}/u;
const digit = /\p{Nd}/u;
const space = /\s/;
/** A single initial ("J. K. Rowling"). */
const initial = /^\p{Lu}$/u;
const dottedInitials = /^(?:\p{L}\.)+\p{L}$/u;
const openers = /^["'“‘([{«‹「『（《〈【]+/u;

/** The word that a "." at `dot` ends, without the quotes or brackets that open it. */
function wordBefore(text: string, dot: number): string {
  let start = dot;
  while (start > 0 && !space.test(text[start - 1] ?? ' ')) start--;
  return text.slice(start, dot).replace(openers, '');
}

/** The word starting at `at`, for telling "U.S. Army" from "U.S. The". */
function nextWord(text: string, at: number): string {
  return /^[\p{L}']+/u.exec(text.slice(at, at + 40))?.[0] ?? '';
}

/** Whether the stops in `text[from, to)` (then closers up to `after`) end the sentence. */
function endsSentence(text: string, from: number, to: number, after: number): boolean {
  const run = text.slice(from, to);
  for (const ch of run) if (wideStops.has(ch)) return true;
  const next = text[after];
  if (next === undefined) return true;
  if (spacedStops.has(run[0] ?? '')) return space.test(next);
  if (!space.test(next)) {
    // Mixed text often puts no space between a Latin stop and the ideographs after it; an
    // ellipsis there is a pause inside the Chinese sentence, not its end.
    return ideograph.test(next) && !run.includes('…') && !run.includes('..');
  }
  let at = after;
  while (at < text.length && space.test(text[at] ?? '')) at++;
  const following = text[at];
  if (following === undefined) return true;
  // Sentences do not begin in lower case, nor with a comma: "Wait... what?", "“Why?” she asked".
  if (lowercase.test(following) || /[,;:]/.test(following)) return false;
  if (run !== '.') return true;
  const word = wordBefore(text, from);
  const key = word.toLowerCase();
  if (leadingAbbreviations.has(key)) return false;
  if (digit.test(following) && numberAbbreviations.has(key)) return false;
  if (initial.test(word)) return false;
  // "U.S. Army" goes on, "in the U.S. The economy…" ends: after dotted initials, only a word that
  // typically opens a sentence ("The", "It", "In") starts a new one.
  if (dottedInitials.test(word)) return englishStopWords.has(nextWord(text, at).toLowerCase());
  return true;
}

/**
 * Sentences of one block (a paragraph or list item), trimmed, in order. Line breaks are spaces.
 * Decimals ("3.5"), abbreviations ("Dr.", "e.g.", "U.S. economy"), ellipses before lower case and
 * quotes closing after the stop ("He said “Stop.” Then…") stay inside their sentence.
 */
export function splitSentences(block: string): string[] {
  const text = block.replace(/\s+/g, ' ').trim();
  const sentences: string[] = [];
  let start = 0;
  // Jump from stop to stop: most characters are not one, and a regex skips them natively.
  const anyStop = /[.!?…。！？；｡︒﹒﹗﹖﹔।॥؟۔։።]/g;
  for (let m = anyStop.exec(text); m; m = anyStop.exec(text)) {
    const i = m.index;
    let end = i + 1;
    while (end < text.length && (wideStops.has(text[end] ?? '') || latinStops.has(text[end] ?? ''))) end++;
    let after = end;
    while (after < text.length && closers.has(text[after] ?? '')) after++;
    if (endsSentence(text, i, end, after)) {
      const sentence = text.slice(start, after).trim();
      if (sentence) sentences.push(sentence);
      start = after;
    }
    anyStop.lastIndex = Math.max(after, i + 1);
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}
