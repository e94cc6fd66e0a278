// The page side of citations measured on the live page in Chromium (bundled by the browser harness
// and run in the page, like the page reader): extraction alone (the peer), then the unit map of the
// extracted text, timed apart on the same load. bench/citations.bench.ts drives it.
import { extractPage } from '../../lib/extract/page';
import { buildUnitMap, placeOf } from '../../lib/extract/unit-map';

export interface UnitMapSample {
  extractMs: number;
  mapMs: number;
  /** The first citation shown: indexing the page's text and finding every unit in it, ms. */
  firstUseMs: number;
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
    reresolveMs,
    units: map.units.length,
    found,
    htmlChars: document.documentElement.outerHTML.length,
    text: page.text,
  };
}
