// Citations as the model writes them, after a point: "¶3", "¶3,¶7", "¶3, 7", "¶4-6", in brackets
// or not. One pattern, shared by the renderer (chips) and by tests and benchmarks.
import { unitMark } from '../extract/units';

/** A range this long is a model's invention, not a citation: a chip per unit would fill the line. */
const maxRange = 10;

const item = `${unitMark}?\\s?\\d{1,6}(?:\\s?[-–]\\s?${unitMark}?\\d{1,6})?`;
/**
 * At the start of the input: blanks before it (dropped with it), an optional bracket, a first "¶n",
 * then more numbers after commas. Sticky-free so callers can anchor it where they stand.
 */
export const citationAt = new RegExp(`^[ \\t]*[\\[(（]?${unitMark}\\s?\\d{1,6}(?:\\s?[-–]\\s?${unitMark}?\\d{1,6})?(?:\\s?[,，、;]\\s?${item})*[\\])）]?`, 'u');

/** Where a citation might start in `src` (the blanks before it included), or -1. */
export function citationStart(src: string): number {
  const at = src.indexOf(unitMark);
  if (at < 0) return -1;
  let start = at;
  if (start > 0 && '[(（'.includes(src[start - 1]!)) start--;
  while (start > 0 && (src[start - 1] === ' ' || src[start - 1] === '\t')) start--;
  return start;
}

/** The unit numbers a matched citation names, in order, without repeats. */
export function citedUnits(match: string): number[] {
  const units: number[] = [];
  for (const [, a, b] of match.matchAll(/(\d{1,6})(?:\s?[-–]\s?¶?(\d{1,6}))?/gu)) {
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    const last = to >= from && to - from < maxRange ? to : from;
    for (let n = from; n <= last; n++) if (!units.includes(n)) units.push(n);
  }
  return units;
}

/** Every unit `text` cites, in order of first citation (tests, the offline summary's check). */
export function citationsIn(text: string): number[] {
  const found: number[] = [];
  let rest = text;
  for (let at = citationStart(rest); at >= 0; at = citationStart(rest)) {
    const match = citationAt.exec(rest.slice(at));
    const length = match ? match[0].length : rest.indexOf(unitMark, at) - at + 1;
    if (match) for (const n of citedUnits(match[0])) if (!found.includes(n)) found.push(n);
    rest = rest.slice(at + Math.max(length, 1));
  }
  return found;
}

/**
 * `text` without its citations: what Copy and the library give, where no chip can link to the page
 * (a unit number means nothing outside it).
 */
export function withoutCitations(text: string): string {
  const parts: string[] = [];
  let rest = text;
  for (let at = citationStart(rest); at >= 0; at = citationStart(rest)) {
    const match = citationAt.exec(rest.slice(at));
    const length = match ? match[0].length : rest.indexOf(unitMark, at) - at + 1;
    parts.push(rest.slice(0, at), match ? '' : rest.slice(at, at + length));
    rest = rest.slice(at + Math.max(length, 1));
  }
  parts.push(rest);
  return parts.join('');
}
