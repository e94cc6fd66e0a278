// ArticleReader only reorders Readability's byline test (cheap conditions before the subtree's
// text), so it must read every page exactly as Readability does.
import { readdirSync, readFileSync } from 'node:fs';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { ArticleReader, fastBylineCheck } from '../../lib/extract/readability';

const pagesDir = new URL('../fixtures/pages/', import.meta.url);
const doc = (html: string) => parseHTML(html).document as unknown as Document;

function bothReaders(html: string) {
  const opts = { serializer: (el: Node) => (el as Element).outerHTML, keepClasses: true };
  return [new Readability(doc(html), opts).parse(), new ArticleReader(doc(html), opts).parse()];
}

const para = (i: number) =>
  `<p>Paragraph ${i} of the post, long enough to be scored, with commas, clauses, and a few more words so that it counts as content.</p>`;

describe('ArticleReader', () => {
  it('still stands in for the Readability internals it reorders (check after upgrading Readability)', () => {
    expect(fastBylineCheck).toBe(true);
  });

  it('reads every fixture page exactly as Readability does', () => {
    for (const name of readdirSync(pagesDir).filter((f) => f.endsWith('.html'))) {
      const [expected, actual] = bothReaders(readFileSync(new URL(name, pagesDir), 'utf8'));
      expect(actual, name).toEqual(expected);
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
