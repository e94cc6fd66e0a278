// Long text → chunks that each fit a token budget, cut on structure and chosen by content.
//
// Chunk summaries are cached by request, so after a small edit the unchanged chunks must come out
// byte-identical. Greedy packing from the top would move every later boundary when one paragraph
// grows; instead, whether a boundary is a cut point depends only on the paragraph before it (a hash
// of its text, weighted by its length and by the heading after it), the way content-defined
// chunking in backup tools works. An edit moves at most the cuts near it; later ones line up again.
import { cutsAt, headingLevel, splitBlocks, trimSpan, type Span } from './segment';

export type CountTokens = (text: string) => number;

export interface ChunkOptions {
  /** Most tokens in one chunk's text, overlap included. */
  budget: number;
  count: CountTokens;
  /** Tokens repeated from the end of the previous chunk for context (default: 100, at most 10% of the budget). */
  overlapTokens?: number;
}

export interface Chunk {
  /** What to send: the overlap (if any), a blank line, then the chunk's own text. */
  text: string;
  /** Tokens of `text`: counted exactly near the budget, else its parts' counts plus their joins'. */
  tokens: number;
  /** The chunk's own text is `source.slice(start, end)`; consecutive chunks never share any of it. */
  start: number;
  end: number;
  overlap: string;
}

/** A smallest piece the packer moves as a whole: a block, or a part of one too big for a chunk. */
export interface Unit extends Span {
  tokens: number;
  /** Heading level when the unit is a heading, else 0: cuts prefer to fall before headings. */
  heading: number;
  /** Decides, with the unit's size, whether a cut may follow it. */
  hash: number;
}

/** Smallest budget we accept: every code point must fit on its own (at most 4 byte tokens). */
export const minChunkBudget = 8;

