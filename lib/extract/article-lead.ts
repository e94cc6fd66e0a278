// The lines above an article's first paragraph that only say where and when it appeared:
// "Published 11:11 PM EST Nov 19, 2019", "By Jane Doe and John Roe", "Updated Nov 19;Posted Nov 18",
// the headline again and the standfirst under it (a summary of the summary). Byline and title travel as fields of their own (PageContent); in the text they
// are tokens the model is paid to read and a summary never uses.

/** A block this long is prose: the lead ends at the first one. */
const proseChars = 120;
/** Only the first few blocks: further down, a short dated line is part of the story. */
const maxLeadBlocks = 16;
/** Longer blocks are kept even before the first paragraph (a standfirst, a summary box). */
const maxMetaChars = 100;

const month = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const datePattern = new RegExp(
  [
    `\\b${month}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, // Nov 19, 2019
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+${month},?\\s+\\d{4}\\b`, // 19 Nov 2019
    '\\b\\d{4}-\\d\\d-\\d\\d\\b', // 2019-11-19
    '\\b\\d{1,2}[./]\\d{1,2}[./]\\d{2,4}\\b', // 19.11.2019, 11/19/2019
    '\\b\\d{1,2}:\\d\\d\\s*(?:[ap]\\.?m\\.?)\\b', // 6:55 AM
    `\\b${month}\\s+\\d{1,2}\\b.*\\b\\d{1,2}:\\d\\d\\b`, // Nov 19, 6:55
  ].join('|'),
  'i',
);
const metaStart = /^(?:by|published|updated|posted|last updated|written by|von|por|par)\b/i;

/** A heading this long is a sentence: the standfirst under the headline, not a section's name. */
const standfirstChars = 60;

function words(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Most of the heading's words are the title's: the headline again, in the site's own wording. */
function isTitle(line: string, title: string): boolean {
  const titleWords = new Set(words(title));
  const own = words(line);
  return own.length > 0 && own.filter((w) => titleWords.has(w)).length >= own.length * 0.8;
}

/** The first block of the article's own text: a long one, or a sentence. */
function isProse(block: string): boolean {
  if (block.startsWith('#')) return false;
  return block.length >= proseChars || (block.length >= 40 && /[.!?…:"”»)]$/.test(block.trim()));
}

/**
 * A gallery's counter, or a control's label ("Sign In", "Close", "Caption"): one or two Latin words
 * standing alone (a CJK sentence is one "word" to this pattern).
 */
const widgetLine = /^(?:image\s+\d+\s+of\b.*|\p{Script=Latin}+(?: \p{Script=Latin}+)?)$/iu;
const urlLine = /^https?:\/\/\S+$/i;
/** A wire story's byline: "Robert Burns, AP National Security Writer", "Jane Doe, Associated Press". */
const wireByline = /,\s*(?:(?:ap|afp|reuters|upi)\b.*\bwriter|associated press|reuters|afp|bloomberg|upi)$/i;

function isMetaLine(raw: string, title: string, single: boolean): boolean {
  const line = raw.replace(/^(?:[-*]|\d+\.)\s+/, '').trim();
  if (urlLine.test(line)) return true;
  if (line.length > maxMetaChars) return false;
  if (title && line.toLowerCase() === title.toLowerCase()) return true;
  return (single && widgetLine.test(line)) || datePattern.test(line) || metaStart.test(line) || wireByline.test(line);
}

function isMeta(block: string, title: string, beforeProse: boolean): boolean {
  if (block.startsWith('#')) {
    // A heading goes only above the first sentence: further down it is the story's (an interview's question).
    const line = block.replace(/^#+\s+/, '').trim();
    return beforeProse && !line.includes('\n') && (line.length > standfirstChars || isTitle(line, title));
  }
  // A list of dates and bylines too; a list of one-word items is content (ingredients, terms).
  const lines = block.split('\n');
  return lines.every((line) => isMetaLine(line, title, lines.length === 1));
}

/** `text` (blocks separated by blank lines) without the dateline, byline and title lines that open it. */
export function withoutLeadMeta(text: string, title: string): string {
  const blocks = text.split('\n\n');
  // The lead: the short blocks above the first long paragraph (a disclaimer sentence may sit among them).
  let lead = 0;
  while (lead < blocks.length && lead < maxLeadBlocks && (blocks[lead]!.length < proseChars || blocks[lead]!.startsWith('#'))) lead++;
  let firstSentence = 0;
  while (firstSentence < lead && !isProse(blocks[firstSentence]!)) firstSentence++;
  const kept = blocks.slice(0, lead).filter((block, i) => !isMeta(block, title, i < firstSentence));
  return kept.length === lead ? text : [...kept, ...blocks.slice(lead)].join('\n\n');
}
