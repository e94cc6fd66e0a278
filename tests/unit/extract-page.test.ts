import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { domToText } from '../../lib/extract/dom-text';
import { extractPage } from '../../lib/extract/page';
import { normalisePlainText } from '../../lib/extract/plain-text';
import { EmptyPageError, summariseRequest } from '../../lib/jobs/summarise-plan';

function fixture(name: string) {
  const html = readFileSync(new URL(`../fixtures/pages/${name}.html`, import.meta.url), 'utf8');
  return parseHTML(html);
}

function page(name: string, opts = {}) {
  const { document } = fixture(name);
  return extractPage(document as unknown as Document, `https://example.com/${name}`, opts);
}

function html(body: string, head = '<title>T</title>') {
  return parseHTML(`<!doctype html><html lang="en"><head>${head}</head><body>${body}</body></html>`).document as unknown as Document;
}

describe('extractPage on fixtures', () => {
  it('reads an article with Readability: metadata, headings, lists, quotes, and nothing else', () => {
    const p = page('article');
    expect(p).toMatchObject({
      source: 'article',
      title: 'The Quiet Return of the Night Train',
      byline: 'Ada Lindqvist',
      siteName: 'The Example Times',
      lang: 'en-GB',
      url: 'https://example.com/article',
    });
    expect(p.text).toContain(
      'and new carriages with private pods are being ordered.\n\nThe revival is driven by travellers',
    );
    expect(p.text).toContain('\n\n## Costs and obstacles\n\nRunning a night train is expensive.');
    expect(p.text).toContain(
      '- Track access charges vary by a factor of five between countries.\n- Crews need certification for every network they cross.\n- Carriages',
    );
    expect(p.text).toContain('> We are selling every bed we have');
    expect(p.text).toContain('## What comes next');
    expect(p.text).toContain('A sleeper carriage arriving in Vienna at dawn.');
    for (const absent of ['HIDDEN-TRACKING-TEXT', 'must not be extracted', 'cookies', 'Opinion', 'Related stories', 'All rights reserved', 'tracking', 'analytics']) {
      expect(p.text).not.toContain(absent);
    }
    expect(p.text).not.toMatch(/\n{3,}|[ \t]\n/);
  });

  it('leaves the page itself untouched', () => {
    const { document } = fixture('article');
    const before = document.toString();
    extractPage(document as unknown as Document, 'https://example.com/article');
    expect(document.toString()).toBe(before);
  });

  it('reads every post of a forum thread, in order, without the forms and navigation', () => {
    const p = page('forum');
    expect(p.source).toBe('page');
    expect(p.text.startsWith('# Help: sourdough starter smells like nail polish\n\ncrumbly_kate 12 March')).toBe(true);
    const order = ['My starter is three weeks old', 'Not dead, just hungry', 'Should I use a different flour', 'A spoon of wholemeal rye', 'Update: after four days'];
    const positions = order.map((s) => p.text.indexOf(s));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(p.text).toContain('1. Discard all but 50 g of starter.\n2. Add 50 g of water');
    expect(p.text).toContain('> Feed it twice a day');
    for (const absent of ['Search', 'Post reply', 'Write a reply', 'Forums', 'Rules']) expect(p.text).not.toContain(absent);
  });

  it('keeps a docs page\'s code, definitions and nested lists, not its sidebar or buttons', () => {
    const p = page('docs');
    expect(p.text).toContain('```\n[server]\nport = 8080\n\n[cache]\nsize_mb = 256\n```');
    expect(p.text).toContain('server.port\n  The TCP port to listen on. Defaults to 8080.');
    expect(p.text).toContain('### Precedence\n\n1. Command-line flags\n2. Environment variables\n   - Only variables with the WIDGETD_ prefix are read.\n3. The configuration file');
    expect(p.text).toContain('reads its configuration from widgetd.toml in the working directory');
    for (const absent of ['Quick start', 'API reference', 'Linux', 'macOS', 'Widgetd authors']) expect(p.text).not.toContain(absent);
  });

  it('turns data tables into rows and reads layout tables as paragraphs', () => {
    const p = page('table');
    expect(p.text).toContain(
      'Night trains by route\n\n| Route | Operator | Duration | Price from |\n| --- | --- | --- | --- |\n| Vienna – Paris | ÖBB Nightjet | 14 h | € 59 |',
    );
    expect(p.text).toContain('| Zurich – Amsterdam | ÖBB Nightjet | 12 h | € 39 \\| € 79 |');
    expect(p.text).toContain('## Sleeper classes\n\n| Seat | Reclining seat in a six-seat compartment |\n| Couchette |');
    expect(p.text).toContain('Prices change with demand.\n\nBook early.');
    expect(p.text).not.toContain('Hidden row');
  });

  it('reads a CJK page without inventing spaces at source line breaks, keeping astral characters whole', () => {
    const p = page('cjk');
    expect(p.lang).toBe('ja');
    expect(p.title).toBe('夜行列車の復活');
    expect(p.text).toContain('ウィーンとパリを結ぶ路線では、再開以来ほとんどの夜で');
    expect(p.text).toContain('𠮷野家の広告にも夜行列車が登場した🚆。');
    expect(p.text).toContain('\n\n## 費用と課題\n\n');
    expect(p.text).toContain('- 線路使用料の差は最大五倍\n- 乗務員の資格は国ごとに必要');
    expect(p.text).not.toContain('ホーム');
    expect(p.text.isWellFormed()).toBe(true);
  });

  it('finds nothing on a page of images, canvas and scripts, and the summary says so clearly', () => {
    const p = page('empty');
    expect(p.text).toBe('');
    expect(() => summariseRequest(p)).toThrow(EmptyPageError);
    expect(() => summariseRequest(p)).toThrow(/no readable text/);
  });
});