/** FNV-1a: fast, and stable across runs and platforms, which is all a cut decision needs. */
export function fnv1a(text: string, start = 0, end = text.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function makeUnit(text: string, span: Span, tokens: number): Unit {
  return { ...span, tokens, heading: headingLevel(text, span.start), hash: fnv1a(text, span.start, span.end) };
}

/**
 * Splits a span that is over `limit` at the coarsest level that gets every piece under it, packing
 * neighbouring pieces greedily. Greedy is fine here: it only moves cuts inside this one block.
 */
function splitOversized(text: string, span: Span, limit: number, count: CountTokens, level: number, out: Unit[]) {
  const cuts = cutsAt(level, text, span);
  if (!cuts) throw new RangeError(`A single character needs more than ${limit} tokens.`);
  const bounds = [span.start, ...cuts, span.end];
  let partStart = span.start;
  let partTokens = 0;
  const flush = (end: number) => {
    const part = trimSpan(text, { start: partStart, end });
    partStart = end;
    partTokens = 0;
    if (part.end <= part.start) return;
    const tokens = count(text.slice(part.start, part.end));
    // Joined pieces can tokenize to more than the sum of their parts: the real count decides.
    if (tokens <= limit) out.push(makeUnit(text, part, tokens));
    else splitOversized(text, part, limit, count, level + 1, out);
  };
  for (let i = 1; i < bounds.length; i++) {
    const piece: Span = { start: bounds[i - 1] ?? span.start, end: bounds[i] ?? span.end };
    const tokens = count(text.slice(piece.start, piece.end));
    if (tokens > limit) {
      if (piece.start > partStart) flush(piece.start);
      const trimmed = trimSpan(text, piece);
      splitOversized(text, trimmed, limit, count, level + 1, out);
      partStart = piece.end;
      continue;
    }
    if (partTokens > 0 && partTokens + tokens > limit) flush(piece.start);
    partTokens += tokens;
  }
  if (bounds.length > 1 && partStart < span.end) flush(span.end);
}

/** Blocks of `text` as units, each at most `limit` tokens. */
export function toUnits(text: string, limit: number, count: CountTokens): Unit[] {
  const units: Unit[] = [];
  for (const block of splitBlocks(text)) {
    const tokens = count(text.slice(block.start, block.end));
    if (tokens <= limit) units.push(makeUnit(text, block, tokens));
    else splitOversized(text, block, limit, count, 0, units);
  }
  return units;
}

const headingWeight = [1, 16, 8, 4, 2, 2, 2];

export interface PackOptions {
  budget: number;
  /** Tokens that joining unit i to unit i − 1 adds beyond their own counts (the separator, mostly). */
  junction: (i: number) => number;
  /** Exact tokens of units[a..b) joined as they will be sent. */
  exactTokens: (a: number, b: number) => number;
  /** Share of the budget a chunk holds before a cut point may end it (default 0.3). */
  minShare?: number;
  /** Mean distance between cut points, as a share of the budget (default 0.35). */
  spacingShare?: number;
}

/** Above this share of the budget an estimated chunk is counted exactly before it is accepted. */
const verifyAbove = 0.95;

/**
 * Groups consecutive units into ranges [a, b) within the budget. A cut is taken at the first
 * content-chosen cut point once a chunk holds 30% of the budget, or forced when the next unit
 * would not fit. Returns the ranges with their token counts.
 */
export function packUnits(units: readonly Unit[], opts: PackOptions): Array<{ a: number; b: number; tokens: number }> {
  const { budget, junction, exactTokens } = opts;
  const minTokens = budget * (opts.minShare ?? 0.3);
  // Mean distance in tokens between cut points: with the minimum above, chunks average about
  // two thirds of the budget, and a forced cut (no cut point before the budget runs out) is rare.
  const spacing = budget * (opts.spacingShare ?? 0.35);
  const ranges: Array<{ a: number; b: number; tokens: number }> = [];
  const isCutPoint = (i: number) => {
    const before = units[i - 1];
    const after = units[i];
    if (!before || !after) return false;
    const odds = Math.min(1, (before.tokens / spacing) * (headingWeight[after.heading] ?? 1));
    return before.hash / 0x1_0000_0000 < odds;
  };
  let a = 0;
  while (a < units.length) {
    let acc = units[a]?.tokens ?? 0;
    let b = a + 1;
    for (; b < units.length; b++) {
      const added = junction(b) + (units[b]?.tokens ?? 0);
      if (acc + added > budget) break;
      if (acc >= minTokens && isCutPoint(b)) break;
      acc += added;
    }
    // The estimate is the sum of parts plus what each join adds; near the budget, trust only a
    // real count of the joined text.
    if (acc > budget * verifyAbove && b - a > 1) {
      acc = exactTokens(a, b);
      while (acc > budget && b - a > 1) {
        b--;
        acc = exactTokens(a, b);
      }
    }
    ranges.push({ a, b, tokens: acc });
    a = b;
  }
  return ranges;
}

/** `start` moved forward off a low surrogate, so a slice from it begins with a whole code point. */
function codePointStart(text: string, start: number): number {
  const c = text.charCodeAt(start);
  return c >= 0xdc00 && c <= 0xdfff ? start + 1 : start;
}

/** `end` moved back off a high surrogate, so a slice up to it ends with a whole code point. */
function codePointEnd(text: string, end: number): number {
  const c = text.charCodeAt(end - 1);
  return c >= 0xd800 && c <= 0xdbff ? end - 1 : end;
}

/**
 * What joining two spans adds to their separate counts. BPE tokenizers split text into pieces by
 * a regex before merging, so the join only changes the pieces right around it: a window of a few
 * dozen characters either side gives the difference without counting everything again.
 */
export function joinCost(source: string, left: Span, right: Span, count: CountTokens, window = 48): number {
  const l = source.slice(codePointStart(source, Math.max(left.start, left.end - window)), left.end);
  const r = source.slice(right.start, codePointEnd(source, Math.min(right.end, right.start + window)));
  const sep = source.slice(left.end, right.start);
  return count(l + sep + r) - count(l) - count(r);
}

/** The end of `text` from a sentence boundary, at most `max` tokens, or ''. */
function tail(text: string, max: number, count: CountTokens): string {
  if (max <= 0 || !text) return '';
  if (count(text) <= max) return text;
  const sentenceStarts = cutsAt(1, text, { start: 0, end: text.length }) ?? [];
  // The shortest tail is checked first: most tails are one or two sentences.
  let best = '';
  for (let i = sentenceStarts.length - 1; i >= 0; i--) {
    const candidate = text.slice(sentenceStarts[i]).trim();
    if (count(candidate) > max) break;
    best = candidate;
  }
  return best;
}

/** Packs units of `source` (spans at most `budget` tokens each) into ranges within the budget. */
export function packSpans(source: string, units: readonly Unit[], budget: number, count: CountTokens) {
  const sliceOf = (a: number, b: number) => source.slice(units[a]?.start ?? 0, units[b - 1]?.end ?? 0);
  const junction = (i: number) => {
    const left = units[i - 1];
    const right = units[i];
    return left && right ? joinCost(source, left, right, count) : 0;
  };
  return packUnits(units, { budget, junction, exactTokens: (a, b) => count(sliceOf(a, b)) });
}

export function chunkText(source: string, opts: ChunkOptions): Chunk[] {
  const { budget, count } = opts;
  if (!(budget >= minChunkBudget)) throw new RangeError(`Chunk budget ${budget} is below ${minChunkBudget} tokens.`);
  const overlapMax = Math.max(0, Math.min(opts.overlapTokens ?? 100, Math.floor(budget * 0.1)));
  // Two tokens for the blank line between the overlap and the chunk's own text.
  const bodyBudget = overlapMax > 0 && budget - overlapMax - 2 >= minChunkBudget ? budget - overlapMax - 2 : budget;
  const units = toUnits(source, bodyBudget, count);
  const ranges = packSpans(source, units, bodyBudget, count);

  return ranges.map(({ a, b, tokens }, i): Chunk => {
    const start = units[a]?.start ?? 0;
    const end = units[b - 1]?.end ?? 0;
    const body = source.slice(start, end);
    const prevUnit = i > 0 ? units[a - 1] : undefined;
    const overlap = prevUnit && bodyBudget < budget ? tail(source.slice(prevUnit.start, prevUnit.end), overlapMax, count) : '';
    if (overlap) {
      const text = `${overlap}\n\n${body}`;
      const head = body.slice(0, codePointEnd(body, Math.min(body.length, 48)));
      let withOverlap = tokens + count(`${overlap}\n\n${head}`) - count(head);
      if (withOverlap > budget * verifyAbove) withOverlap = count(text);
      if (withOverlap <= budget) return { text, tokens: withOverlap, start, end, overlap };
    }
    return { text: body, tokens, start, end, overlap: '' };
  });
}
