// Citable units of extracted text: paragraphs, list items, table rows (a thread's posts are their
// paragraphs). The background numbers them in what it sends the model; the page reader numbers the
// same text the same way to find each unit on the page. One function decides, so both agree.

/** Prefixed to every unit sent to the model, and what the model cites with: "¶12" costs 2 tokens. */
export const unitMark = '¶';

export interface TextUnit {
  /** 1-based: what the model sees and cites. */
  n: number;
  /** The unit is `text.slice(start, end)`, its markers (list bullet, table pipes) included. */
  start: number;
  end: number;
}

/**
 * Where a unit is. Each reader fills in its own kind: the page reader finds DOM text, a video's
 * transcript has times, a PDF has pages (those two are other readers' work).
 */
export type UnitPlace =
  /** The bounds of the unit's text in the page, as `new StaticRange()` takes them. */
  | { kind: 'dom'; range: StaticRangeInit }
  | { kind: 'time'; seconds: number }
  | { kind: 'pdf-page'; page: number };

// Tested where each line starts (sticky), so a 1 MB text is not copied line by line.
const fence = /[ \t]*(?:```|~~~)/y;
const heading = /[ \t]*#{1,6}[ \t]/y;
/** A list item or a table row starts a unit of its own, though it has no blank line before it. */
const itemStart = /[ \t]*(?:[-*+•]|\d{1,9}[.)]|\|)/y;
/** A table's `| --- | :-: |` line says nothing. */
const tableRule = /[ \t]*\|[ \t|:-]*\|[ \t\r]*(?:\n|$)/y;
const blankLine = /[ \t\r\f\v\u00a0]*(?:\n|$)/y;

function at(pattern: RegExp, text: string, index: number): boolean {
  pattern.lastIndex = index;
  return pattern.test(text);
}

const isBlank = (code: number) => code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0c || code === 0x0b || code === 0xa0;

/**
 * A unit shorter than this (in characters) takes in the units after it, up to a heading or code:
 * each "¶12 " costs about 2 tokens, which on a page of one-line posts or list items would add over
 * 5% to the prompt. About 35 English words (a CJK character reads as a token or more, so CJK units
 * merge less than they could, never more). Measured in bench/citations.bench.ts.
 */
export const minUnitChars = 200;

/**
 * The units of `text`. Headings and code blocks are left out: a heading states no fact, and a code
 * block would be cut by a mark inside its fence. Paragraphs, list items and table rows shorter than
 * `minChars` are merged with those after them (never across a heading or code), left to right, so
 * that a prefix of a text has the same units as the whole, up to where it is cut.
 */
export function splitUnits(text: string, minChars = minUnitChars): TextUnit[] {
  const units: TextUnit[] = [];
  /** The unit being merged, and whether a heading or code lies between it and the next piece. */
  let group: { start: number; end: number } | undefined;
  const emit = () => {
    if (group) units.push({ n: units.length + 1, ...group });
    group = undefined;
  };
  const add = (piece: { start: number; end: number }) => {
    if (group) group.end = piece.end;
    else group = { ...piece };
    if (group.end - group.start >= minChars) emit();
  };
  let open: { start: number; end: number } | undefined;
  let inFence = false;
  const close = () => {
    if (open) add(open);
    open = undefined;
  };
  const barrier = () => {
    close();
    emit();
  };
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    if (at(fence, text, lineStart)) {
      barrier();
      inFence = !inFence;
    } else if (inFence) {
      // Inside code: no units.
    } else if (at(heading, text, lineStart)) {
      barrier();
    } else if (at(blankLine, text, lineStart) || at(tableRule, text, lineStart)) {
      close();
    } else {
      let first = lineStart;
      while (isBlank(text.charCodeAt(first))) first++;
      let last = lineEnd;
      while (last > first && isBlank(text.charCodeAt(last - 1))) last--;
      if (at(itemStart, text, lineStart) || !open) {
        close();
        open = { start: first, end: last };
      } else {
        // A wrapped line (a line break inside a paragraph, an item's second paragraph).
        open.end = last;
      }
    }
    lineStart = lineEnd + 1;
  }
  close();
  emit();
  return units;
}

/** `text` with "¶n " before each unit: what the model reads. */
export function numberUnits(text: string, units: readonly TextUnit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const unit of units) {
    parts.push(text.slice(at, unit.start), `${unitMark}${unit.n} `);
    at = unit.start;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

const itemMarker = /^\s*(?:[-*+•]|\d{1,9}[.)])\s+/;
const tableRuleLine = /^\s*\|[\s|:-]*\|\s*$/;

/** One line of a unit as the page shows it: without the list marker or table pipes extraction added. */
function lineText(line: string): string {
  if (line.trimStart().startsWith('|')) return line.trim().replace(/^\|\s*|\s*\|$/g, '').replace(/\s+\|\s+/g, ' · ');
  return line.replace(itemMarker, '');
}

/** A unit's words as the page shows them (several paragraphs or rows of a merged unit in one line). */
export function unitText(text: string, unit: TextUnit): string {
  return text
    .slice(unit.start, unit.end)
    .split('\n')
    .filter((line) => line.trim() && !tableRuleLine.test(line))
    .map(lineText)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const cjkRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const wordRun = /[\p{L}\p{N}]+/gu;

/** Words as readers count them: each ideograph or kana counts as one, as CJK word counts do. */
export function countWords(text: string): number {
  const cjk = text.match(cjkRun)?.length ?? 0;
  const words = text.replace(cjkRun, ' ').match(wordRun)?.length ?? 0;
  return cjk + words;
}