describe('extractPage: other kinds of page', () => {
  it('uses the selection when there is one, with its structure', () => {
    const doc = html('<article><h2>Intro</h2><p>First paragraph that is long enough to count.</p><ul><li>one</li><li>two</li></ul><p>Not selected.</p></article>');
    const range = doc.createRange();
    range.setStartBefore(doc.querySelector('h2')!);
    range.setEndAfter(doc.querySelector('ul')!);
    Object.assign(doc, {
      getSelection: () => ({ isCollapsed: false, rangeCount: 1, getRangeAt: () => range, toString: () => 'flat' }),
    });
    const p = extractPage(doc, 'https://example.com/');
    expect(p.source).toBe('selection');
    expect(p.text).toBe('## Intro\n\nFirst paragraph that is long enough to count.\n\n- one\n- two');
    expect(extractPage(doc, 'https://example.com/', { useSelection: false }).text).toContain('Not selected.');
  });

  it('ignores a stray selection of a word or two', () => {
    const doc = html('<main><p>Some page text that is the real content here.</p></main>');
    const range = doc.createRange();
    range.selectNodeContents(doc.querySelector('p')!.firstChild!);
    Object.assign(doc, { getSelection: () => ({ isCollapsed: false, rangeCount: 1, getRangeAt: () => ({ cloneContents: () => doc.createTextNode('Some') }), toString: () => 'Some' }) });
    expect(extractPage(doc, 'https://example.com/').source).toBe('page');
  });

  it('reads text/plain pages as written, tidied', () => {
    const doc = html('<pre style="word-wrap: break-word; white-space: pre-wrap;">LOG\r\n\r\n\r\n\r\nline one   \r\nline two\u0007\r\n</pre>', '');
    const p = extractPage(doc, 'https://example.com/logs/build.txt', { contentType: 'text/plain' });
    expect(p).toMatchObject({ source: 'plain', title: 'build.txt', text: 'LOG\n\nline one\nline two' });
    expect(normalisePlainText('\ufeffa\r\rb')).toBe('a\n\nb');
  });

  it('hides what computed style hides when the document has a window', () => {
    const { document, window } = parseHTML('<html><body><main><p>Visible text.</p><p class="sr-only">Screen reader only.</p></main></body></html>');
    Object.assign(window, {
      getComputedStyle: (el: Element) => ({ display: el.classList.contains('sr-only') ? 'none' : 'block', visibility: 'visible' }),
    });
    const p = extractPage(document as unknown as Document, 'https://example.com/');
    expect(p.text).toBe('Visible text.');
  });

  it('drops link menus outside nav when there is no main, but keeps lists with prose', () => {
    const doc = html(
      '<div><ul><li><a href="/1">Home</a></li><li><a href="/2">Blog</a></li><li><a href="/3">About</a></li></ul></div>' +
        '<div><h1>Notes</h1><p>Body text.</p><ul><li>A point with <a href="/x">a link</a> inside a sentence.</li><li>Another point.</li><li>Third.</li></ul></div>',
    );
    const p = extractPage(doc, 'https://example.com/');
    expect(p.text).toBe('# Notes\n\nBody text.\n\n- A point with a link inside a sentence.\n- Another point.\n- Third.');
  });

  it('cuts very long pages at a paragraph boundary and says so', () => {
    const paragraphs = Array.from({ length: 50 }, (_, i) => `<p>Paragraph ${i} ${'word '.repeat(20)}</p>`).join('');
    const p = extractPage(html(`<main>${paragraphs}</main>`), 'https://example.com/', { maxChars: 1000 });
    expect(p.truncated).toBe(true);
    expect(p.text.length).toBeLessThanOrEqual(1000);
    expect(p.text.endsWith('word')).toBe(true);
  });
});

describe('domToText', () => {
  it('handles br, nested quotes in lists, ordered list starts and whitespace', () => {
    const doc = html('<div>  line one<br>line   two </div><ol start="3"><li>three<blockquote>quoted</blockquote></li><li>four</li></ol><p>a\u00a0b\u200bc</p>');
    expect(domToText(doc.body)).toBe('line one\nline two\n\n3. three\n   > quoted\n4. four\n\na bc');
  });

  it('keeps rows of a data table whose cells wrap values in divs, and reads layout tables as blocks', () => {
    const data = html('<table><thead><tr><th><div>Class</div></th><th><div>Beds</div></th></tr></thead><tbody><tr><td><div><span>Couchette</span></div></td><td><div>4–6</div></td></tr></tbody></table>');
    expect(domToText(data.body)).toBe('| Class | Beds |\n| --- | --- |\n| Couchette | 4–6 |');
    const layout = html('<table><tr><td><p>Post one.</p><table><tr><td>nested</td></tr></table></td></tr><tr><td><p>Post two.</p></td></tr></table>');
    expect(domToText(layout.body)).toBe('Post one.\n\nnested\n\nPost two.');
  });

  it('neither splits nor invents text around inline elements', () => {
    const doc = html('<p>An <em>emphasised</em> word, <a href="#">a link</a>, and <code>code</code>.</p><h3>Heading <span>with span</span></h3>');
    expect(domToText(doc.body)).toBe('An emphasised word, a link, and code.\n\n### Heading with span');
  });
});
