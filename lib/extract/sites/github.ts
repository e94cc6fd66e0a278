// GitHub issues, pull requests and discussions (classic `.js-comment` markup and the React issue
// viewer alike) and README / Markdown file pages. Every comment body is a `.markdown-body`; its
// author and time are in the nearest enclosing box that names an author.
import { clean, renderThread, textOf, type Post, type SiteReading } from './thread';

const authorLink = 'a.author, a[data-testid="avatar-link"], a[data-testid="issue-body-header-author"], .author-name a, a.Link--primary.text-bold';

function outermostBodies(doc: Document): Element[] {
  const all = Array.from(doc.querySelectorAll('.comment-body, [data-testid="markdown-body"], .markdown-body'));
  // React nests a `.markdown-body` inside the `[data-testid=markdown-body]` box: keep the outer one.
  return all.filter((el) => !el.parentElement?.closest('.comment-body, [data-testid="markdown-body"], .markdown-body'));
}

function commentOf(body: Element): Post | null {
  for (let box = body.parentElement; box && box.localName !== 'body'; box = box.parentElement) {
    const author = box.querySelector(authorLink);
    if (!author) continue;
    const time = box.querySelector('relative-time')?.getAttribute('datetime');
    const review = box.closest('.review-comment, .js-inline-comments-container');
    const path = clean(review?.closest('.js-resolvable-timeline-thread-container, details')?.querySelector('summary a, .file-header a')?.textContent);
    return {
      author: clean(author.textContent),
      time: time ? time.slice(0, 10) : undefined,
      label: review ? `review comment${path ? ` on ${path}` : ''}` : clean(box.querySelector('[data-testid="comment-author-association"]')?.textContent),
      text: textOf(body),
      replies: [],
    };
  }
  return null;
}

function pageTitle(doc: Document): string {
  const own =
    clean(doc.querySelector('[data-testid="issue-title"], .js-issue-title, bdi.markdown-title')?.textContent) ??
    clean(doc.querySelector('meta[property="og:title"]')?.getAttribute('content'));
  // doc.title says what it is and where: "Title · Issue #56 · owner/repo".
  const [, ...rest] = (doc.title ?? '').split(' · ');
  return own ? [own, ...rest].join(' · ') : clean(doc.title) ?? '';
}

export function readGitHub(doc: Document): SiteReading | null {
  const bodies = outermostBodies(doc);
  if (bodies.length === 0) return null;
  const posts = bodies.map(commentOf);
  const title = pageTitle(doc);
  if (posts.every((p) => p === null)) {
    // A README or a Markdown file: the rendered document is the page's content.
    const readme = doc.querySelector('#readme article, article.markdown-body') ?? bodies[0]!;
    return { title, text: [`# ${title}`, textOf(readme)].join('\n\n'), siteName: 'GitHub' };
  }
  const [post, ...comments] = posts.filter((p): p is Post => p !== null);
  return { title, text: renderThread(title, post, comments), byline: post?.author, siteName: 'GitHub' };
}
