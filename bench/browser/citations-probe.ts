// The page side of citations measured on the live page in Chromium (bundled by the browser harness
// and run in the page, like the page reader): extraction alone (the peer), then the unit map of the
// extracted text, timed apart on the same load. bench/citations.bench.ts drives it.
import { extractPage } from '../../lib/extract/page';
import { buildUnitMap, placeOf, prepare } from '../../lib/extract/unit-map';

export interface UnitMapSample {
  extractMs: number;
  mapMs: number;
  /** The first citation shown: indexing the page's text and finding every unit in it, ms. */
  firstUseMs: number;
  /** The first citation shown when the page reader indexed the page while it was idle (the page reader does), ms. */
  preparedFirstUseMs: number;
  /** That idle indexing, off the click's path, ms. */
  prepareMs: number;
  /** Finding one unit again after its nodes were replaced (a re-render), ms. */
  reresolveMs: number;
  units: number;
  found: number;
  htmlChars: number;
  text: string;
}

export function unitMapTimed(): UnitMapSample {
  const t0 = performance.now();
  const page = extractPage(document, location.href);
  const t1 = performance.now();
  const map = buildUnitMap(document.body, page.text, 'bench');
  const t2 = performance.now();
  // The first citation shown: the middle unit.
  const middle = Math.ceil(map.units.length / 2);
  const place = middle > 0 ? placeOf(map, middle) : undefined;
  const firstUseMs = performance.now() - t2;
  const found = map.found.filter(Boolean).length;
  // As the page reader does it: the page indexed when idle, then the first click.
  const prepared = buildUnitMap(document.body, page.text, 'bench-prepared');
  const t4 = performance.now();
  prepare(prepared);
  const t5 = performance.now();
  if (middle > 0) placeOf(prepared, middle);
  const preparedFirstUseMs = performance.now() - t5;
  const prepareMs = t5 - t4;
  // A re-render: the middle unit's nodes are replaced by copies, so its place must be found again.
  let reresolveMs = 0;
  const parent = place?.range.startContainer.parentElement;
  if (parent && parent !== document.body) {
    parent.replaceWith(parent.cloneNode(true));
    const t3 = performance.now();
    placeOf(map, middle);
    reresolveMs = performance.now() - t3;
  }
  return {
    extractMs: t1 - t0,
    mapMs: t2 - t1,
    firstUseMs,
    preparedFirstUseMs,
    prepareMs,
    reresolveMs,
    units: map.units.length,
    found,
    htmlChars: document.documentElement.outerHTML.length,
    text: page.text,
  };
}
