// Hacker News item pages (a story, an Ask HN, or one comment's permalink) and their comment tree.
// HN lists comments flat in one table; each row's indent (the `indent` attribute, or the spacer
// image's width, 40 px a level) gives its depth, from which the reply tree is rebuilt.
import { clean, renderThread, textOf, treeFromDepths, type Post, type SiteReading } from './thread';

function depthOf(row: Element): number {
  const ind = row.querySelector('td.ind');
  const attr = ind?.getAttribute('indent');
  if (attr !== null && attr !== undefined && attr !== '') return Number.parseInt(attr, 10) || 0;
  const width = Number.parseInt(ind?.querySelector('img')?.getAttribute('width') ?? '0', 10);
  return Number.isFinite(width) ? Math.round(width / 40) : 0;
}

function dateOf(age: Element | null | undefined): string | undefined {
  // title="2025-06-15T12:00:00 1750000000": the ISO date before the Unix time.
  const iso = age?.getAttribute('title')?.split(' ')[0];
  return iso ? iso.slice(0, 10) : clean(age?.textContent);
}

function comment(row: Element): Post {
  return {
    author: clean(row.querySelector('.hnuser')?.textContent),
    score: clean(row.querySelector('.comhead .score')?.textContent),
    time: dateOf(row.querySelector('.age')),
    text: textOf(row.querySelector('.commtext')) || '[deleted]',
    replies: [],
  };
}

export function readHackerNews(doc: Document): SiteReading | null {
  const item = doc.querySelector('table.fatitem');
  if (!item) return null;
  const titleLink = item.querySelector('.titleline > a');
  const ownComment = item.querySelector('.commtext');
  let title: string;
  let post: Post;
  if (titleLink) {
    const link = titleLink.getAttribute('href');
    const top = textOf(item.querySelector('.toptext'));
    // Ask HN links to itself; a story's link is what the thread discusses.
    const external = link && /^https?:/.test(link) ? link : undefined;
    title = clean(titleLink.textContent) ?? '';
    post = {
      author: clean(item.querySelector('.hnuser')?.textContent),
      score: clean(item.querySelector('.score')?.textContent),
      time: dateOf(item.querySelector('.age')),
      text: [external ? `Link: ${external}` : '', top].filter(Boolean).join('\n\n'),
      replies: [],
    };
  } else if (ownComment) {
    post = comment(item);
    const story = clean(item.querySelector('.onstory a')?.textContent);
    title = `Comment by ${post.author ?? 'someone'}${story ? ` on “${story}”` : ''}`;
  } else return null;
  const rows = Array.from(doc.querySelectorAll('table.comment-tree tr.comtr'));
  const comments = treeFromDepths(rows.map((row) => ({ depth: depthOf(row), post: comment(row) })));
  return { title, text: renderThread(title, post, comments), byline: post.author, siteName: 'Hacker News' };
}
