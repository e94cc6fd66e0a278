// A deterministic ~1 MB news-article-with-comment-thread page, shaped like the real thing: inline
// CSS and hydration JSON in the head, a cookie banner, a header with mega menus (hidden by the
// stylesheet), sidebars, a long article (sections, lists, tables, quotes, figures, code, ad slots),
// a few hundred nested comments with avatars, icons and buttons, and a link-heavy footer.
// Marker sentences let the benchmark check what each extractor kept.

import { prose, type Prose } from '../lib/prose';

export const MARKERS = {
  articleStart: 'The first paragraph of the article begins with this marker sentence.',
  articleEnd: 'The article ends with this closing marker sentence.',
  comment: 'This late comment carries the comment marker sentence.',
  cookie: 'We use cookies to improve your experience, marker sentence of the banner.',
  menu: 'Hidden mega menu marker link',
  footer: 'Footer marker: all rights reserved by Example Media Group.',
} as const;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ICON = '<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M12 21l-1.5-1.3C5.4 15.4 2 12.3 2 8.5 2 5.4 4.4 3 7.5 3c1.7 0 3.4.8 4.5 2.1C13.1 3.8 14.8 3 16.5 3 19.6 3 22 5.4 22 8.5c0 3.8-3.4 6.9-8.5 11.2L12 21z"/></svg>';

function inlineText(p: Prose): string {
  // A paragraph with the inline markup CMSes produce: links, emphasis, code, the odd footnote.
  return p
    .paragraph()
    .split(' ')
    .map((w) => {
      const r = p.random();
      if (r < 0.03) return `<a href="/topics/${encodeURIComponent(w.toLowerCase())}">${esc(w)}</a>`;
      if (r < 0.045) return `<em>${esc(w)}</em>`;
      if (r < 0.055) return `<strong>${esc(w)}</strong>`;
      if (r < 0.058) return `<code>${esc(w)}</code>`;
      if (r < 0.06) return `${esc(w)}<sup><a href="#fn-${p.int(40)}">${1 + p.int(40)}</a></sup>`;
      return esc(w);
    })
    .join(' ');
}

function css(p: Prose): string {
  const rules = [
    '.menu-panel{display:none}',
    '.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}',
    '.modal{display:none}',
    '.layout{display:grid;grid-template-columns:220px minmax(0,1fr) 280px;gap:24px}',
    'body{font:16px/1.6 system-ui,sans-serif;margin:0;color:#222}',
  ];
  for (let i = 0; i < 400; i++) {
    const name = `.${p.word().replace(/[^a-z]/gi, '') || 'x'}-${i}`;
    rules.push(`${name}{margin:${p.int(24)}px ${p.int(24)}px;padding:${p.int(12)}px;color:#${(0x100000 + p.int(0xefffff)).toString(16)};font-size:${12 + p.int(12)}px}`);
    if (i % 10 === 0) rules.push(`@media (max-width:${600 + p.int(600)}px){${name}{display:block;width:100%}}`);
  }
  return rules.join('\n');
}

function hydrationJson(p: Prose, articles: number): string {
  const items = Array.from({ length: articles }, (_, i) => ({
    id: 100_000 + i,
    slug: p.title(4).toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    title: p.title(),
    teaser: p.sentence(),
    tags: [p.word(), p.word(), p.word()],
    published: `2025-0${1 + p.int(9)}-1${p.int(9)}T0${p.int(9)}:00:00Z`,
  }));
  // `<` escaped as JSON allows, so a teaser can never close the script element.
  return JSON.stringify({ page: 'article', user: null, feed: items }).replace(/</g, '\\u003c');
}

