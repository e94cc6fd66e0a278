// Unit number → where that unit is on the page. Extraction may read a copy of the page (Readability
// rewrites the tree it reads), so units are found in the live page by their text: its letters and
// digits only, which survive what extraction does to markup, spacing and list markers. The map
// keeps the text nodes it found; when a page re-renders and those are gone, the unit is found again
// by its text. Takes the Document as an argument, like extraction, so it runs on fixtures in tests.
import { splitUnits, unitText, unitsKey, type UnitPlace } from './units';

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
  /** Names the extracted text the units were numbered in (see `unitsKey`). */
  key: string;
  /** Each unit's text, as the page shows it: a citation's quote. */
  texts: string[];
  /** Where each unit was found in `index`, if it was. */
  found: (Found | undefined)[];
  index: TextIndex;
  root: Node;
}

const notLetters = /[^\p{L}\p{N}]+/gu;
const letterOrDigit = /[\p{L}\p{N}]/u;
const skipped = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA']);

/** Letters and digits only: what a unit and the page have in common whatever the markup did. */
export const letters = (text: string): string => text.replace(notLetters, '');

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

/** The units of `text` (the extraction's, as sent), found under `root`. */
export function buildUnitMap(root: Node, text: string): UnitMap {
  const index = indexText(root);
  const texts: string[] = [];
  const found: (Found | undefined)[] = [];
  let from = 0;
  for (const unit of splitUnits(text.trim())) {
    const shown = unitText(text.trim(), unit);
    texts.push(shown);
    const at = find(index, letters(shown), from);
    found.push(at);
    if (at) from = at.end;
  }
  return { key: unitsKey(text), texts, found, index, root };
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
  for (let i = 0; i < data.length; ) {
    const code = data.codePointAt(i) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    if (letterOrDigit.test(String.fromCodePoint(code))) {
      if (remaining === 0) return { node, offset: after ? closingPunctuation(data, i + width) : i };
      remaining--;
    }
    i += width;
  }
  return undefined;
}

/** Past the punctuation that ends a unit's last word ("pods.", "2027)"), up to the next space or letter. */
function closingPunctuation(data: string, offset: number): number {
  let end = offset;
  while (end < data.length && !/[\s\p{L}\p{N}]/u.test(data[end]!)) end++;
  return end;
}

function rangeOf(index: TextIndex, at: Found): StaticRange | undefined {
  const start = position(index, at.start, false);
  const end = position(index, at.end, true);
  if (!start || !end) return undefined;
  return new StaticRange({ startContainer: start.node, startOffset: start.offset, endContainer: end.node, endOffset: end.offset });
}

/** Whether `range` still covers unit text `want` in the live page. */
function holds(range: StaticRange, want: string): boolean {
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
  const text = map.texts[n - 1];
  if (text === undefined) return undefined;
  const want = letters(text);
  const holding = (at: Found | undefined) => {
    const range = at && rangeOf(map.index, at);
    return range && holds(range, want) ? range : undefined;
  };
  let range = holding(map.found[n - 1]) ?? holding(find(map.index, want, 0));
  if (!range) {
    // The page changed under the index: read it again (offsets into the old one mean nothing now).
    if (!map.root.isConnected && map.root.ownerDocument?.body) map.root = map.root.ownerDocument.body;
    map.index = indexText(map.root);
    map.found = map.found.map(() => undefined);
    const again = find(map.index, want, 0);
    map.found[n - 1] = again;
    range = holding(again);
  }
  return range ? { kind: 'dom', range } : undefined;
}
