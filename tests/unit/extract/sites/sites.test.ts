// Site readers (lib/extract/sites) on recorded pages of each site (Defuddle's fixtures, copied into
// tests/e2e/pages/sites with their licence) and on the other shapes those sites' pages take.
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../../lib/extract/page';
import { readSite, siteReaderFor } from '../../../../lib/extract/sites';

function doc(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

function page(file: string): Document {
  return doc(readFileSync(new URL(`../../../e2e/pages/sites/${file}`, import.meta.url), 'utf8'));
}

function read(d: Document, url: string): string {
  const reading = readSite(d, url);
  expect(reading).not.toBeNull();
  return reading!.text;
}

describe('siteReaderFor', () => {
  it('chooses by host name, and none for other sites', () => {
    for (const url of [
      'https://news.ycombinator.com/item?id=1',
      'https://old.reddit.com/r/a/comments/b/c/',
      'https://www.reddit.com/r/a/comments/b/c/',
      'https://github.com/a/b/issues/1',
      'https://stackoverflow.com/questions/1/x',
      'https://unix.stackexchange.com/questions/1/x',
      'https://superuser.com/questions/1/x',
      'https://x.com/a/status/1',
      'https://twitter.com/a/status/1',
      'https://de.wikipedia.org/wiki/X',
    ]) expect(siteReaderFor(url), url).toBeDefined();
    for (const url of ['https://example.com/', 'https://notreddit.com/', 'https://github.com.evil.example/', 'not a url']) expect(siteReaderFor(url), url).toBeUndefined();
  });

  it('leaves pages it does not know to the generic path', () => {
    const listing = doc('<html><head><title>Hacker News</title></head><body><table class="itemlist"><tr class="athing"><td class="title"><span class="titleline"><a href="https://a.example">A story</a></span></td></tr></table></body></html>');
    expect(readSite(listing, 'https://news.ycombinator.com/news')).toBeNull();
    expect(extractPage(listing, 'https://news.ycombinator.com/news').source).not.toBe('site');
  });
});

describe('Hacker News', () => {
  it('rebuilds the reply tree from the indent of each row (spacer image widths)', () => {
    const text = read(page('hn-item.html'), 'https://news.ycombinator.com/item?id=12345678');
    expect(text).toContain('# A Sample Article\n\n**author_one** · 150 points · 2025-01-15\n\nLink: https://example.com/article\n\n## Comments (4)');
    expect(text).toContain('> **commenter_one** · 25 points · 2025-01-15\n> This is a really interesting article.');
    expect(text).toContain('> > **commenter_two** · 2025-01-15 · replying to commenter_one');
    expect(text).toContain('> > > **commenter_one** · 2025-01-15 · replying to commenter_two\n> > > Exactly.');
    expect(text).toContain('\n\n> **commenter_three** · 10 points');
    expect(text).not.toContain('hours ago');
  });

  it('reads an Ask HN with its text, `indent` attributes, code blocks and a deleted comment', () => {
    const row = (id: number, indent: number, body: string) =>
      `<tr class="athing comtr" id="${id}"><td><table><tr><td class="ind" indent="${indent}"><img src="s.gif" width="${indent * 40}"></td><td class="default"><div><span class="comhead"><a class="hnuser">u${id}</a> <span class="age" title="2024-03-01T10:00:00 1709287200"><a>1 day ago</a></span></span></div><div class="comment">${body}<div class="reply"><a>reply</a></div></div></td></tr></table></td></tr>`;
    const d = doc(`<html><head><title>Ask HN: Tabs or spaces? | Hacker News</title></head><body><table id="hnmain"><tr><td><span class="pagetop"><a>new</a> | <a>past</a></span></td></tr><tr><td>
      <table class="fatitem"><tr class="athing"><td class="title"><span class="titleline"><a href="item?id=1">Ask HN: Tabs or spaces?</a></span></td></tr>
      <tr><td class="subtext"><span class="score">12 points</span> by <a class="hnuser">asker</a> <span class="age" title="2024-03-01T09:00:00 1"><a>2 days ago</a></span></td></tr>
      <tr><td><div class="toptext">Which do you use, and why?</div></td></tr></table>
      <table class="comment-tree">${row(2, 0, '<div class="commtext c00">Spaces.<pre><code>  indented\n    more</code></pre></div>')}${row(3, 1, '')}${row(4, 2, '<div class="commtext">Tabs.</div>')}${row(5, 0, '<div class="commtext">Both.</div>')}</table></td></tr></table></body></html>`);
    const text = read(d, 'https://news.ycombinator.com/item?id=1');
    expect(text).toContain('**asker** · 12 points · 2024-03-01\n\nWhich do you use, and why?');
    expect(text).not.toContain('Link:');
    expect(text).toContain('> **u2** · 2024-03-01\n> Spaces.\n>\n> ```\n>   indented\n>     more\n> ```');
    expect(text).toContain('> > **u3** · 2024-03-01 · replying to u2\n> > [deleted]');
    expect(text).toContain('> > > **u4** · 2024-03-01 · replying to u3\n> > > Tabs.');
    expect(text).toContain('\n\n> **u5** · 2024-03-01\n> Both.');
    expect(text).not.toMatch(/\breply\b/);
  });
});

describe('Reddit', () => {
  it('old Reddit: nested `.child` boxes are the reply tree', () => {
    const text = read(page('old-reddit-thread.html'), 'https://old.reddit.com/r/test/comments/abc123/test_post/');
    expect(text).toContain('# Test Post\n\n**poster_user**\n\nThis is the post body with some content.\n\n## Comments (5)');
    expect(text).toContain('> > > **user_alpha** · 8 points · 2025-01-15 · replying to user_beta\n> > > Thanks for the reply!');
    expect(text).toContain('> > **user_gamma** · 3 points · 2025-01-15 · replying to user_alpha');
    expect(text).toContain('> **user_delta** · 20 points · 2025-01-15\n> Another top-level comment with a link.');
  });

  it('new Reddit: shreddit elements, their attributes and nesting', () => {
    const reading = readSite(page('new-reddit-thread.html'), 'https://www.reddit.com/r/travel/comments/xyz789/which_night_train/')!;
    expect(reading).toMatchObject({ title: 'Which night train is worth it?', byline: 'railfan42', siteName: 'r/travel' });
    expect(reading.text).toContain('**railfan42** · 1234 points · 2026-11-20\n\nPlanning Vienna to Paris in spring.');
    expect(reading.text).toContain('> > **budgetbackpacker** · 88 points · 2026-11-20 · replying to sleeperfan\n> > Couchettes are fine');
    expect(reading.text).toContain('> **conductor_eu** · 45 points · 2026-11-21');
    for (const noise of ['Popular', 'Community rules', 'Reply Award Share', 'Share']) expect(reading.text).not.toContain(noise);
  });
});

describe('GitHub', () => {
  it('a recorded issue (React viewer): the body, then each comment with author, role and date', () => {
    const reading = readSite(page('github-issue.html'), 'https://github.com/kepano/defuddle/issues/56')!;
    expect(reading.title).toBe('Defuddle on Cloudflare Workers · Issue #56 · kepano/defuddle');
    expect(reading.text).toContain('**jmorrell** · Contributor · 2025-05-25\n\nExample repo here:');
    expect(reading.text).toContain('```\nconst sheets = Array.from(doc.styleSheets ?? [])\n```');
    expect(reading.text).toContain('## Comments (6)');
    expect(reading.text).toContain('> **masylum** · 2025-06-02\n> it would be great');
    expect(reading.text).not.toContain('Issue body actions');
  });

  it('a pull request (classic markup): review comments are marked as such', () => {
    const d = doc(`<html><head><title>Fix it · Pull Request #42 · o/r</title></head><body><header class="Header"><a>Pull requests</a></header><div class="js-discussion">
      <div class="timeline-comment"><h3><strong><a class="author" href="/alice">alice</a></strong> commented <relative-time datetime="2026-01-15T10:30:00Z">Jan 15</relative-time></h3><div class="comment-body markdown-body"><p>Fixes the crash.</p></div></div>
      <div class="js-inline-comments-container"><div class="review-comment"><h3><a class="author" href="/bob">bob</a> <relative-time datetime="2026-01-16T10:30:00Z">Jan 16</relative-time></h3><div class="comment-body markdown-body"><p>Rename this.</p></div></div></div>
      </div><footer>© GitHub</footer></body></html>`);
    const text = read(d, 'https://github.com/o/r/pull/42');
    expect(text).toContain('# Fix it · Pull Request #42 · o/r\n\n**alice** · 2026-01-15\n\nFixes the crash.\n\n## Comments (1)\n\n> **bob** · review comment · 2026-01-16\n> Rename this.');
    expect(text).not.toContain('© GitHub');
  });

  it('a repository page: its README', () => {
    const d = doc(`<html><head><title>o/r: A tool</title></head><body><nav><a>Code</a><a>Issues</a></nav><div class="file-navigation">main · 3 branches</div><div id="readme"><article class="markdown-body entry-content"><h1>r</h1><p>A tool that does things.</p><pre><code>npm i r</code></pre></article></div></body></html>`);
    const reading = readSite(d, 'https://github.com/o/r')!;
    expect(reading.text).toBe('# o/r: A tool\n\n# r\n\nA tool that does things.\n\n```\nnpm i r\n```');
  });
});

describe('Stack Overflow', () => {
  it('the question, its comments, then each answer (accepted marked) with its comments', () => {
    const text = read(page('stackoverflow-question.html'), 'https://stackoverflow.com/questions/927358/x');
    expect(text).toContain('**Hamza Yerlikaya** · question · 26512 votes · 2009-05-29\n\nI accidentally committed');
    expect(text).toContain('## Comments on the question (1)\n\n> **Charles Bailey** · 12 · 2009-05-29\n> Did you push the commits anywhere?');
    expect(text).toContain('## Answers (2)\n\n> **Esko Luontola** · accepted answer · 28401 votes · 2009-05-29');
    expect(text).toContain('> ```\n> $ git commit -m "Something terribly misguided"\n> $ git reset HEAD~');
    expect(text).toContain('> > **Ryan Lundy** · 300 · replying to Esko Luontola');
    expect(text).toContain('> **Andrew Sharp** · answer · 12100 votes');
    for (const noise of ['Hot Network Questions', 'Privacy Policy', 'Sorted by', 'Collectives']) expect(text).not.toContain(noise);
  });
});

describe('X', () => {
  it('a conversation: the replies under the post', () => {
    const text = read(page('x-conversation.html'), 'https://x.com/main_user/status/1234567890');
    expect(text).toContain('**Main User (@main_user)** · 2026-05-16\n\nMain post from a localized X interface.\n\n## Replies (1)');
    expect(text).toContain('> **Reply User (@reply_user)** · 2026-05-16\n> Reply that should be extracted');
  });

  it('the posts before the one the URL names are the chain it answers', () => {
    const tweet = (user: string, id: number, text: string) =>
      `<article data-testid="tweet"><div data-testid="User-Name"><a href="/${user}">${user}</a><a href="/${user}">@${user}</a></div><a href="/${user}/status/${id}"><time datetime="2026-01-0${id}T00:00:00Z">x</time></a><div data-testid="tweetText">${text}</div></article>`;
    const d = doc(`<html><body><main>${tweet('a', 1, 'First.')}${tweet('b', 2, 'Second, answering a.')}${tweet('c', 3, 'Third, answering b.')}</main></body></html>`);
    const text = read(d, 'https://x.com/b/status/2');
    expect(text).toContain('**a (@a)** · 2026-01-01\n\nFirst.');
    expect(text).toContain('> **b (@b)** · 2026-01-02\n> Second, answering a.');
    expect(text).toContain('> > **c (@c)** · 2026-01-03 · replying to b (@b)');
  });

  it('a long-form article', () => {
    const d = doc(`<html><body><div data-testid="twitterArticleRichTextView"><div data-testid="twitter-article-title">Lorem Title</div><div class="longform-unstyled"><div>Body text here.</div></div></div></body></html>`);
    const reading = readSite(d, 'https://x.com/janedoe/status/1')!;
    expect(reading).toMatchObject({ title: 'Lorem Title', byline: 'janedoe', text: '# Lorem Title\n\nBy janedoe\n\nBody text here.' });
  });
});

describe('Wikipedia', () => {
  it('a recorded article: infobox and sections, without references, citation marks or navigation', () => {
    const text = read(page('wikipedia-article.html'), 'https://en.wikipedia.org/wiki/Obsidian_(software)');
    expect(text).toMatch(/^# Obsidian \(software\)\n/);
    expect(text).toContain('| Developer(s) | Dynalist Inc. |');
    expect(text).toContain('## History\n\nObsidian was created by Shida Li and Erica Xu');
    for (const noise of ['Retrieved January 5, 2024', 'Navigation menu', '[1]', 'Contents', '[edit]']) expect(text).not.toContain(noise);
  });

  it('current markup (headings in `mw-heading` boxes), another language, navboxes and hatnotes', () => {
    const d = doc(`<html lang="de"><head><title>Zug – Wikipedia</title></head><body><h1 id="firstHeading">Zug</h1><div id="mw-content-text"><div class="mw-parser-output">
      <div class="hatnote">Dieser Artikel behandelt … Zu anderen Bedeutungen siehe Zug (Begriffsklärung).</div>
      <p>Ein Zug ist ein Fahrzeug.<sup class="reference"><a>[1]</a></sup></p>
      <div class="mw-heading mw-heading2"><h2 id="Geschichte">Geschichte</h2><span class="mw-editsection">[Bearbeiten]</span></div><p>Seit 1825.</p>
      <div class="mw-heading mw-heading2"><h2 id="Weblinks">Weblinks</h2></div><ul><li><a>Bahn.de</a></li></ul>
      <div class="mw-heading mw-heading2"><h2 id="Einzelnachweise">Einzelnachweise</h2></div><div class="reflist"><ol class="references"><li>Quelle eins</li></ol></div>
      <div class="navbox"><a>Schienenfahrzeuge</a></div></div></div></body></html>`);
    expect(read(d, 'https://de.wikipedia.org/wiki/Zug')).toBe('# Zug\n\nEin Zug ist ein Fahrzeug.\n\n## Geschichte\n\nSeit 1825.');
  });
});

describe('extractPage', () => {
  it('takes a site reader\'s text first, with its title and author, and a selection before it', () => {
    const d = page('hn-item.html');
    expect(extractPage(d, 'https://news.ycombinator.com/item?id=12345678')).toMatchObject({ source: 'site', title: 'A Sample Article', byline: 'author_one', siteName: 'Hacker News' });
    // The same page under another host is an ordinary page.
    expect(extractPage(d, 'https://example.com/item').source).not.toBe('site');
  });
});
