// X (Twitter): a long-form article, or a post's conversation. In a conversation the posts before
// the one the URL names are the chain it answers, each replying to the one before; the posts
// after it reply to it.
import { clean, renderThread, textOf, type Post, type SiteReading } from './thread';

function tweetOf(article: Element): Post {
  const name = article.querySelector('[data-testid="User-Name"]');
  const links = Array.from(name?.querySelectorAll('a') ?? []);
  const display = clean(links[0]?.textContent);
  const handle = links.map((a) => clean(a.textContent)).find((t) => t?.startsWith('@'));
  const time = article.querySelector('time')?.getAttribute('datetime');
  const media = article.querySelector('[data-testid="tweetPhoto"] img')?.getAttribute('alt');
  const quoted = article.querySelector('[data-testid="tweetText"] ~ * [data-testid="tweetText"], div[role="link"] [data-testid="tweetText"]');
  const own = Array.from(article.querySelectorAll('[data-testid="tweetText"]')).find((t) => t !== quoted);
  return {
    author: display && handle && display !== handle ? `${display} (${handle})` : (display ?? handle),
    time: time ? time.slice(0, 10) : undefined,
    text: [textOf(own), media && media !== 'Image' ? `[image: ${media}]` : '', quoted ? `Quoting: ${clean(quoted.textContent)}` : ''].filter(Boolean).join('\n\n'),
    replies: [],
  };
}

function statusId(url: string): string | undefined {
  return /\/status\/(\d+)/.exec(url)?.[1];
}

export function readX(doc: Document, url: string): SiteReading | null {
  const longform = doc.querySelector('[data-testid="twitterArticleRichTextView"]');
  if (longform) {
    const titleEl = longform.querySelector('[data-testid="twitter-article-title"]');
    const title = clean(titleEl?.textContent) ?? clean(doc.title) ?? '';
    const author =
      clean(longform.querySelector('[itemprop="author"] [itemprop="name"]')?.getAttribute('content')) ??
      /^https?:\/\/[^/]+\/([^/]+)\/(?:status|article)/.exec(url)?.[1];
    const body = longform.cloneNode(true) as Element;
    body.querySelector('[data-testid="twitter-article-title"]')?.remove();
    return { title, text: [`# ${title}`, author ? `By ${author}` : '', textOf(body)].filter(Boolean).join('\n\n'), byline: author, siteName: 'X' };
  }
  const articles = Array.from(doc.querySelectorAll('article[data-testid="tweet"]')).filter((a) => !a.parentElement?.closest('article[data-testid="tweet"]'));
  if (articles.length === 0) return null;
  const id = statusId(url);
  let focal = articles.findIndex((a) => id && Array.from(a.querySelectorAll('a[href*="/status/"]')).some((l) => statusId(l.getAttribute('href') ?? '') === id));
  if (focal < 0) focal = 0;
  const posts = articles.map(tweetOf);
  const [first, ...rest] = posts;
  // The chain up to the named post, each a reply to the previous; then the replies to it.
  let parent = first!;
  for (let i = 1; i <= focal; i++) {
    parent.replies.push(posts[i]!);
    parent = posts[i]!;
  }
  parent.replies.push(...rest.slice(focal));
  const focalPost = posts[focal]!;
  const title = `Post by ${focalPost.author ?? 'someone'}${focalPost.text ? `: ${clean(focalPost.text)!.slice(0, 80)}` : ''}`;
  return { title, text: renderThread(title, first, first!.replies, 'Replies'), byline: focalPost.author, siteName: 'X' };
}
