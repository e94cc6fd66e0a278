// ArticleReader only answers some of Readability's per-node checks more cheaply (byline, empty
// element, visibility, style cleaning), so it must read every page exactly as Readability does;
// with `textOnly` it may leave URLs relative, and must still give the same text.
import { readdirSync, readFileSync } from 'node:fs';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { bigPageHtml, forumPageHtml } from '../../../bench/browser/big-page';
import { ArticleReader, fastBylineCheck, fastNodeChecks } from '../../../lib/extract/readability';

const pagesDir = new URL('../../fixtures/pages/', import.meta.url);
const doc = (html: string) => parseHTML(html).document as unknown as Document;

function bothReaders(html: string) {
  const opts = { serializer: (el: Node) => (el as Element).outerHTML, keepClasses: true };
  return [new Readability(doc(html), opts).parse(), new ArticleReader(doc(html), opts).parse()];
}

const para = (i: number) =>
  `<p>Paragraph ${i} of the post, long enough to be scored, with commas, clauses, and a few more words so that it counts as content.</p>`;

describe('ArticleReader', () => {
  it('still stands in for the Readability internals it replaces (check after upgrading Readability)', () => {
    expect(fastBylineCheck).toBe(true);
    expect(fastNodeChecks).toBe(true);
  });

  it('reads every fixture page exactly as Readability does', () => {
    for (const name of readdirSync(pagesDir).filter((f) => f.endsWith('.html'))) {
      const [expected, actual] = bothReaders(readFileSync(new URL(name, pagesDir), 'utf8'));
      expect(actual, name).toEqual(expected);
    }
  });

  it('reads generated 100 kB pages (an article with comments, a forum thread) exactly as Readability does', () => {
    for (const html of [bigPageHtml(100_000), forumPageHtml(100_000)]) {
      const [expected, actual] = bothReaders(html);
      expect(actual).toEqual(expected);
    }
  });

  it('finds the same empty and hidden elements, whatever the whitespace, comments and attributes', () => {
    const blocks = [
      '<div> \u00a0 \n\t</div>', '<div>\u2003\ufeff</div>', '<div>\u200b</div>', '<div><!-- note --></div>', '<div><br><hr><br></div>',
      '<section><span> </span></section>', '<div><img src="a.png"></div>', '<h2>  </h2>', '<header><div> </div></header>',
      '<div style="display:none">styled away</div>', '<div hidden>hidden</div>', '<div aria-hidden="true">aria</div>',
      '<div aria-hidden="true" class="fallback-image">math</div>', '<div style="visibility: hidden">invisible</div>',
      '<table border="1" align="center"><tr><td valign="top" width="10">cell</td></tr></table>', '<p style="color:red" bgcolor="#fff">styled</p>',
      '<svg style="fill:red" width="10"><g style="x"></g></svg>',
    ];
    const html = `<html><head><title>T</title></head><body><div class="post"><h1>T</h1>${Array.from({ length: 12 }, (_, i) => `${para(i)}${blocks[i % blocks.length]}`).join('')}${blocks.slice(12).join('')}</div></body></html>`;
    const [expected, actual] = bothReaders(html);
    expect(actual).toEqual(expected);
    // The checks themselves, element by element (a wrong answer can be hidden by later cleaning).
    type Checks = Record<'_isElementWithoutContent' | '_isProbablyVisible', (el: Element) => boolean>;
    const page = doc(html);
    const plain = new Readability(page) as unknown as Checks;
    const fast = new ArticleReader(page) as unknown as Checks;
    for (const el of Array.from(page.querySelectorAll('*'))) {
      for (const check of ['_isElementWithoutContent', '_isProbablyVisible'] as const) {
        expect(fast[check](el), `${check} ${el.outerHTML}`).toBe(plain[check](el));
      }
    }
  });

  it('gives the same text with textOnly, which leaves links and image sources as they are', () => {
    const opts = { serializer: (el: Node) => el as Element, keepClasses: true };
    const pages = [...readdirSync(pagesDir).filter((f) => f.endsWith('.html')).map((name) => readFileSync(new URL(name, pagesDir), 'utf8')), bigPageHtml(100_000)];
    pages.push(`<html><head><title>T</title></head><body><div class="post">${para(1)}<p>See <a href="javascript:void(0)">this <b>note</b></a> and <a href="javascript:x()">that</a> and <a href="/rel">a page</a>.</p>${para(2)}${para(3)}</div></body></html>`);
    for (const html of pages) {
      const expected = new Readability(doc(html), opts).parse();
      const actual = new ArticleReader(doc(html), { ...opts, textOnly: true }).parse();
      expect(actual?.content?.textContent).toBe(expected?.content?.textContent);
      expect({ ...actual, content: undefined }).toEqual({ ...expected, content: undefined });
    }
  });

  it('finds the same byline by class, rel and itemprop, and none when there is none', () => {
    const bylines = [
      '<p class="byline">By Ada Lovelace</p>',
      '<a rel="author" href="/ada">Ada Lovelace</a>',
      '<span itemprop="author"><span itemprop="name">Ada Lovelace</span></span>',
      '<div id="p-author">Ada</div>',
      '<p class="byline">' + 'x'.repeat(150) + '</p>',
      '',
    ];
    for (const byline of bylines) {
      const html = `<html><head><title>T</title></head><body><div class="wrap"><div class="post"><h1>T</h1>${byline}${Array.from({ length: 12 }, (_, i) => para(i)).join('')}</div></div></body></html>`;
      const [expected, actual] = bothReaders(html);
      expect(actual, byline).toEqual(expected);
    }
  });
});
