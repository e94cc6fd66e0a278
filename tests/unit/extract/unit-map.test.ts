// The unit map on fixture pages of every structure: each unit the model may cite is found in the
// page itself (not Readability's copy), with the text the unit has. The e2e suite checks ranges and
// re-renders in Chromium.
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../lib/extract/page';
import { buildUnitMap, letters, locate, prepare, unitWords } from '../../../lib/extract/unit-map';
import { splitUnits } from '../../../lib/extract/units';

const pages = ['article', 'docs', 'forum', 'forum-long-post', 'table', 'cjk', 'rtl', 'math'];

function load(name: string) {
  const html = readFileSync(new URL(`../../fixtures/pages/${name}.html`, import.meta.url), 'utf8');
  return parseHTML(html).document as unknown as Document;
}

describe('buildUnitMap', () => {
  for (const name of pages) {
    it(`finds the units of ${name} in the page, in order`, () => {
      const doc = load(name);
      const page = extractPage(doc, `https://example.com/${name}`);
      const map = buildUnitMap(doc.body, page.text, 'k');
      expect(map.units).toHaveLength(splitUnits(page.text.trim()).length);
      expect(map.units.length).toBeGreaterThan(0);
      // Asked for out of order, as a summary cites them.
      const order = map.units.map((u) => u.n).sort((a, b) => (a * 7919) % 13 - (b * 7919) % 13 || a - b);
      for (const n of order) locate(map, n);
      const found = map.found.filter((f) => f !== undefined);
      // Extraction adds a little (alt text, a link's address) that the page's text lacks: nearly all, not all.
      expect(found.length / map.units.length, name).toBeGreaterThanOrEqual(0.9);
      for (const [i, at] of map.found.entries()) {
        if (!at) continue;
        expect(map.index!.key.slice(at.start, at.end).slice(0, 32)).toBe(letters(unitWords(map, i + 1)!).slice(0, 32));
      }
      const starts = map.found.filter((f) => f !== undefined).map((f) => f.start);
      expect(starts.filter((s, i) => i > 0 && s < starts[i - 1]!).length).toBeLessThanOrEqual(1);
    });
  }

  it('indexes the page on first use, skipping script and style text, keyed on letters and digits only', () => {
    const doc = parseHTML('<html><body><style>p{}</style><p>One, <b>two</b>—three.</p><script>var x = 1</script><ul><li>Four 4</li></ul></body></html>')
      .document as unknown as Document;
    const map = buildUnitMap(doc.body, 'One, two—three.\n\n- Four 4', 'k');
    expect(map.index).toBeUndefined();
    expect(locate(map, 2)).toBeUndefined();
    expect(map.index!.key).toBe('OnetwothreeFour4');
    // The paragraph and the item are short: one unit, across the two elements.
    expect(map.found).toEqual([{ start: 0, end: 16 }]);
    expect(unitWords(map, 1)).toBe('One, two—three. Four 4');
  });

  it('is prepared ahead of a click: every unit found once, and a look-up after it reads the page no more', () => {
    const doc = load('forum');
    const page = extractPage(doc, 'https://example.com/forum');
    const map = buildUnitMap(doc.body, page.text, 'k');
    prepare(map);
    const index = map.index;
    expect(map.found.filter(Boolean).length / map.units.length).toBeGreaterThanOrEqual(0.9);
    prepare(map);
    expect(map.index).toBe(index);
    // (Ranges are checked in Chromium, by the e2e suite: linkedom's are not enough.)
    const n = map.found.findIndex(Boolean) + 1;
    expect(locate(map, n)).toBe(map.found[n - 1]);
    expect(map.index).toBe(index);
  });
});
