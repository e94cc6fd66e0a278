// One quick look at a page's structure before choosing how to read it: how much text it holds
// outside furniture, whether it is a thread (repeated post containers holding most of the text),
// and which subtrees Readability never needs to see (furniture, comment sections). Everything here
// reads the live page without touching it; the copy Readability rewrites is built from it.

import { furnitureMarker, furnitureTags, isFurnitureWith } from './visibility';

/** Elements whose text is code or markup, never page text. */
const nonText = new Set(['script', 'style', 'noscript', 'template']);

/**
 * Class or id tokens of one post, comment or reply in a thread (vBulletin's `postbit` and
 * `postcontainer`, phpBB's `post`, XenForo's `message`, Discourse's `topic-post`, WordPress's
 * `comment`, old Reddit's `thing`, Hacker News's `comtr`, Stack Exchange's `answer`…).
 */
const postToken =
  /^(?:post|postbit\w*|postcontainer|post[-_]?(?:item|wrap|wrapper|container|row)|(?:forum|topic)[-_]?post|message|comment|comment[-_]?(?:item|wrap|wrapper|container)|reply|answer|entry|hentry|thing|comtr|tweet)$/i;
/** Ids of one post: `post123`, `p123` (phpBB), `comment-45` (WordPress), `msg_9`. */
const postId = /^(post|p|msg|message|comment|reply|entry)[-_]?\d+$/i;

/** Class or id tokens of a comment section (or of one comment) under an article. */
const commentToken = /^(?:comments?(?:[-_]?(?:list|area|section|thread|wrap|wrapper|container|block|box))?|commentlist|disqus_thread|respond)$/i;

/** Every token above contains one of these: a class or id without any is not split into tokens. */
const mayMatch = /post|message|comment|reply|answer|entry|thing|comtr|tweet|disqus|respond|msg|^p[-_]?\d/i;
/** A class or id matching neither this nor furniture's marker needs no closer look. */
const anyMarker = new RegExp(`${mayMatch.source}|${furnitureMarker.source}`, 'i');

const tokenSplit = /\s+/;

/**
 * The elements the scan looks at, found natively: those with a class, id or role, and those whose
 * name alone makes them text-free or furniture. A page's many bare `p`, `em` and `li` are none.
 */
const scanSelector = `[class], [id], [role], ${[...nonText, ...furnitureTags].join(', ')}`;

export interface PostGroup {
  /** What the posts share: element name and the class token or id stem that marks them. */
  key: string;
  /** Posts not nested in another post of the group. */
  count: number;
  /** Text characters (textContent, whitespace included) of those posts together. */
  chars: number;
  /** Text characters of the longest one. */
  longest: number;
}

export interface PageScan {
  /** Elements under the root. */
  elements: number;
  /** Text characters under the root outside scripts, styles and templates. */
  textChars: number;
  /** The same, also outside page furniture (navigation, banners, sidebars, cookie notices). */
  contentChars: number;
  /** The repeated post containers holding the most text, if there are at least three of them. */
  posts?: PostGroup;
  /** Furniture (but header landmarks) and comment sections, outermost only: Readability's copy leaves them out. */
  prune: Element[];
  /** Elements inside the pruned subtrees, themselves included. */
  pruned: number;
}

function isCommentSection(role: string | null, id: string | null, cls: string | null): boolean {
  if (role === 'comment') return true;
  if (id && commentToken.test(id)) return true;
  if (!cls) return false;
  for (const token of cls.split(tokenSplit)) if (token && commentToken.test(token)) return true;
  return false;
}

function addPostKeys(el: Element, id: string | null, cls: string | null, groups: Map<string, Element[]>) {
  const add = (key: string) => {
    const members = groups.get(key);
    if (!members) groups.set(key, [el]);
    // Document order: a nested post follows the post it is in.
    else if (!members[members.length - 1]!.contains(el)) members.push(el);
  };
  if (cls) {
    for (const token of cls.split(tokenSplit)) if (token && postToken.test(token)) add(`${el.localName}.${token.toLowerCase()}`);
  }
  const stem = id ? postId.exec(id) : null;
  if (stem) add(`${el.localName}#${stem[1]!.toLowerCase()}`);
}

