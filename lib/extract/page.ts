// Page → clean text. Takes the Document as an argument so it runs on a real page in the content
// script and on a parsed fixture in tests alike.
import { isProbablyReaderable } from '@mozilla/readability';
import { withoutLeadMeta } from './article-lead';
import { captionsIn } from './article-noise';
import type { PageContent } from './page-content';
import { domToText } from './dom-text';
import { normalisePlainText } from './plain-text';
import { readSite } from './sites';
import { ArticleReader } from './readability';
import { articleShareOfPage, isThread, readerCopy, scanPage, type PageScan } from './structure';
import { countWords } from './units';
import { hiddenCheckFor } from './visibility';

export interface ExtractOptions {
  /** Summarise the selection when there is one (default true). */
  useSelection?: boolean;
  /** Shorter selections are taken for stray clicks and ignored (default 20 characters). */
  minSelectionChars?: number;
  /** Overrides `doc.contentType` (which linkedom lacks). */
  contentType?: string;
  /** Longer text is cut at a paragraph boundary; messages and summaries of 10 MB logs help nobody. */
  maxChars?: number;
  /** Pages with more elements (furniture and comments aside) skip Readability (default `maxReaderElements`). */
  maxReaderElements?: number;
}

export const defaultMaxChars = 1_000_000;

const minArticleChars = 200;

/**
 * An article holding this share of the page's raw text (textContent: whitespace, furniture and
 * hidden text included) holds over `articleShareOfPage` of its visible text, and the walk that
 * would measure that is not needed. The margin covers an article whose markup is up to 1.4 times as
 * rich in whitespace (indentation) as the rest of the page; below it, the walk decides.
 */
export const clearArticleShare = 0.5;

/**
 * An article this long is kept whatever share of the page it holds. The share test is there for
 * the one card of a list or the one teaser Readability may keep on a page that is no article, and
 * those are short; on news pages the related-article teasers, player menus and link lists around a
 * real article often hold twice its text, and the share test sent them all instead (measured on
 * the article-extraction corpus, bench/article-extraction.bench.ts).
 */
export const confidentArticleChars = 1000;

/** The share of the visible text an article must hold on a page that does not look like one. */
export const unlikelyArticleShare = 0.5;

/**
 * Readability costs about 12 µs per element it reads on a freshly loaded page in Chromium (the
 * bench machine, 1 to 4 MB articles: 5,400 elements 60 ms, 11,000 145 ms, 22,000 280 ms), so past
 * 12,000 elements (furniture and comment sections left out) it alone would overrun the 150 ms a
 * 1 MB page gets. The structural walk costs about a third as much per element. Pages that big are
 * rarely one article (references, specs, long tables, threads), and the walk keeps their structure;
 * it leaves out the comment sections Readability would not have seen either.
 */
export const maxReaderElements = 12_000;

function clip(value: string | null | undefined, max: number): string | undefined {
  const s = value?.replace(/\s+/g, ' ').trim();
  if (!s) return undefined;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function truncate(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  let cut = text.lastIndexOf('\n\n', maxChars);
  if (cut < maxChars / 2) cut = maxChars;
  // Never leave half of a surrogate pair at the end.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return { text: text.slice(0, cut).trimEnd(), truncated: true };
}

function selectionText(doc: Document): string {
  const selection = typeof doc.getSelection === 'function' ? doc.getSelection() : null;
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return '';
  const parts: string[] = [];
  for (let i = 0; i < selection.rangeCount; i++) {
    // A cloned fragment keeps the structure (headings, lists) that `toString()` flattens.
    parts.push(domToText(selection.getRangeAt(i).cloneContents()));
  }
  const text = parts.filter(Boolean).join('\n\n');
  return text || selection.toString().trim();
}

/**
 * The element that holds the page's content, if the page says so and it is not an empty shell,
 * with its text length when that was read on the way.
 */
function contentRoot(doc: Document): { root: Element | null; chars?: number } {
  const body = doc.body;
  const mains = Array.from(doc.querySelectorAll('main, [role="main"]'));
  if (mains.length === 0 || !body) return { root: body ?? doc.documentElement };
  // Some pages mark an ad slot `main` before the story's own: the first one with text is the content.
  let main = mains[0]!;
  let text = main.textContent ?? '';
  if (mains.length > 1) {
    for (const candidate of mains) {
      const candidateText = candidate === main ? text : (candidate.textContent ?? '');
      let code = 0;
      for (const el of Array.from(candidate.querySelectorAll('script, style'))) code += el.textContent?.length ?? 0;
      if (candidateText.trim().length - code >= 200) {
        [main, text] = [candidate, candidateText];
        break;
      }
    }
  }
  const mainChars = text.trim().length;
  if (mainChars >= 200 || mainChars >= (body.textContent ?? '').trim().length / 4) return { root: main, chars: text.length };
  return { root: body };
}

function pageLanguage(doc: Document): string | undefined {
  const lang =
    doc.documentElement?.getAttribute('lang') ||
    doc.querySelector('meta[http-equiv="content-language" i]')?.getAttribute('content') ||
    undefined;
  return clip(lang?.split(',')[0], 35);
}

/** What separates a site's name from the page's own title: "… | The Independent", "… - Yahoo". */
const titleSeparator = /\s+(?:[|–—·•»:]|-{1,2}|::)\s+/g;
/** Host labels that name no site. */
const genericLabels = new Set(['www', 'm', 'amp', 'com', 'org', 'net', 'edu', 'gov', 'info']);

/** Lower case letters and digits only, without a leading "the": "The Independent" → "independent". */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '').replace(/^the(?=\p{L}{3})/u, '');
}

