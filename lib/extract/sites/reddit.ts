// Reddit threads, old (old.reddit.com: `.thing` elements nested in `.child` boxes) and new
// (www.reddit.com: `shreddit-post` and nested `shreddit-comment` elements whose attributes carry
// author, score and time). Both keep replies inside their parent, so the tree is the DOM's.
import { clean, renderThread, textOf, type Post, type SiteReading } from './thread';

function points(value: string | null | undefined): string | undefined {
  const s = clean(value);
  if (!s) return undefined;
  return /^-?\d+$/.test(s) ? `${s} point${s === '1' || s === '-1' ? '' : 's'}` : s;
}

function dateOf(value: string | null | undefined): string | undefined {
  const s = clean(value);
  return s && /^\d{4}-\d\d-\d\d/.test(s) ? s.slice(0, 10) : s;
}

// --- old Reddit

function oldComment(thing: Element): Post {
  const entry = thing.querySelector(':scope > .entry');
  const tagline = entry?.querySelector('.tagline');
  const score = tagline?.querySelector('.score.unvoted') ?? tagline?.querySelector('.score');
  return {
    author: thing.getAttribute('data-author') ?? clean(tagline?.querySelector('.author')?.textContent),
    score: points(score?.getAttribute('title')) ?? clean(score?.textContent),
    time: dateOf(tagline?.querySelector('time')?.getAttribute('datetime')),
    label: tagline?.querySelector('.submitter') ? 'OP' : undefined,
    text: textOf(entry?.querySelector('.usertext-body .md')) || '[deleted]',
    replies: oldComments(thing.querySelector(':scope > .child > .sitetable')),
  };
}

function oldComments(table: Element | null | undefined): Post[] {
  if (!table) return [];
  return Array.from(table.children)
    .filter((el) => el.classList.contains('thing') && el.classList.contains('comment'))
    .map(oldComment);
}

function readOld(doc: Document): SiteReading | null {
  const link = doc.querySelector('.thing.link');
  if (!link) return null;
  const title = clean(link.querySelector('a.title')?.textContent) ?? clean(doc.title) ?? '';
  const score = link.querySelector('.score.unvoted');
  const href = link.querySelector('a.title')?.getAttribute('href');
  const body = textOf(link.querySelector('.usertext-body .md'));
  const external = href && /^https?:/.test(href) && !/reddit\.com/.test(href) ? `Link: ${href}` : '';
  const post: Post = {
    author: link.getAttribute('data-author') ?? clean(link.querySelector('.tagline .author')?.textContent),
    score: points(score?.getAttribute('title')) ?? clean(score?.textContent),
    time: dateOf(link.querySelector('.tagline time')?.getAttribute('datetime')),
    text: [external, body].filter(Boolean).join('\n\n'),
    replies: [],
  };
  const comments = oldComments(doc.querySelector('.commentarea > .sitetable'));
  const sub = link.getAttribute('data-subreddit');
  return { title, text: renderThread(title, post, comments), byline: post.author, siteName: sub ? `r/${sub}` : 'Reddit' };
}

// --- new Reddit

function newComment(el: Element): Post {
  return {
    author: clean(el.getAttribute('author')),
    score: points(el.getAttribute('score')),
    time: dateOf(el.getAttribute('created') ?? el.querySelector('time')?.getAttribute('datetime')),
    text: textOf(el.querySelector(':scope > [slot="comment"]')) || '[deleted]',
    replies: newReplies(el),
  };
}

/** The comments directly under `parent`: the nearest `shreddit-comment` descendants, not deeper ones. */
function newReplies(parent: Element): Post[] {
  const own = parent.localName === 'shreddit-comment' ? parent : null;
  return Array.from(parent.querySelectorAll('shreddit-comment'))
    .filter((el) => (el.parentElement?.closest('shreddit-comment') ?? null) === own)
    .map(newComment);
}

function readNew(doc: Document): SiteReading | null {
  const el = doc.querySelector('shreddit-post');
  if (!el) return null;
  const title = clean(el.getAttribute('post-title')) ?? clean(el.querySelector('h1')?.textContent) ?? clean(doc.title) ?? '';
  const body = el.querySelector('[slot="text-body"]') ?? el.querySelector('[id$="-post-rtjson-content"]');
  const link = el.getAttribute('content-href');
  const external = link && /^https?:/.test(link) && !/reddit\.com/.test(link) ? `Link: ${link}` : '';
  const post: Post = {
    author: clean(el.getAttribute('author')),
    score: points(el.getAttribute('score')),
    time: dateOf(el.getAttribute('created-timestamp')),
    text: [external, textOf(body)].filter(Boolean).join('\n\n'),
    replies: [],
  };
  const tree = doc.querySelector('shreddit-comment-tree');
  const comments = tree ? newReplies(tree) : [];
  const sub = clean(el.getAttribute('subreddit-prefixed-name'));
  return { title, text: renderThread(title, post, comments), byline: post.author, siteName: sub ?? 'Reddit' };
}

export function readReddit(doc: Document): SiteReading | null {
  return readNew(doc) ?? readOld(doc);
}