/**
 * The posts of one thread among elements sharing a class: the most that are siblings, or cousins
 * (posts in wrappers of their own, like vBulletin 3's). A blog post and the "related posts" cards
 * sharing its class are neither: the cards are a list of their own, and the post is no part of it.
 */
function thread(members: Element[]): Element[] {
  let best: Element[] = [];
  for (const up of [(el: Element) => el.parentNode, (el: Element) => el.parentNode?.parentNode]) {
    const sets = new Map<Node | null | undefined, Element[]>();
    for (const el of members) {
      const at = up(el);
      const set = sets.get(at);
      if (set) set.push(el);
      else sets.set(at, [el]);
    }
    for (const set of sets.values()) if (set.length > best.length) best = set;
  }
  return best;
}

/** At most this many groups (those with the most posts) have their text measured. */
const maxGroupsMeasured = 6;

/**
 * Below this share of the page's visible text (comment sections aside), a short article is taken
 * for one card of a list or one teaser, and the whole visible text is the better reading. On news
 * pages, menus and related-story lists hold up to three times a short story's text (measured on the
 * article-extraction corpus, bench/article-extraction.bench.ts).
 */
export const articleShareOfPage = 0.25;

/**
 * Posts holding this share of the text outside furniture make a page a thread, which extractPage
 * reads whole without Readability. What Readability could pick there is one post (or part of one),
 * the whole thread (the same text, give or take the thread's chrome), or something outside the
 * posts: a third of the page at most, too little to trust as the article.
 */
export const threadShare = 0.65;

/** Whether the scan found a thread: repeated post containers holding `threadShare` of the text. */
export function isThread(scan: PageScan): boolean {
  return scan.posts !== undefined && scan.posts.chars >= scan.contentChars * threadShare;
}

/** One pass over the root's marked elements: see `PageScan`. `rootChars` is `root.textContent.length` if known. */
export function scanPage(root: Element, rootChars?: number): PageScan {
  const all = root.querySelectorAll(scanSelector);
  const prune: Element[] = [];
  let pruned = 0;
  let nonTextChars = 0;
  let furnitureChars = 0;
  /** The subtree being skipped (script, style, furniture): nothing inside it counts. */
  let skipping: Element | null = null;
  /** The comment section being pruned: the comments in it are no posts of a thread. */
  let pruning: Element | null = null;
  /** The header landmark whose text is counted as furniture already: nothing inside it counts again. */
  let counted: Element | null = null;
  const groups = new Map<string, Element[]>();

  for (let i = 0; i < all.length; i++) {
    const el = all[i]!;
    if (skipping) {
      if (skipping.contains(el)) continue;
      skipping = null;
    }
    if (counted && !counted.contains(el)) counted = null;
    if (pruning && !pruning.contains(el)) pruning = null;
    const tag = el.localName;
    if (nonText.has(tag)) {
      if (!counted) nonTextChars += el.textContent?.length ?? 0;
      skipping = el;
      continue;
    }
    const id = el.getAttribute('id');
    const cls = el.getAttribute('class');
    const role = el.getAttribute('role');
    // One test rules out most elements: no furniture name or role, no class or id worth a look.
    const marked = (id !== null && anyMarker.test(id)) || (cls !== null && anyMarker.test(cls));
    if (!marked && role === null && !furnitureTags.has(tag)) continue;
    if (isFurnitureWith(el, role, id, cls)) {
      if (!counted) furnitureChars += el.textContent?.length ?? 0;
      // A header landmark often holds the title and byline, which Readability reads: it stays in
      // the copy, and the scan goes on inside it for furniture to prune (its menus).
      if (tag === 'header') {
        counted ??= el;
        continue;
      }
      skipping = el;
      if (!pruning) {
        prune.push(el);
        pruned += el.querySelectorAll('*').length + 1;
      }
      continue;
    }
    if (counted) continue;
    if (!pruning && isCommentSection(role, id, cls) && !el.querySelector('h1')) {
      pruning = el;
      prune.push(el);
      pruned += el.querySelectorAll('*').length + 1;
    }
    // Comments under an article are not a thread of their own: Readability reads the article
    // without them, and a page whose article it cannot find is read whole, comments included.
    if (marked && !pruning) addPostKeys(el, id, cls, groups);
  }

  const textChars = Math.max(0, (rootChars ?? root.textContent?.length ?? 0) - nonTextChars);
  const contentChars = Math.max(0, textChars - furnitureChars);
  let posts: PostGroup | undefined;
  const candidates = [...groups.entries()]
    .map(([key, members]): [string, Element[]] => [key, members.length >= 3 ? thread(members) : members])
    .filter(([, members]) => members.length >= 3)
    .sort((a, b) => b[1].length - a[1].length);
  const measured = new Set<Element>();
  for (const [key, members] of candidates.slice(0, maxGroupsMeasured)) {
    // Holding this much, they make the page a thread, whatever the other groups hold.
    if (posts && posts.chars >= contentChars * threadShare) break;
    // The same elements under another name (`div.postbit` and `div#post`) measure the same.
    if (measured.has(members[0]!)) continue;
    measured.add(members[0]!);
    let chars = 0;
    let longest = 0;
    for (const member of members) {
      const n = member.textContent?.length ?? 0;
      chars += n;
      if (n > longest) longest = n;
    }
    if (!posts || chars > posts.chars) posts = { key, count: members.length, chars, longest };
  }
  return {
    elements: root.querySelectorAll('*').length,
    textChars,
    contentChars,
    ...(posts ? { posts } : {}),
    prune,
    pruned,
  };
}

