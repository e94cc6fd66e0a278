// Unit number → where that unit is on the page. Extraction may read a copy of the page (Readability
// rewrites the tree it reads), so units are found in the live page by their text: its letters and
// digits only, which survive what extraction does to markup, spacing and list markers.
//
// Built with the extraction, the map holds each unit's text; the page's text is indexed (one walk
// over its text nodes, some 20 ms on a 1 MB page) when a citation is first used, not on every
// extraction, and units are found in it as they are asked for. When a page re-renders and the nodes
// a unit was found in are gone, the page is indexed again and the unit found again by its text.
// Takes the Document's nodes as arguments, like extraction, so it runs on fixtures in tests.
import { splitUnits, unitText, type TextUnit, type UnitPlace } from './units';

/** The page's text as one string of letters and digits, and which text node each part came from. */
export interface TextIndex {
  nodes: Text[];
  /** `starts[i]`: where `nodes[i]`'s letters begin in `key`. */
  starts: Int32Array;
  key: string;
}

interface Found {
  start: number;
  end: number;
}

export interface UnitMap {
  /** Names the extraction whose text the units were numbered in (`PageContent.extraction`). */
  key: string;
  /** That text, trimmed, and its units: a unit's words are read from it when first needed. */
  text: string;
  units: TextUnit[];
  /** Where units were found in `index`, by unit number − 1, once asked for. */
  found: (Found | undefined)[];
  /** The page's text, from the first look-up on (and again after a re-render). */
  index?: TextIndex;
  root: Node;
}

/**
 * Spaces, controls and punctuation (ASCII, Latin-1, general and CJK punctuation, full-width forms).
 * A plain character class, not Unicode property escapes: V8 runs it several times faster, and the
 * walk over a 1 MB page must stay within a few milliseconds. Only both sides agreeing matters.
 */
const separatorClass = '\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\xbf\\u2000-\\u206f\\u3000-\\u303f\\ufe30-\\ufe4f\\uff00-\\uff0f\\uff1a-\\uff20';
const separators = new RegExp(`[${separatorClass}]+`, 'g');
const separator = new RegExp(`[${separatorClass}]`);
const skipped = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA']);

/** Letters and digits (and symbols) only: what a unit and the page have in common whatever the markup did. */
export const letters = (text: string): string => text.replace(separators, '');

export function indexText(root: Node): TextIndex {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const nodes: Text[] = [];
  const starts: number[] = [];
  const parts: string[] = [];
  let length = 0;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    const parent = node.parentNode as Element | null;
    if (parent && skipped.has(parent.nodeName)) continue;
    const part = letters(node.data);
    if (!part) continue;
    nodes.push(node);
    starts.push(length);
    parts.push(part);
    length += part.length;
  }
  return { nodes, starts: Int32Array.from(starts), key: parts.join('') };
}

/** Letters matched at each end of a unit: enough to be unique on a page, short enough to survive a small edit. */
const anchor = 32;

/** Where the unit whose letters are `unitKey` lies in `index`, looking from `from` first. */
function find(index: TextIndex, unitKey: string, from: number): Found | undefined {
  if (!unitKey) return undefined;
  const head = unitKey.slice(0, anchor);
  let start = index.key.indexOf(head, from);
  if (start < 0 && from > 0) start = index.key.indexOf(head);
  if (start < 0) return undefined;
  if (unitKey.length <= anchor) return { start, end: start + unitKey.length };
  // The tail where the unit's length says it ends; else wherever it is just after the head.
  const tail = unitKey.slice(-anchor);
  const expected = start + unitKey.length - tail.length;
  if (index.key.startsWith(tail, expected)) return { start, end: expected + tail.length };
  const tailAt = index.key.indexOf(tail, start + head.length);
  const end = tailAt >= 0 && tailAt - start < unitKey.length * 2 ? tailAt + tail.length : start + Math.min(unitKey.length, index.key.length - start);
  return { start, end };
}

/** The units of `text` (the extraction's, as sent), to be found under `root` when asked for. */
export function buildUnitMap(root: Node, text: string, key: string): UnitMap {
  const trimmed = text.trim();
  return { key, text: trimmed, units: splitUnits(trimmed), found: [], root };
}

