// Deterministic filler for benchmarks that need realistic text without fixtures: seeded random
// sentences over a few hundred real words, with commas, numbers, quotes, accents and the odd
// non-Latin word, so tokenizers, JSON escaping, UTF-8 encoding and Readability's comma scoring all
// see something like a real page. Same seed, same text, on every machine and in the browser too.

/** mulberry32: a tiny seeded PRNG, returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'their one all we can her has there been if more when will would who so no out up into them some could time only new ' +
  'people other than then its also after first two like our over such these years way well even because any most many ' +
  'city river market council research study data model system network report energy water policy school health public ' +
  'support project design service software browser page article summary reader author evidence question answer result ' +
  'history century government industry community language science culture economy village station bridge harbour ' +
  'railway festival museum library garden mountain forest island coast weather season harvest winter summer morning ' +
  'evening journey engineer teacher doctor farmer student writer committee member council officer manager customer ' +
  'increase decrease measure compare describe explain suggest require provide include consider develop maintain ' +
  'improve reduce announce publish collect observe estimate argue remain become appear happen continue produce ' +
  'important significant recent local national regional annual careful detailed practical modern ancient narrow broad ' +
  'quickly slowly rarely often usually clearly nearly mostly largely roughly frankly simply already however therefore ' +
  'meanwhile although whereas unless because despite during between against through across around toward beyond ' +
  'café naïve façade résumé coöperation Zürich São Paulo Kraków Malmö Ærø 東京 Ελλάδα Москва'
).split(' ');

const NAMES = ['Ada', 'Bertrand', 'Chiara', 'Dmitri', 'Eun-ji', 'Farid', 'Greta', 'Hiroshi', 'Imani', 'João', 'Katarzyna', 'Luis'];

export interface Prose {
  word(): string;
  sentence(): string;
  paragraph(): string;
  /** A short capitalised phrase, for headings and titles. */
  title(words?: number): string;
  name(): string;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  random: () => number;
}

export function prose(seed: number): Prose {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const word = () => pick(WORDS);
  function sentence(): string {
    const n = 8 + int(18);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = word();
      const r = random();
      if (r < 0.04) w = String(int(2000) + 1);
      else if (r < 0.06) w = pick(NAMES);
      else if (r < 0.065) w = `“${w}”`;
      parts.push(w);
      if (i > 2 && i < n - 2 && random() < 0.12) parts[parts.length - 1] += ',';
    }
    const end = random() < 0.08 ? '?' : random() < 0.05 ? '!' : '.';
    return `${capital(parts.join(' '))}${end}`;
  }
  const paragraph = () => Array.from({ length: 3 + int(5) }, sentence).join(' ');
  const title = (words = 3 + int(5)) => capital(Array.from({ length: words }, word).join(' '));
  return { word, sentence, paragraph, title, name: () => pick(NAMES), int, pick, random };
}

/** About `chars` characters of paragraphs separated by blank lines, cut at a sentence end. */
export function proseText(seed: number, chars: number): string {
  const p = prose(seed);
  const out: string[] = [];
  let length = 0;
  while (length < chars) {
    const next = p.paragraph();
    out.push(next);
    length += next.length + 2;
  }
  return out.join('\n\n').slice(0, chars);
}
