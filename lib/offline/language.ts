// Which language a page is in, as far as an offline summary needs to know: which headings to use and
// whether its words are separated by spaces.

export interface SummaryHeadings {
  tldr: string;
  keyPoints: string;
  details: string;
}

const english: SummaryHeadings = { tldr: 'TL;DR', keyPoints: 'Key points', details: 'Details worth keeping' };
const simplifiedChinese: SummaryHeadings = { tldr: '一句话总结', keyPoints: '要点', details: '值得保留的细节' };
const traditionalChinese: SummaryHeadings = { tldr: '一句話總結', keyPoints: '要點', details: '值得保留的細節' };

/** Enough text to tell scripts apart; counting more would only cost time on long pages. */
const sample = 20_000;
const letter = /\p{L}/u;

interface ScriptCounts {
  han: number;
  kana: number;
  hangul: number;
  letters: number;
}

function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = { han: 0, kana: 0, hangul: 0, letters: 0 };
  const end = Math.min(text.length, sample);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) counts.letters++;
    } else if ((code >= 0x3400 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xd840 && code <= 0xd87f)) {
      counts.han++;
      counts.letters++;
    } else if (code >= 0x3040 && code <= 0x30ff) {
      counts.kana++;
      counts.letters++;
    } else if ((code >= 0xac00 && code <= 0xd7af) || (code >= 0x1100 && code <= 0x11ff) || (code >= 0x3130 && code <= 0x318f)) {
      counts.hangul++;
      counts.letters++;
    } else if (letter.test(text[i] ?? '')) {
      counts.letters++;
    }
  }
  return counts;
}

/**
 * The language the script says, among those that need it: one ideograph carries about as much as a
 * short word, so a page is Chinese well before ideographs are most of its letters.
 */
function languageByScript(counts: ScriptCounts): string | undefined {
  if (counts.letters === 0) return undefined;
  if (counts.kana > 0.05 * counts.letters) return 'ja';
  if (counts.hangul > 0.3 * counts.letters) return 'ko';
  if (counts.han >= 0.3 * counts.letters) return 'zh';
  return undefined;
}

const cjk = new Set(['zh', 'ja', 'ko']);

/** "zh-Hant-TW" → "zh-Hant", "zh_CN" → "zh", "EN-us" → "en". */
function normalise(tag: string): string {
  const parts = tag.trim().replace(/_/g, '-').split('-');
  const primary = (parts[0] ?? '').toLowerCase();
  if (primary !== 'zh') return primary;
  const rest = parts.slice(1).map((p) => p.toLowerCase());
  const traditional = rest.includes('hant') || (!rest.includes('hans') && rest.some((p) => ['tw', 'hk', 'mo'].includes(p)));
  return traditional ? 'zh-Hant' : 'zh';
}

/**
 * The page's language: the caller's choice, else `page.lang`, else its script ("en" when the script
 * says nothing). Site templates often declare lang="en" around Chinese text, so a declared language
 * that the script plainly contradicts gives way to the script.
 */
export function pageLanguage(text: string, declared?: string, override?: string): string {
  if (override?.trim()) return normalise(override);
  const counts = countScripts(text);
  const byScript = languageByScript(counts);
  const tag = declared?.trim() ? normalise(declared) : '';
  if (!tag) return byScript ?? 'en';
  const primary = tag.split('-')[0] ?? tag;
  if (byScript && !cjk.has(primary) && counts.han + counts.kana + counts.hangul > 0.5 * counts.letters) return byScript;
  if (cjk.has(primary) && !byScript && counts.letters > 200) return 'en';
  return tag;
}

export function headingsFor(language: string): SummaryHeadings {
  if (language === 'zh-Hant') return traditionalChinese;
  if (language.startsWith('zh')) return simplifiedChinese;
  return english;
}
