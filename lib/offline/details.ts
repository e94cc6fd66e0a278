// "Details worth keeping" without a model: sentences dense in the things a reader comes back for
// (numbers, dates, amounts, names, titles). A count of surface patterns, nothing cleverer: good
// enough to surface "The plant cost $4.2 million and opened on 3 May 2021", and cheap.

const patterns: RegExp[] = [
  // Numbers with their unit or sign: 3.5%, $4.2, 1,200, 2021, 12:30, 1750亿.
  /[$€£¥₹]?\p{Nd}+(?:[.,:/]\p{Nd}+)*\s?(?:%|％|percent|per cent)?/gu,
  // Chinese numerals with a counter or unit: 三成, 两千万, 十二月.
  /[零〇一二两三四五六七八九十百千万亿]+[年月日号个位名项次倍成元万亿]/gu,
  /\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b/g,
  // Capitalised runs after a sentence's first word: people, places, organisations, acronyms.
  /(?<=[\p{L}\p{N},;:)"”’] +)\p{Lu}[\p{L}\p{N}'’&.-]*(?: +(?:of |de |van |von )?\p{Lu}[\p{L}\p{N}'’&.-]*)*/gu,
  // Titles and quoted terms: 《三体》, “双碳”, “net zero”.
  /[《「『“][^》」』”]{1,40}[》」』”]/gu,
];

/** How many facts `sentence` states, as far as the patterns see. */
export function factCount(sentence: string): number {
  let n = 0;
  for (const pattern of patterns) n += sentence.match(pattern)?.length ?? 0;
  return n;
}
