// Where text may be cut, from coarsest to finest: blocks (paragraphs, headings, fenced code), lines,
// sentences, words, graphemes, code points. Every offset returned lies between two code points, so
// no cut ever separates the halves of a surrogate pair.

export interface Span {
  start: number;
  end: number;
}

/** Heading level of a Markdown-ish block (`## Title` → 2), or 0. */
export function headingLevel(text: string, start: number): number {
  let level = 0;
  while (level < 7 && text.charCodeAt(start + level) === 0x23 /* # */) level++;
  return level >= 1 && level <= 6 && text.charCodeAt(start + level) === 0x20 ? level : 0;
}

/**
 * Paragraph-level blocks: runs of non-blank lines. A fenced code block (```) is one block even
 * with blank lines inside, so code is never cut between a function's halves unless it must be.
 */
export function splitBlocks(text: string): Span[] {
  const blocks: Span[] = [];
  let blockStart = -1;
  let blockEnd = -1;
  let inFence = false;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const blank = line.trim() === '';
    if (!blank && line.trimStart().startsWith('```')) inFence = !inFence;
    if (blank && !inFence) {
      if (blockStart !== -1) blocks.push({ start: blockStart, end: blockEnd });
      blockStart = -1;
    } else {
      if (blockStart === -1) blockStart = lineStart;
      if (!blank) blockEnd = lineStart + line.trimEnd().length;
    }
    lineStart = lineEnd + 1;
  }
  if (blockStart !== -1) blocks.push({ start: blockStart, end: blockEnd });
  return blocks;
}

type Granularity = 'sentence' | 'word' | 'grapheme';

const segmenters = new Map<Granularity, Intl.Segmenter | null>();

function segmenter(granularity: Granularity): Intl.Segmenter | null {
  if (!segmenters.has(granularity)) {
    segmenters.set(granularity, typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity }) : null);
  }
  return segmenters.get(granularity) ?? null;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Offsets strictly inside (start, end) after which `pattern` matched. */
function regexCuts(text: string, span: Span, pattern: RegExp): number[] {
  const cuts: number[] = [];
  const slice = text.slice(span.start, span.end);
  for (const m of slice.matchAll(pattern)) {
    const at = span.start + (m.index ?? 0) + m[0].length;
    if (at > span.start && at < span.end) cuts.push(at);
  }
  return cuts;
}

function segmenterCuts(text: string, span: Span, granularity: Granularity): number[] | null {
  const seg = segmenter(granularity);
  if (!seg) return null;
  const cuts: number[] = [];
  for (const s of seg.segment(text.slice(span.start, span.end))) {
    if (s.index > 0) cuts.push(span.start + s.index);
  }
  return cuts;
}

function codePointCuts(text: string, span: Span): number[] {
  const cuts: number[] = [];
  for (let i = span.start + 1; i < span.end; i++) {
    if (!isHighSurrogate(text.charCodeAt(i - 1))) cuts.push(i);
  }
  return cuts;
}

/** The cut offsets of one level, finest last; `undefined` past the finest. */
export function cutsAt(level: number, text: string, span: Span): number[] | undefined {
  switch (level) {
    case 0:
      return regexCuts(text, span, /\n/g);
    case 1:
      return segmenterCuts(text, span, 'sentence') ?? regexCuts(text, span, /[.!?。！？]+["'”’)\]]*\s*/gu);
    case 2:
      return segmenterCuts(text, span, 'word') ?? regexCuts(text, span, /\s+/g);
    case 3:
      return segmenterCuts(text, span, 'grapheme') ?? codePointCuts(text, span);
    case 4:
      return codePointCuts(text, span);
    default:
      return undefined;
  }
}

/** Narrows a span to exclude surrounding whitespace. */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return { start, end };
}
