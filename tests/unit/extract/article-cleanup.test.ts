import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { withoutLeadMeta } from '../../../lib/extract/article-lead';
import { captionsIn } from '../../../lib/extract/article-noise';
import { declaresArticle, extractPage } from '../../../lib/extract/page';

function doc(head: string, body: string): Document {
  return parseHTML(`<!doctype html><html><head>${head}</head><body>${body}</body></html>`).document as unknown as Document;
}

const prose = (n: number) => Array.from({ length: n }, (_, i) => `<p>Paragraph ${i} of the story tells what happened in the town on the night the river rose and the bridge was closed to traffic.</p>`).join('');

describe('captionsIn', () => {
  it('finds figcaptions and boxes named caption or credit, not wrappers holding prose', () => {
    const d = doc('', `<article><figure><img><figcaption>A bridge.</figcaption></figure><div class="wp-caption"><img><p class="wp-caption-text">The river.</p></div><span class="image-credit">Getty</span><div class="article-captioned-body">${prose(5)}</div><div class="credits-box"><ul><li>a</li></ul></div></article>`);
    const found = [...captionsIn(d.querySelector('article')!)].map((el) => el.textContent);
    expect(found).toEqual(['A bridge.', 'The river.', 'The river.', 'Getty']);
  });
});

describe('withoutLeadMeta', () => {
  it('drops datelines, bylines and the repeated title above the first paragraph, nothing after it', () => {
    const first = 'The river rose two metres overnight and the old bridge was closed to all traffic before dawn, the council said on Tuesday.';
    const text = ['# Bridge closed', 'By Jane Doe and John Roe', 'Published 11:11 PM EST Nov 19, 2019', 'A note from the editors', first, 'Updated Nov 20, 2019', 'More.'].join('\n\n');
    expect(withoutLeadMeta(text, 'Bridge closed')).toBe(['A note from the editors', first, 'Updated Nov 20, 2019', 'More.'].join('\n\n'));
    expect(withoutLeadMeta(first, 'x')).toBe(first);
  });

  it('drops a gallery counter, control labels, a wire byline and the page URL, keeps a list of one-word items', () => {
    const first = 'The river rose two metres overnight and the old bridge was closed to all traffic before dawn, the council said on Tuesday.';
    const text = ['- Subscribe\n- Sign In', 'https://news.example/2019/11/bridge-closed-after-river-rises-two-metres-overnight-council-says-14848382.php', 'Robert Burns, AP National Security Writer', 'Close', 'Image 1 of 8', '- Flour\n- Sugar', first].join('\n\n');
    expect(withoutLeadMeta(text, 'Bridge closed')).toBe(['- Subscribe\n- Sign In', '- Flour\n- Sugar', first].join('\n\n'));
  });

  it('drops the headline in other words and the standfirst under it, keeps a section heading', () => {
    const first = 'The river rose two metres overnight and the old bridge was closed to all traffic before dawn, the council said on Tuesday.';
    const dek = '### The council closed the old bridge after the river rose two metres overnight, and says it may stay shut for weeks';
    expect(withoutLeadMeta(['## Old bridge closed as river rises', dek, '## Background', first].join('\n\n'), 'River rises: old bridge closed')).toBe(['## Background', first].join('\n\n'));
  });
});

describe('declaresArticle', () => {
  it('reads og:type and JSON-LD article types', () => {
    expect(declaresArticle(doc('<meta property="og:type" content="Article">', ''))).toBe(true);
    expect(declaresArticle(doc('<script type="application/ld+json">{"@type": ["NewsArticle"], "x": 1}</script>', ''))).toBe(true);
    expect(declaresArticle(doc('<script type="application/ld+json">{"@type": "WebPage"}</script><meta property="og:type" content="website">', ''))).toBe(false);
  });

  it('a short news item on a page full of teasers is sent alone when the page says it is an article', () => {
    const teasers = Array.from({ length: 30 }, (_, i) => `<li><a href="/s${i}">Other story number ${i} with a long enough headline to count</a> <span>By Staff · 11/20/2019</span></li>`).join('');
    const body = `<nav>${teasers}</nav><article><h1>Stabbed in Berlin</h1><p>The son of a former German president was stabbed to death while giving a lecture at a Berlin clinic on Tuesday evening, police said.</p><p>A suspect was arrested at the scene. His motive is unclear, and prosecutors said they were investigating.</p></article><div class="latest"><ul>${teasers}</ul></div>`;
    const declared = extractPage(doc('<title>Stabbed in Berlin</title><meta property="og:type" content="article">', body), 'https://news.example/a');
    expect(declared.source).toBe('article');
    expect(declared.text).not.toContain('Other story number');
  });
});
