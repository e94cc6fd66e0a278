// The lines above an article's first paragraph that only say where and when it appeared:
// "Published 11:11 PM EST Nov 19, 2019", "By Jane Doe and John Roe", "Updated Nov 19;Posted Nov 18",
// the headline again. Byline and title travel as fields of their own (PageContent); in the text they
// are tokens the model is paid to read and a summary never uses.

/** A block this long is prose: the lead ends at the first one. */
const proseChars = 120;
/** Only the first few blocks: further down, a short dated line is part of the story. */
const maxLeadBlocks = 8;
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

function isMeta(block: string, title: string): boolean {
  const line = block.replace(/^(?:#+|[-*]|\d+\.)\s+/, '').trim();
  if (line.length > maxMetaChars || line.includes('\n')) return false;
  if (title && line.toLowerCase() === title.toLowerCase()) return true;
  return datePattern.test(line) || metaStart.test(line);
}

/** `text` (blocks separated by blank lines) without the dateline, byline and title lines that open it. */
export function withoutLeadMeta(text: string, title: string): string {
  const blocks = text.split('\n\n');
  let lead = 0;
  while (lead < blocks.length && lead < maxLeadBlocks && blocks[lead]!.length < proseChars) lead++;
  const kept = blocks.slice(0, lead).filter((block) => !isMeta(block, title));
  return kept.length === lead ? text : [...kept, ...blocks.slice(lead)].join('\n\n');
}