function header(p: Prose): string {
  const sections = ['News', 'World', 'Business', 'Technology', 'Science', 'Culture', 'Sport', 'Opinion'];
  const menus = sections
    .map((s, i) => {
      const links = Array.from({ length: 12 }, (_, j) => `<li><a href="/${s.toLowerCase()}/${j}">${i === 3 && j === 5 ? MARKERS.menu : p.title(2)}</a></li>`).join('');
      return `<li class="nav-item"><a href="/${s.toLowerCase()}">${s}</a><div class="menu-panel"><ul>${links}</ul></div></li>`;
    })
    .join('');
  return `<a class="skip-link visually-hidden" href="#main">Skip to content</a>
<div class="cookie-banner" id="cookie-consent" role="dialog" aria-label="Cookies"><p>${MARKERS.cookie} ${p.sentence()}</p><button>Accept all</button><button>Settings</button></div>
<header class="site-header"><a class="logo" href="/"><svg viewBox="0 0 100 20" width="100" height="20"><text x="0" y="15">Example</text></svg></a>
<nav class="primary" aria-label="Main"><ul>${menus}</ul></nav>
<form role="search" action="/search"><input type="search" name="q" placeholder="Search"><button>Search</button></form>
<div class="account"><a href="/login">Sign in</a> <a class="btn" href="/subscribe">Subscribe</a></div></header>`;
}

function leftSidebar(p: Prose): string {
  const trending = Array.from({ length: 20 }, (_, i) => `<li><a href="/trending/${i}">${p.title()}</a></li>`).join('');
  return `<aside class="sidebar left"><h3>Trending</h3><ol>${trending}</ol>
<div class="newsletter-signup"><h3>Get the briefing</h3><p>${p.sentence()}</p><form><input type="email" placeholder="Email"><button>Sign up</button></form></div></aside>`;
}

function rightSidebar(p: Prose): string {
  const cards = Array.from(
    { length: 15 },
    (_, i) => `<div class="card"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="" width="80" height="60"><h3><a href="/related/${i}">${p.title()}</a></h3><p>${p.sentence()}</p></div>`,
  ).join('');
  return `<aside class="sidebar right" role="complementary"><h2>Related</h2>${cards}<div class="ad-slot">Advertisement</div></aside>`;
}