/**
 * The title without the site's name after it, when what follows the last separator names the site
 * (its og:site_name or application-name, or its host: "Yahoo" on news.yahoo.com): a summary's
 * heading is the page's title, and a hyphen inside a title ("Spider-Man - Far From Home") stays.
 */
function withoutSiteName(title: string, doc: Document, url: string, siteName?: string): string {
  let cut: RegExpExecArray | undefined;
  for (const match of title.matchAll(titleSeparator)) cut = match;
  if (!cut || cut.index === 0) return title;
  const suffix = nameKey(title.slice(cut.index + cut[0].length));
  if (!suffix) return title;
  const names = [
    siteName,
    doc.querySelector('meta[property="og:site_name"]')?.getAttribute('content'),
    doc.querySelector('meta[name="application-name"]')?.getAttribute('content'),
  ].filter((n): n is string => !!n).map(nameKey);
  let labels: string[] = [];
  try {
    labels = new URL(url).hostname.split('.').filter((l) => l.length >= 3 && !genericLabels.has(l));
  } catch {
    // Not a URL: only the page's own names can match.
  }
  // "BBC News" on bbc.com, "HuffPost" on huffpost.com, "Yahoo" on news.yahoo.com.
  const named = names.includes(suffix) || labels.some((label) => suffix === label || suffix.startsWith(label));
  return named ? title.slice(0, cut.index).trim() || title : title;
}

const textDirs = new Set(['ltr', 'rtl', 'auto']);

/** A `dir` value PageContent accepts, or undefined. */
function textDir(value: string | null | undefined): PageContent['dir'] {
  const dir = value?.trim().toLowerCase();
  return dir && textDirs.has(dir) ? (dir as PageContent['dir']) : undefined;
}

function titleFromUrl(url: string): string {
  try {
    const u = new URL(url);
    return decodeURIComponent(u.pathname.split('/').filter(Boolean).pop() ?? u.hostname);
  } catch {
    return url;
  }
}

function readArticle(doc: Document, root: Element, scan: PageScan) {
  // Readability rewrites the tree it reads: give it a copy so the page stays untouched, and only
  // of what it needs (see readerCopy). The serializer hands back the article element itself,
  // which we walk for structure. keepClasses and textOnly skip passes that rewrite class
  // attributes and URLs, which domToText never reads.
  const copy = readerCopy(doc, root, scan.prune);
  const parsed = new ArticleReader(copy, { serializer: (el: Node) => el, keepClasses: true, textOnly: true }).parse();
  if (!parsed?.content) return null;
  // Inside the article, link lists are related-article teasers ("You may also like…"), and
  // captions and credits describe pictures the model does not see.
  const content = parsed.content as unknown as Element;
  return { ...parsed, rawChars: parsed.length ?? 0, text: domToText(content, { skipLinkMenus: true, exclude: captionsIn(content) }) };
}

const articleTypes = /^(?:article|newsarticle|blogposting|reportagenewsarticle|analysisnewsarticle|opinionnewsarticle|scholarlyarticle|techarticle|report)$/i;

/** Whether the page declares itself one article: og:type "article", or a schema.org article type in its JSON-LD. */
export function declaresArticle(doc: Document): boolean {
  const og = doc.querySelector('meta[property="og:type" i]')?.getAttribute('content')?.trim();
  if (og && articleTypes.test(og)) return true;
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    // "@type": "NewsArticle" or ["NewsArticle", …]; a regex spares parsing JSON that is often invalid.
    for (const match of (script.textContent ?? '').matchAll(/"@type"\s*:\s*(?:\[\s*)?"([A-Za-z]+)"/g)) {
      if (articleTypes.test(match[1]!)) return true;
    }
  }
  return false;
}

/**
 * Whether Readability's article is the page's content rather than one card, teaser or post of it.
 * Pages that do not look like articles (isProbablyReaderable) still get Readability, which reads
 * some of them right (news pages whose paragraphs are not `p` elements); there it must hold most
 * of the page, or it kept one section of a short docs page.
 */
