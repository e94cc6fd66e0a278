// scanPage measures a page before extractPage chooses how to read it; readerCopy builds the copy
// Readability rewrites, without the furniture and comment sections the scan found.
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { readerCopy, scanPage } from '../../../lib/extract/structure';

const doc = (html: string) => parseHTML(html).document as unknown as Document;
const body = (html: string) => doc(`<!doctype html><html><body>${html}</body></html>`).body;
const fixture = (name: string) => doc(readFileSync(new URL(`../../fixtures/pages/${name}.html`, import.meta.url), 'utf8'));

const articlePage = `<!doctype html><html lang="en"><head><title>Night trains</title><meta name="author" content="Ada">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Night trains"}</script><style>p { color: red }</style></head>
<body class="single"><header><a href="/">Site</a><nav><a href="/world">World</a></nav></header>
<main id="main"><nav class="breadcrumbs"><a href="/">Home</a> › <a href="/travel">Travel</a></nav>
<article><header><h1>Night trains</h1><p class="byline">By Ada</p></header><p>The article text, long enough to count as content here.</p>
<aside class="inline-related"><a href="/more">Read more</a></aside><p>More article text.</p></article>
<section id="comments"><h2>Comments</h2><ol class="comment-list"><li class="comment" id="comment-1"><p>First!</p></li><li class="comment" id="comment-2"><p>Second.</p></li><li class="comment" id="comment-3"><p>Third.</p></li></ol></section>
<div class="cookie-banner">We use cookies.</div></main>
<footer>© Site</footer><script type="application/ld+json">{"@type":"BreadcrumbList"}</script></body></html>`;

describe('scanPage', () => {
  it('finds the posts of a thread and how much of the text they hold', () => {
    const page = fixture('forum-long-post');
    const scan = scanPage(page.body);
    expect(scan.posts).toMatchObject({ key: 'div.postbit', count: 5 });
    expect(scan.posts!.chars / scan.contentChars).toBeGreaterThan(0.9);
    // The log post is most of the thread.
    expect(scan.posts!.longest / scan.posts!.chars).toBeGreaterThan(0.6);
    expect(scan.contentChars).toBeLessThan(scan.textChars);
  });

  it('finds three or more posts by class token or numbered id, and not nested ones twice', () => {
    const byId = scanPage(body('<div id="p1">one</div><div id="p2">two<div id="p9">quoted</div></div><div id="p3">three</div>'));
    expect(byId.posts).toMatchObject({ key: 'div#p', count: 3, chars: 17, longest: 9 });
    const two = scanPage(body('<div class="post">one</div><div class="post">two</div><p>prose</p>'));
    expect(two.posts).toBeUndefined();
    const sections = scanPage(body('<section id="s1">a</section><section id="s2">b</section><section id="s3">c</section>'));
    expect(sections.posts).toBeUndefined();
  });

  it('takes posts that are siblings or cousins (each in a wrapper of its own), not a post and cards sharing its class', () => {
    const wrapped = scanPage(body(['one', 'two', 'three'].map((t, i) => `<div id="edit${i}"><table id="post${i}"><tr><td>${t}</td></tr></table></div>`).join('')));
    expect(wrapped.posts).toMatchObject({ key: 'table#post', count: 3 });
    const cards = Array.from({ length: 4 }, (_, i) => `<article class="post"><h3>Related ${i}</h3></article>`).join('');
    const blog = scanPage(body(`<main><article class="post"><h1>The post</h1><p>${'Text. '.repeat(100)}</p></article><section class="related">${cards}</section></main>`));
    expect(blog.posts).toMatchObject({ key: 'article.post', count: 4 });
    expect(blog.posts!.longest).toBe('Related 0'.length);
  });

  it('takes no comments under an article for posts, and does not count text in scripts, styles or furniture', () => {
    const page = doc(articlePage);
    const main = page.querySelector('main')!;
    const scan = scanPage(main);
    // The comment section is pruned for Readability; its comments make no thread (issue 15).
    expect(scan.posts).toBeUndefined();
    expect(scan.prune.some((el) => el.querySelector('li.comment'))).toBe(true);
    expect(scan.textChars).toBe(main.textContent!.length);
    const furniture = ['nav', '.cookie-banner', 'aside'].reduce((n, sel) => n + main.querySelector(sel)!.textContent!.length, 0);
    expect(scan.contentChars).toBe(scan.textChars - furniture);
    const bodyScan = scanPage(page.body);
    const scripts = page.body.querySelector('script')!.textContent!.length;
    expect(bodyScan.textChars).toBe(page.body.textContent!.length - scripts);
  });
});

describe('readerCopy', () => {
  it('copies the metadata and the content root, without furniture or comments, and leaves the page alone', () => {
    const page = doc(articlePage);
    const before = page.toString();
    const main = page.querySelector('main')!;
    const copy = readerCopy(page, main, scanPage(main).prune);
    expect(page.toString()).toBe(before);
    expect(copy).not.toBe(page);
    expect(copy.documentElement.getAttribute('lang')).toBe('en');
    expect(copy.title).toBe('Night trains');
    expect(copy.querySelector('meta[name="author"]')?.getAttribute('content')).toBe('Ada');
    // JSON-LD from the head and the body; no other scripts or styles.
    expect(copy.querySelectorAll('script[type="application/ld+json"]')).toHaveLength(2);
    expect(copy.querySelector('style')).toBeNull();
    expect(copy.body.getAttribute('class')).toBe('single');
    expect(copy.querySelector('main article > p')?.textContent).toContain('The article text');
    // The article's own header stays (title, byline); furniture and comments go.
    expect(copy.querySelector('article header .byline')?.textContent).toBe('By Ada');
    for (const gone of ['.breadcrumbs', 'aside', '#comments', '.comment', '.cookie-banner', 'body > header', 'footer']) {
      expect(copy.querySelector(gone), gone).toBeNull();
    }
    // Everything else, in order: the same as a whole clone with those subtrees removed.
    const clone = main.cloneNode(true) as Element;
    for (const el of Array.from(clone.querySelectorAll('.breadcrumbs, aside, #comments, .cookie-banner'))) el.remove();
    expect(copy.querySelector('main')!.outerHTML).toBe(clone.outerHTML);
  });

  it('copies the whole body when that is the root', () => {
    const page = doc(articlePage);
    const copy = readerCopy(page, page.body, scanPage(page.body).prune);
    expect(copy.querySelector('body > header h1, body > header a')?.textContent).toBe('Site');
    expect(copy.querySelector('main article h1')?.textContent).toBe('Night trains');
    for (const gone of ['nav', 'footer', '#comments', 'aside']) expect(copy.querySelector(gone), gone).toBeNull();
  });
});
