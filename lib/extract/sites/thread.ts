// A discussion as text a model can follow: the post, then each comment under the one it answers,
// its depth shown by quote markers ("> > "), with who wrote it, its score and when. Flat text
// without them loses who replied to whom, which is most of what a thread says.
import { domToText } from '../dom-text';

export interface Post {
  author?: string | undefined;
  /** As the site shows it: "150 points", "42", "+3". */
  score?: string | undefined;
  /** ISO date or the site's own wording. */
  time?: string | undefined;
  /** Marks a post the site flags: "accepted answer", "OP". */
  label?: string | undefined;
  text: string;
  replies: Post[];
}

/** What a site reader returns: the page's text and what it knows about the page. */
export interface SiteReading {
  title: string;
  text: string;
  byline?: string | undefined;
  siteName: string;
}

/** An element's readable text (headings, lists, quotes, code blocks kept), or ''. */
export function textOf(el: Element | null | undefined): string {
  return el ? domToText(el) : '';
}

/** Trimmed, single-spaced text content, or undefined when empty. */
export function clean(value: string | null | undefined): string | undefined {
  const s = value?.replace(/\s+/g, ' ').trim();
  return s ? s : undefined;
}

function heading(post: Post, replyTo?: string): string {
  const parts = [post.author ? `**${post.author}**` : '**[deleted]**'];
  if (post.label) parts.push(post.label);
  if (post.score) parts.push(post.score);
  if (post.time) parts.push(post.time);
  if (replyTo) parts.push(`replying to ${replyTo}`);
  return parts.join(' · ');
}

function quote(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `${prefix}${line}` : prefix.trimEnd()))
    .join('\n');
}

function renderComment(post: Post, depth: number, replyTo: string | undefined, out: string[]): void {
  const prefix = '> '.repeat(depth + 1);
  out.push(quote(`${heading(post, replyTo)}\n${post.text}`.trimEnd(), prefix));
  for (const reply of post.replies) renderComment(reply, depth + 1, post.author, out);
}

/** Counts a post's replies, all levels down. */
export function countReplies(posts: readonly Post[]): number {
  return posts.reduce((n, p) => n + 1 + countReplies(p.replies), 0);
}

/**
 * The thread as Markdown-ish text: title, the post with its metadata, then "## Comments (n)" and
 * every comment, nested by quote depth, each naming whom it answers.
 */
export function renderThread(title: string, post: Post | undefined, comments: readonly Post[], commentsHeading = 'Comments'): string {
  const out: string[] = [];
  if (title) out.push(`# ${title}`);
  if (post) {
    const meta = heading(post);
    out.push(meta);
    if (post.text) out.push(post.text);
  }
  if (comments.length > 0) {
    out.push(`## ${commentsHeading} (${countReplies(comments)})`);
    for (const comment of comments) renderComment(comment, 0, undefined, out);
  }
  return out.join('\n\n');
}

/**
 * Builds the reply tree from comments listed in page order with their depth (Hacker News, new
 * Reddit): each comment answers the nearest one before it that is one level up.
 */
export function treeFromDepths(flat: readonly { depth: number; post: Post }[]): Post[] {
  const roots: Post[] = [];
  const stack: { depth: number; post: Post }[] = [];
  for (const item of flat) {
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= item.depth) stack.pop();
    const parent = stack[stack.length - 1];
    (parent ? parent.post.replies : roots).push(item.post);
    stack.push(item);
  }
  return roots;
}
