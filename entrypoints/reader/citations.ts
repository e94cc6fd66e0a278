// The page side of citations: the unit maps of this page's recent extractions, and showing a unit
// with the CSS Custom Highlight API, which paints a range without touching the page's DOM.
import { buildUnitMap, placeOf, prepare, unitWords, type UnitMap } from '../../lib/extract/unit-map';
import { citationHighlight as highlightName, clearCitationHighlight } from './highlight';

/** A selection, then the page, may be summarised in turn; older extractions' citations are gone. */
const keptMaps = 3;

let sheet: CSSStyleSheet | undefined;

/** The highlight's colours, as an adopted style sheet: no element is added to the page. */
function ensureStyle() {
  if (sheet && document.adoptedStyleSheets.includes(sheet)) return;
  sheet ??= new CSSStyleSheet();
  sheet.replaceSync(`::highlight(${highlightName}) { background-color: #ffd54f; color: #1b1b1b; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** The longest the page's indexing waits for an idle moment: by then a summary has usually arrived. */
const idleTimeoutMs = 3_000;

export function createCitations() {
  const maps = new Map<string, UnitMap>();

  /**
   * Indexes the page for `map` once it is idle (some 27–50 ms on a 1 MB page, measured in
   * bench/citations.bench.ts), while the model writes: the first chip clicked then shows its passage at once.
   */
  function prepareWhenIdle(map: UnitMap) {
    const run = () => maps.get(map.key) === map && prepare(map);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: idleTimeoutMs });
    else setTimeout(run, 0);
  }

  return {
    /** Numbers the units of `text` (an extraction of this page); returns the name citations will use for them. */
    remember(text: string): string {
      const map = buildUnitMap(document.body ?? document.documentElement, text, crypto.randomUUID());
      maps.set(map.key, map);
      for (const old of maps.keys()) if (maps.size > keptMaps) maps.delete(old);
      prepareWhenIdle(map);
      return map.key;
    },

    quote: (key: string, unit: number): string | undefined => {
      const map = maps.get(key);
      return map && unitWords(map, unit);
    },

    /** Scrolls unit `unit` into view and highlights it; false when it is no longer on the page. */
    show(key: string, unit: number): boolean {
      const map = maps.get(key);
      const place = map && placeOf(map, unit);
      const highlights = typeof CSS !== 'undefined' && 'highlights' in CSS;
      if (!place) {
        // The last passage shown must not pass for this one.
        clearCitationHighlight();
        return false;
      }
      // A browser without the Highlight API still scrolls to the passage.
      if (highlights) {
        ensureStyle();
        CSS.highlights.set(highlightName, new Highlight(new StaticRange(place.range)));
      }
      const range = document.createRange();
      range.setStart(place.range.startContainer, place.range.startOffset);
      range.setEnd(place.range.endContainer, place.range.endOffset);
      const element = range.startContainer.parentElement;
      const tall = range.getBoundingClientRect().height > window.innerHeight * 0.8;
      const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      element?.scrollIntoView({ block: tall ? 'start' : 'center', behavior: reduce ? 'instant' : 'smooth' });
      return true;
    },
  };
}

export type Citations = ReturnType<typeof createCitations>;
