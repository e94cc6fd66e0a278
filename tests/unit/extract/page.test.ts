import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { domToText } from '../../../lib/extract/dom-text';
import { extractPage } from '../../../lib/extract/page';
import { normalisePlainText } from '../../../lib/extract/plain-text';
import { readablePage } from '../../../lib/jobs/summarise-plan';

function fixture(name: string) {
  const html = readFileSync(new URL(`../../fixtures/pages/${name}.html`, import.meta.url), 'utf8');
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
    // A caption describes a picture the model does not see (lib/extract/article-noise.ts).
    expect(p.text).not.toContain('A sleeper carriage arriving in Vienna at dawn.');
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

  it('reads every post of a thread with one very long post (a pasted log), not just that post', () => {
    // The log is over a third of the page: Readability takes that post for the article.
    const p = page('forum-long-post');
    expect(p.source).toBe('page');
    const order = [
      'Every night at about 3am our application server stops answering',
      'Can you post the full application log from last night?',
      'Here is the full log:\n\n[00000] WARN GC pause 41 ms',
      '[00159] INFO slow query on orders_by_customer took 1.9 s\nEnd of the pasted log.',
      'Move the backup to a replica and the freezes will stop.',
      'Solved: with the backup running on the replica',
    ];
    const positions = order.map((s) => p.text.indexOf(s));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(p.text).toContain('sysadmin_sam');
    // Breadcrumbs, page links and the copyright line are furniture.
    for (const absent of ['Board index', 'Page 1 of 1', 'Powered by']) expect(p.text).not.toContain(absent);
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
    expect(() => readablePage(p)).toThrow(expect.objectContaining({ kind: 'empty_page', message: expect.stringMatching(/no readable text/) }));
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

  it('reads the whole page when Readability keeps one post of a thread that holds under two thirds of the page', () => {
    // Link lists outside the posts keep them under the thread share, so Readability runs; the long
    // answer is over a third of the page, and no longer than the post it is: a post, not an article.
    const links = Array.from({ length: 30 }, (_, i) => `<li><a href="/t/${i}">Thread number ${i} about baking bread with a long descriptive title</a></li>`).join('');
    const answer = Array.from(
      { length: 12 },
      (_, i) => `<p>Paragraph ${i} of the long answer: rye flour ferments faster, feeds the yeast well, and gives the starter a sour, fruity smell, so a spoon of it in each feed helps.</p>`,
    ).join('');
    const doc = html(
      `<div class="links"><h3>More threads</h3><ul>${links}</ul></div><div class="thread">` +
        '<div class="post" id="p1"><div class="author">crumbly_kate</div><div class="content"><p>Which flour do you use for your starter? I have plain white flour and a bag of rye.</p></div></div>' +
        `<div class="post" id="p2"><div class="author">levain_lars</div><div class="content">${answer}</div></div>` +
        '<div class="post" id="p3"><div class="author">crumbly_kate</div><div class="content"><p>Thanks, that is exactly what I needed: rye it is, and a warmer spot for the jar.</p></div></div></div>',
    );
    const p = extractPage(doc, 'https://example.com/t/1');
    expect(p.source).toBe('page');
    expect(p.text).toContain('Which flour do you use for your starter?');
    expect(p.text).toContain('Paragraph 11 of the long answer');
    expect(p.text).toContain('rye it is, and a warmer spot for the jar.');
  });

  it('reads an article without its comment section, however short the article and many the comments', () => {
    const paragraphs = (n: number, what: string) =>
      Array.from({ length: n }, (_, i) => `<p>${what} paragraph ${i}, with enough words, commas, and clauses to be scored as content by Readability.</p>`).join('');
    const comments = (n: number) =>
      Array.from({ length: n }, (_, i) => `<li class="comment" id="comment-${i}"><div class="comment-author">reader${i}</div><div class="comment-body"><p>Comment ${i}: I disagree with the second point, and here is why, in a few sentences of my own.</p></div></li>`).join('');
    const article = (body: string, n: number) =>
      html(`<main><article><h1>Night trains</h1>${body}</article><section id="comments"><h2>Comments</h2><ol class="commentlist">${comments(n)}</ol></section></main>`);

    const read = extractPage(article(paragraphs(20, 'Article'), 12), 'https://example.com/a');
    expect(read.source).toBe('article');
    expect(read.text).toContain('Article paragraph 19');
    expect(read.text).not.toContain('Comment 0:');

    // Comments hold over two thirds of the page, and still are not the article (issue 15: this
    // used to be read whole, comments and all).
    const drowned = extractPage(article(paragraphs(2, 'Article'), 30), 'https://example.com/b');
    expect(drowned.source).toBe('article');
    expect(drowned.text).toContain('Article paragraph 1');
    expect(drowned.text).not.toContain('Comment 0:');
  });

  it('keeps a long article that holds under a third of a page full of teasers, menus and link lists (issue 15)', () => {
    const story = Array.from(
      { length: 8 },
      (_, i) => `<p>Paragraph ${i} of the story: the council voted on Tuesday to reopen the night line, after a year of petitions, hearings, and one very long meeting.</p>`,
    ).join('');
    const teasers = Array.from(
      { length: 40 },
      (_, i) => `<li><a href="/s/${i}">Teaser ${i}: the headline of another story that readers might click on next</a></li>`,
    ).join('');
    const doc = html(`<main><article><h1>Night line returns</h1>${story}</article><div class="more-stories"><ul>${teasers}</ul></div></main>`);
    const p = extractPage(doc, 'https://example.com/news/night-line');
    expect(p.source).toBe('article');
    expect(p.text).toContain('Paragraph 7 of the story');
    expect(p.text).not.toContain('Teaser 0:');
  });

  it('keeps a short story that holds under a third of the page, and refuses a teaser holding a tenth of it', () => {
    const story = (n: number) =>
      Array.from({ length: n }, (_, i) => `<p>Paragraph ${i} of the story: the council voted to reopen the night line, after a year of petitions and hearings.</p>`).join('');
    const links = Array.from({ length: 16 }, (_, i) => `<li><a href="/s/${i}">Teaser ${i}: the headline of another story that readers might click on next</a></li>`).join('');
    const doc = (n: number) => html(`<main><article><h1>Night line returns</h1>${story(n)}</article><div class="more-stories"><ul>${links}</ul></div></main>`);
    // About 600 characters of story beside about 1,300 of links: under a third of the page.
    const kept = extractPage(doc(5), 'https://example.com/news/night-line');
    expect(kept.source).toBe('article');
    expect(kept.text).not.toContain('Teaser 0:');
    const refused = extractPage(
      html(`<main><div class="card"><h2>Night line returns</h2>${story(2)}</div><div class="more-stories"><ul>${links}${links}</ul></div></main>`),
      'https://example.com/',
    );
    expect(refused.source).toBe('page');
  });

  it('reads the main that holds the story when an ad slot is marked main before it', () => {
    // The slot's script makes its text long; what a reader sees of it is one word.
    const story = Array.from({ length: 6 }, (_, i) => `<p>Paragraph ${i} of the wire story, with enough words, commas, and clauses to be content.</p>`).join('');
    const doc = html(
      `<div><main class="l-main"><div id="ad">Advertisement<script>${'googletag.display("billboard");\n'.repeat(10)}</script></div></main></div>` +
        `<div><main class="l-main"><h1>Wire story</h1>${story}</main></div>`,
    );
    const p = extractPage(doc, 'https://example.com/wire');
    expect(p.text).toContain('Paragraph 5 of the wire story');
  });

  it('skips Readability on pages with more elements than it reads quickly, and its comments too', () => {
    const body =
      `<main><article><h1>Long</h1>${Array.from({ length: 30 }, (_, i) => `<p>Paragraph ${i} of the article, <em>long</em> enough, with commas, to be content.</p>`).join('')}</article>` +
      '<div id="comments"><div class="comment"><p>First comment.</p></div><div class="comment"><p>Second comment.</p></div></div></main>';
    expect(extractPage(html(body), 'https://example.com/').source).toBe('article');
    // 67 elements in <main>, 5 of them in the comment section.
    expect(extractPage(html(body), 'https://example.com/', { maxReaderElements: 62 }).source).toBe('article');
    const capped = extractPage(html(body), 'https://example.com/', { maxReaderElements: 61 });
    expect(capped.source).toBe('page');
    expect(capped.text).toContain('# Long\n\nParagraph 0 of the article');
    expect(capped.text).toContain('Paragraph 29 of the article');
    expect(capped.text).not.toContain('comment');
  });

  it('drops breadcrumb trails, page links and copyright lines by class or id, and keeps signatures', () => {
    const doc = html(
      '<div class="breadcrumbs"><a href="/">Home</a> › Docs</div><div id="navbar">Docs · Blog</div>' +
        '<h1>connect</h1><div class="signature">connect(host, port, timeout)</div><p>Opens a connection to the server.</p>' +
        '<div class="pagination">« 1 2 3 »</div><p class="legal copyright">© Example</p>',
    );
    expect(extractPage(doc, 'https://example.com/').text).toBe('# connect\n\nconnect(host, port, timeout)\n\nOpens a connection to the server.');
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

describe('extractPage on equations', () => {
  it('keeps MathML equations: alttext, else the TeX annotation, else their characters (issue 15)', () => {
    const p = page('math');
    expect(p.text).toContain('can be written as ax^{2}+bx+c=0, where the coefficients');
    expect(p.text).toContain('\n\nx={\\frac {-b\\pm {\\sqrt {b^{2}-4ac}}}{2a}}\n\n');
    expect(p.text).toContain('When b2−4ac>0, there are two distinct real solutions');
  });
});

describe('extractPage titles', () => {
  const links = '<ul><li><a href="/a">Home</a></li><li><a href="/b">World</a></li></ul>';
  it("strips the site's name after the title when the page has no article (issue 15)", () => {
    const title = (t: string, url: string, head = '') => extractPage(html(links, `<title>${t}</title>${head}`), url).title;
    expect(title('Storm closes schools across the north | The Independent', 'https://www.independent.co.uk/news/storm')).toBe('Storm closes schools across the north');
    expect(title('Markets rally as rates hold - Yahoo', 'https://news.yahoo.com/markets')).toBe('Markets rally as rates hold');
    expect(title('Night trains are back – Rail Weekly', 'https://example.com/n', '<meta property="og:site_name" content="Rail Weekly">')).toBe('Night trains are back');
    // What follows the separator is no site name: part of the title.
    expect(title('Spider-Man - Far From Home', 'https://example.com/films/1')).toBe('Spider-Man - Far From Home');
    expect(title('Yahoo', 'https://news.yahoo.com/')).toBe('Yahoo');
  });

  it("strips it from an article's title too", () => {
    expect(extractPage(fixture('math').document as unknown as Document, 'https://en.wikipedia.org/wiki/Quadratic_equation').title).toBe('Quadratic equation');
  });
});

describe('extractPage text direction', () => {
  it("keeps Readability's dir for an article, and the page's own when there is no article (issue 15)", () => {
    const p = page('rtl');
    expect(p.source).toBe('article');
    expect(p.dir).toBe('rtl');
    expect(extractPage(html('<p>Hello</p>'), 'https://example.com/').dir).toBeUndefined();
    const rtlPage = parseHTML('<!doctype html><html dir="RTL"><head><title>ت</title></head><body><ul><li><a href="/">رابط</a></li></ul></body></html>').document as unknown as Document;
    expect(extractPage(rtlPage, 'https://example.com/').dir).toBe('rtl');
  });
});