/** Unit `n`'s words as the page shows them (a citation's quote), or undefined when there is no such unit. */
export function unitWords(map: UnitMap, n: number): string | undefined {
  const unit = map.units[n - 1];
  return unit && unitText(map.text, unit);
}

/**
 * Indexes the page (again: offsets into an older index mean nothing now) and finds every unit in
 * it, in order: each search starts where the unit before ended, so a sentence the page repeats (a
 * teaser, a quoted post) is found where this unit stands.
 */
function reindex(map: UnitMap): TextIndex {
  if (!map.root.isConnected && map.root.ownerDocument?.body) map.root = map.root.ownerDocument.body;
  const index = (map.index = indexText(map.root));
  let from = 0;
  map.found = map.units.map((unit) => {
    const at = find(index, letters(unitText(map.text, unit)), from);
    if (at) from = at.end;
    return at;
  });
  return index;
}

/**
 * Indexes the page and finds every unit now, unless done already: the page reader calls it when the
 * page is idle, so that the first citation clicked costs a look-up, not a walk over the page.
 */
export function prepare(map: UnitMap): void {
  if (!map.index) reindex(map);
}

/** Where unit `n` (1-based) is in the page's text index, indexing the page first if need be. */
export function locate(map: UnitMap, n: number): Found | undefined {
  if (!map.index) reindex(map);
  return map.found[n - 1];
}

/** The text node holding the `offset`-th letter of `index.key`, and the offset in it just before (or after) that letter. */
function position(index: TextIndex, offset: number, after: boolean): { node: Text; offset: number } | undefined {
  const { starts, nodes } = index;
  let lo = 0;
  let hi = starts.length - 1;
  const target = after ? offset - 1 : offset;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= target) lo = mid;
    else hi = mid - 1;
  }
  const node = nodes[lo];
  if (!node) return undefined;
  let remaining = target - (starts[lo] ?? 0);
  const data = node.data;
  // Code units, as `letters` counts them.
  for (let i = 0; i < data.length; i++) {
    if (separator.test(data[i]!)) continue;
    if (remaining === 0) return { node, offset: after ? closingPunctuation(data, i + 1) : i };
    remaining--;
  }
  return undefined;
}

/** Past the punctuation that ends a unit's last word ("pods.", "2027)"), up to the next space or letter. */
function closingPunctuation(data: string, offset: number): number {
  let end = offset;
  while (end < data.length && separator.test(data[end]!) && !/\s/.test(data[end]!)) end++;
  return end;
}

function rangeOf(index: TextIndex, at: Found): StaticRangeInit | undefined {
  const start = position(index, at.start, false);
  const end = position(index, at.end, true);
  if (!start || !end) return undefined;
  return { startContainer: start.node, startOffset: start.offset, endContainer: end.node, endOffset: end.offset };
}

/** Whether `range` still covers unit text `want` in the live page. */
function holds(range: StaticRangeInit, want: string): boolean {
  if (!range.startContainer.isConnected || !range.endContainer.isConnected) return false;
  const doc = range.startContainer.ownerDocument;
  if (!doc) return false;
  const live = doc.createRange();
  try {
    live.setStart(range.startContainer, range.startOffset);
    live.setEnd(range.endContainer, range.endOffset);
  } catch {
    return false;
  }
  const got = letters(live.toString());
  return got.startsWith(want.slice(0, anchor)) && got.length <= want.length * 2 + anchor;
}

/**
 * Where unit `n` (1-based) is now. Its place from the last look-up when that still holds the unit's
 * text, else found again in a fresh index of the page (a re-render replaced its nodes).
 */
export function placeOf(map: UnitMap, n: number): Extract<UnitPlace, { kind: 'dom' }> | undefined {
  const text = unitWords(map, n);
  if (text === undefined) return undefined;
  const want = letters(text);
  const holding = (at: Found | undefined) => {
    const range = at && map.index && rangeOf(map.index, at);
    return range && holds(range, want) ? range : undefined;
  };
  let range = holding(locate(map, n));
  if (!range) {
    // The page changed under the index (a re-render): read it again.
    reindex(map);
    range = holding(map.found[n - 1]) ?? (map.index && holding(find(map.index, want, 0)));
  }
  return range ? { kind: 'dom', range } : undefined;
}