function isTheArticle(doc: Document, article: { rawChars: number; text: string }, scan: PageScan, choices: () => string): boolean {
  const chars = article.text.length;
  if (chars < minArticleChars) return false;
  // A page that says it is one article (og:type, schema.org) is believed when Readability found
  // one: short news items otherwise lost to the share test, which sent the whole page instead.
  if (declaresArticle(doc)) return true;
  if (!isProbablyReaderable(doc)) return chars >= choices().length * unlikelyArticleShare;
  if (chars >= confidentArticleChars) return true;
  return article.rawChars >= scan.textChars * clearArticleShare || chars >= choices().length * articleShareOfPage;
}

export function extractPage(doc: Document, url: string, opts: ExtractOptions = {}): PageContent {
  const maxChars = opts.maxChars ?? defaultMaxChars;
  const lang = pageLanguage(doc);
  const dir = textDir(doc.documentElement?.getAttribute('dir')) ?? textDir(doc.body?.getAttribute('dir'));
  const base = { url, title: withoutSiteName(clip(doc.title, 2000) ?? '', doc, url), ...(lang ? { lang } : {}), ...(dir ? { dir } : {}) };
  const finish = (text: string, fields: Partial<PageContent>): PageContent => {
    const cut = truncate(text, maxChars);
    return { ...base, ...fields, text: cut.text, ...(cut.truncated ? { truncated: true, totalWords: countWords(text) } : {}) };
  };

  if (opts.useSelection !== false) {
    const selected = selectionText(doc);
    if (selected.length >= (opts.minSelectionChars ?? 20)) return finish(selected, { source: 'selection' });
  }

  const contentType = opts.contentType ?? (doc as { contentType?: string }).contentType;
  if (contentType === 'text/plain') {
    const text = normalisePlainText(doc.body?.textContent ?? doc.documentElement?.textContent ?? '');
    return finish(text, { source: 'plain', title: base.title || titleFromUrl(url) });
  }

  // Threads and reference pages of the busiest sites, read by their structure (lib/extract/sites);
  // any other page, or one of theirs a site reader does not know, takes the generic path below.
  const site = readSite(doc, url);
  if (site) {
    return finish(site.text, {
      source: 'site',
      title: clip(site.title, 2000) || base.title,
      siteName: site.siteName,
      ...(site.byline ? { byline: clip(site.byline, 300)! } : {}),
    });
  }

  const { root, chars: rootChars } = contentRoot(doc);
  if (!root) return finish('', { source: 'page' });
  // A thread (see threadShare) is read whole: Readability would keep one post of it at best (a long
  // post can hold a third of the page and pass for the article, dropping all the others).
  const scan = scanPage(root, rootChars);
  const posts = scan.posts;
  const thread = isThread(scan);
  const tooBig = !thread && scan.elements - scan.pruned > (opts.maxReaderElements ?? maxReaderElements);
  const walked = new Map<boolean, string>();
  const walk = (withoutPruned: boolean) => {
    const exclude = withoutPruned && scan.prune.length > 0;
    let text = walked.get(exclude);
    if (text === undefined) {
      text = domToText(root, {
        isHidden: hiddenCheckFor(doc),
        skipFurniture: true,
        skipLinkMenus: root === doc.body,
        ...(exclude ? { exclude: new Set(scan.prune) } : {}),
      });
      walked.set(exclude, text);
    }
    return text;
  };
  // Readability's choice is judged against what it was given to choose from (no comment sections);
  // without an article the page is read whole, unless it was too big for Readability, whose place
  // the walk then takes, leaving out what it would have.
  const readChoices = () => walk(true);
  const readPage = () => walk(tooBig);

  const article = thread || tooBig ? null : readArticle(doc, root, scan);
  // No longer than the longest post: Readability kept one post of a thread, or a part of one.
  const onePost = article && posts !== undefined && article.rawChars <= posts.longest;
  if (article && !onePost && isTheArticle(doc, article, scan, readChoices)) {
    const byline = clip(article.byline, 300);
    const siteName = clip(article.siteName, 300);
    const articleLang = clip(article.lang, 35);
    // Readability reads it from the article's own ancestors, which may differ from the root's.
    const articleDir = textDir(article.dir);
    const title = withoutSiteName(clip(article.title, 2000) ?? '', doc, url, siteName) || base.title;
    return finish(withoutLeadMeta(article.text, title), {
      source: 'article',
      title,
      ...(byline ? { byline } : {}),
      ...(siteName ? { siteName } : {}),
      ...(!lang && articleLang ? { lang: articleLang } : {}),
      ...(articleDir ? { dir: articleDir } : {}),
    });
  }
  return finish(readPage(), { source: 'page' });
}