/**
 * A copy of the document for Readability to rewrite: the head's metadata (title, meta, base, and
 * JSON-LD from anywhere in the page) and a deep copy of `root` without the pruned subtrees (see
 * `PageScan.prune`). Smaller than a whole clone when the root is `<main>`, and without furniture or
 * comments to score.
 */
export function readerCopy(doc: Document, root: Element, prune: readonly Element[]): Document {
  const copy = doc.cloneNode(false) as Document;
  if (root === doc.documentElement) {
    copy.appendChild(copyWithout(copy, root, prune));
    return copy;
  }
  const html = copy.appendChild(copy.importNode(doc.documentElement, false));
  const head = html.appendChild(copy.createElement('head'));
  const meta = doc.head ? Array.from(doc.head.querySelectorAll('title, meta, base')) : [];
  for (const el of [...meta, ...Array.from(doc.querySelectorAll('script[type="application/ld+json" i]'))]) {
    head.appendChild(copy.importNode(el, true));
  }
  const body = doc.body && root !== doc.body ? html.appendChild(copy.importNode(doc.body, false)) : html;
  body.appendChild(copyWithout(copy, root, prune));
  return copy;
}

/**
 * `root` imported into `copy` without the `prune` subtrees: subtrees holding none of them are
 * imported whole (natively, fast); only the ancestors of pruned elements are copied one by one.
 */
function copyWithout(copy: Document, root: Element, prune: readonly Element[]): Node {
  if (prune.length === 0) return copy.importNode(root, true);
  const skipped = new Set<Node>(prune);
  const partial = new Set<Node>();
  for (const el of prune) {
    for (let up = el.parentNode; up && !partial.has(up); up = up.parentNode) {
      partial.add(up);
      if (up === root) break;
    }
  }
  const build = (node: Node): Node => {
    if (!partial.has(node)) return copy.importNode(node, true);
    const shallow = copy.importNode(node, false);
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (!skipped.has(child)) shallow.appendChild(build(child));
    }
    return shallow;
  };
  return build(root);
}
