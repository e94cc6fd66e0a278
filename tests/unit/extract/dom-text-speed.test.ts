// domToText builds each block from pieces and normalises text nodes with quick tests first
// (bench/extract-browser.bench.ts found a forum page with a pasted log taking seconds: appending to
// a growing string and asking it about its end flattened it each time, quadratic in the block).
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { collapseInlineText, domToText } from '../../../lib/extract/dom-text';

const body = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body as unknown as Node;

/** The normalisation as first written: every step on every string. */
const cjk = '[\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\u3000-\\u303f\\uff00-\\uffef]';
const cjkBreak = new RegExp(`(${cjk})[ \\t\\r\\f]*\\n[ \\t\\r\\n\\f]*(?=${cjk})`, 'gu');
function reference(raw: string): string {
  let s = raw;
  if (s.includes('\n')) s = s.replace(cjkBreak, '$1');
  return s.replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '').replace(/[ \t\n\r\f\u00a0]+/g, ' ');
}

const pieces = [' ', '  ', '\n', '\t', '\r', '\f', '\u00a0', '\u200b', '\u00ad', '\ufeff', '\u2060', 'a', 'word', '“', '—', 'é', '東', '京', 'か', 'カ', '한', '。', '！', '𠀋', '\u2003'];

describe('collapseInlineText', () => {
  it('gives what applying every step gives, for any mix of spaces, invisibles and scripts', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const s = parts.join('');
        expect(collapseInlineText(s)).toBe(reference(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('joins ideographs across a source line break and leaves other scripts spaced', () => {
    expect(collapseInlineText('東京\n  大阪')).toBe('東京大阪');
    expect(collapseInlineText('Zürich\n  Genève')).toBe('Zürich Genève');
    expect(collapseInlineText('a\u00a0 \u200bb')).toBe('a b');
  });
});

describe('domToText on long blocks', () => {
  it('reads thousands of <br>-separated lines in linear time, line by line', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `[${i}] INFO line ${i} of the pasted log `);
    const started = performance.now();
    const text = domToText(body(`<div>Log:<br />\n${lines.join('<br />\n')}</div>`));
    const elapsed = performance.now() - started;
    const out = text.split('\n');
    expect(out).toHaveLength(20_001);
    expect(out[1]).toBe('[0] INFO line 0 of the pasted log');
    expect(out[20_000]).toBe('[19999] INFO line 19999 of the pasted log');
    // Quadratic assembly took over 20 s here; linear takes tens of milliseconds.
    expect(elapsed).toBeLessThan(3_000);
  });

  it('keeps spacing around inline elements, breaks and whitespace-only nodes', () => {
    expect(domToText(body('<p> a <b> b </b><i> </i> c <br> <br>  d\u00a0<br></p>'))).toBe('a b c\n\nd');
    expect(domToText(body('<div><span> </span><br>x <a>y</a> <br> z</div>'))).toBe('x y\nz');
    expect(domToText(body('<ul><li> one <br> two </li><li>three</li></ul><blockquote>q <br> r</blockquote>'))).toBe('- one\n  two\n- three\n\n> q\n> r');
  });
});