function articleSection(p: Prose, n: number): string {
  const parts = [`<section id="s${n}"><h2>${p.title()}</h2>`];
  const paragraphs = 3 + p.int(6);
  for (let i = 0; i < paragraphs; i++) {
    parts.push(`<p>${inlineText(p)}</p>`);
    const r = p.random();
    if (r < 0.1) {
      const tag = p.random() < 0.5 ? 'ul' : 'ol';
      parts.push(`<${tag}>${Array.from({ length: 3 + p.int(5) }, () => `<li>${esc(p.sentence())}</li>`).join('')}</${tag}>`);
    } else if (r < 0.15) {
      parts.push(`<blockquote><p>${esc(p.sentence())} ${esc(p.sentence())}</p><cite>${p.name()}</cite></blockquote>`);
    } else if (r < 0.2) {
      parts.push(`<figure><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/${n}-${i}.jpg" alt="${esc(p.title())}" width="640" height="360"><figcaption>${esc(p.sentence())}</figcaption></figure>`);
    } else if (r < 0.23) {
      const cols = 3 + p.int(4);
      const head = `<thead><tr>${Array.from({ length: cols }, () => `<th>${p.title(2)}</th>`).join('')}</tr></thead>`;
      const rows = Array.from({ length: 6 + p.int(7) }, () => `<tr>${Array.from({ length: cols }, (_, c) => `<td>${c === 0 ? p.title(2) : (p.random() * 1000).toFixed(1)}</td>`).join('')}</tr>`).join('');
      parts.push(`<table class="data"><caption>${esc(p.sentence())}</caption>${head}<tbody>${rows}</tbody></table>`);
    } else if (r < 0.25) {
      parts.push(`<pre><code>${Array.from({ length: 4 + p.int(8) }, () => `const ${p.word().replace(/[^a-z]/gi, 'x')} = compute(${p.int(100)}, "${p.word()}");`).join('\n')}</code></pre>`);
    } else if (r < 0.28) {
      parts.push(`<div class="ad-slot" data-ad="${p.int(1e6)}"><span>Advertisement</span></div>`);
    } else if (r < 0.3) {
      parts.push(`<aside class="inline-related"><strong>Read more:</strong> <a href="/more/${p.int(1e4)}">${p.title()}</a></aside>`);
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

function comment(p: Prose, id: number, depth: number, marker: boolean): string {
  const paragraphs = Array.from({ length: 1 + p.int(3) }, () => `<p>${esc(p.paragraph())}</p>`);
  if (marker) paragraphs.push(`<p>${MARKERS.comment}</p>`);
  const replies = depth < 2 && p.random() < 0.25 ? `<ol class="children">${Array.from({ length: 1 + p.int(3) }, (_, k) => comment(p, id * 10 + k, depth + 1, false)).join('')}</ol>` : '';
  return `<li class="comment" id="c${id}"><article class="comment-card"><div class="comment-meta"><img class="avatar" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="" width="32" height="32"><a class="user" href="/u/${id}">${p.name()}${p.int(999)}</a> <time datetime="2025-03-0${1 + p.int(9)}">${1 + p.int(23)} hours ago</time>${p.random() < 0.1 ? ' <span class="badge">Subscriber</span>' : ''}</div>
<div class="comment-body">${paragraphs.join('')}</div>
<div class="comment-actions"><button class="reply">${ICON} Reply</button><button class="like">${ICON} ${p.int(300)}</button><a href="#c${id}" class="share">Share</a><button class="report visually-hidden">Report</button></div></article>${replies}</li>`;
}

function footer(p: Prose): string {
  const cols = Array.from({ length: 4 }, () => `<div class="col"><h4>${p.title(2)}</h4><ul>${Array.from({ length: 10 }, (_, i) => `<li><a href="/f/${i}">${p.title(2)}</a></li>`).join('')}</ul></div>`).join('');
  return `<footer class="site-footer">${cols}<p>${MARKERS.footer}</p><div class="social">${ICON}${ICON}${ICON}${ICON}</div></footer>
<div class="modal" id="paywall"><h2>Subscribe to keep reading</h2><p>${p.sentence()}</p></div>`;
}

/** The page's HTML, about `bytes` long (UTF-8); article and comment thread each take about half the body. */
export function bigPageHtml(bytes = 1_000_000, seed = 2025): string {
  const p = prose(seed);
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${p.title(8)} | Example News</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="description" content="${esc(p.sentence())}">
<meta property="og:title" content="${esc(p.title())}"><meta property="og:site_name" content="Example News">
<style>${css(p)}</style>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"${p.title()}","author":{"@type":"Person","name":"${p.name()} ${p.name()}"}}</script>
<script>window.__INITIAL_STATE__ = ${hydrationJson(p, 150)};</script>
</head><body>`;
  const top = `${header(p)}<div class="layout">${leftSidebar(p)}<main id="main"><nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> › <a href="/science">Science</a></nav>`;
  const bottom = `</main>${rightSidebar(p)}</div>${footer(p)}</body></html>`;
  const encoder = new TextEncoder();
  const size = (s: string) => encoder.encode(s).length;
  const fixed = size(head) + size(top) + size(bottom);
  const budget = Math.max(0, bytes - fixed);

  const article = [`<article class="post"><header><h1>${esc(p.title(9))}</h1><p class="byline">By <a rel="author" href="/people/x">${p.name()} ${p.name()}</a> · <time datetime="2025-03-01">1 March 2025</time></p></header><div class="post-body"><p class="lede">${MARKERS.articleStart} ${inlineText(p)}</p>`];
  let articleBytes = size(article[0]!);
  for (let n = 1; articleBytes < budget * 0.5; n++) {
    const s = articleSection(p, n);
    article.push(s);
    articleBytes += size(s);
  }
  article.push(`<p>${MARKERS.articleEnd}</p></div><footer class="post-tags">Tags: ${Array.from({ length: 6 }, () => `<a href="/tag/${p.int(999)}">${p.word()}</a>`).join(', ')}</footer></article>`);
  const articleHtml = article.join('\n');

  const comments: string[] = [];
  let used = size(articleHtml) + 200;
  for (let id = 1; used < budget; id++) {
    const c = comment(p, id, 0, false);
    comments.push(c);
    used += size(c);
  }
  // The marker goes into the last top-level comment.
  comments[comments.length - 1] = comment(prose(seed + 1), comments.length, 2, true);
  const thread = `<section class="comments" id="comments"><h2>Comments (${comments.length})</h2><ol class="comment-list">${comments.join('\n')}</ol></section>`;
  return `${head}${top}${articleHtml}${thread}${bottom}`;
}

export const FORUM_MARKERS = {
  firstPost: 'The opening post starts with this marker sentence.',
  longPostEnd: 'The long pasted log ends with this marker line.',
  lastPost: 'The last reply carries this marker sentence.',
  navigation: 'Board index marker',
  signature: 'Signature marker line',
  footer: 'Powered by the forum software marker',
} as const;

function postLines(p: Prose, lines: number): string {
  // Old forum software (and nl2br everywhere) writes what the user typed: lines separated by <br />.
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(p.random() < 0.15 ? '' : esc(p.sentence()));
  }
  return out.join('<br />\n');
}

/**
 * A forum thread as vBulletin-era software renders it, ~`bytes` long: post bits with user info,
 * message bodies whose lines are separated by `<br />` (one of them a long pasted log of thousands
 * of lines), quotes, signatures, and a layout table around the header.
 */
export function forumPageHtml(bytes = 1_000_000, seed = 1999): string {
  const p = prose(seed);
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${p.title(6)} - Example Forums</title>
<style>${css(p)}</style></head><body>
<table class="header" width="100%"><tr><td><a href="/"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Example Forums"></a></td>
<td align="right"><a href="/faq">FAQ</a> · <a href="/search">Search</a> · <a href="/members">Memberlist</a> · <a href="/login">Log in</a></td></tr></table>
<div class="navbar"><a href="/">${FORUM_MARKERS.navigation}</a> » <a href="/f/3">Hardware</a> » <a href="/f/3/t">Topic</a></div>
<div id="posts">`;
  const bottom = `</div><div class="pagenav">Page 1 of 1</div><div class="copyright">${FORUM_MARKERS.footer} · <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></div></body></html>`;
  const encoder = new TextEncoder();
  const size = (s: string) => encoder.encode(s).length;
  const post = (n: number, body: string) => `<div class="postbit" id="post${n}">
<div class="posthead"><span class="date">${1 + p.int(28)}-03-2025, ${p.int(24)}:${10 + p.int(49)}</span> <a class="postcounter" href="#post${n}">#${n}</a></div>
<div class="userinfo"><a class="username" href="/members/${n}">${p.name()}${p.int(999)}</a><div class="usertitle">${p.pick(['Junior Member', 'Member', 'Senior Member'])}</div><img class="avatar" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""><dl class="userstats"><dt>Join Date</dt><dd>Mar 20${10 + p.int(14)}</dd><dt>Posts</dt><dd>${p.int(5000)}</dd></dl></div>
<div class="postbody"><h2 class="posttitle">Re: ${esc(p.title(4))}</h2><div class="content" id="post_message_${n}">${body}</div>
<div class="signature">__________________<br />${n % 4 === 0 ? FORUM_MARKERS.signature : esc(p.sentence())}</div></div>
<div class="postfoot"><a class="quote" href="/newreply?p=${n}">Reply With Quote</a></div></div>`;
  const quote = () => `<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container"><div class="bbcode_postedby">Originally Posted by <strong>${p.name()}</strong></div><div class="message">${postLines(p, 2 + p.int(4))}</div></div></div></div>`;

  const posts: string[] = [];
  posts.push(post(1, `${FORUM_MARKERS.firstPost}<br />\n${postLines(p, 20)}`));
  // A reply that pastes a long log: one block of thousands of <br />-separated lines.
  let log = '';
  for (let i = 0; size(log) < bytes * 0.3; i++) log += `[${String(i).padStart(5, '0')}] ${p.pick(['INFO', 'WARN', 'DEBUG'])} ${esc(p.sentence())}<br />\n`;
  posts.push(post(2, `Here is the full log:<br />\n<br />\n${log}${FORUM_MARKERS.longPostEnd}`));
  let used = size(head) + size(bottom) + posts.reduce((n, s) => n + size(s), 0);
  for (let n = 3; used < bytes - 3_000; n++) {
    const next = post(n, `${p.random() < 0.3 ? quote() : ''}${postLines(p, 3 + p.int(25))}`);
    posts.push(next);
    used += size(next);
  }
  posts.push(post(posts.length + 1, `${FORUM_MARKERS.lastPost}<br />\n${postLines(p, 3)}`));
  return `${head}${posts.join('\n')}${bottom}`;
}
