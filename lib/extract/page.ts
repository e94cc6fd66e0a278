// Page → clean text. Takes the Document as an argument so it runs on a real page in the content
// script and on a parsed fixture in tests alike.
import { isProbablyReaderable } from '@mozilla/readability';
import type { PageContent } from '../messages';
import { domToText } from './dom-text';
import { normalisePlainText } from './plain-text';
import { ArticleReader } from './readability';
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
}

export const defaultMaxChars = 1_000_000;

/**
 * Below this share of the page's visible text, Readability probably kept one post of a thread or
 * one card of a list, and the whole visible text is the better reading.
 */
const articleShareOfPage = 0.35;
const minArticleChars = 200;

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

/** The element that holds the page's content, if the page says so and it is not an empty shell. */
function contentRoot(doc: Document): Element | null {
  const main = doc.querySelector('main, [role="main"]');
  const body = doc.body;
  if (!main || !body) return body ?? doc.documentElement;
  const mainChars = (main.textContent ?? '').trim().length;
  return mainChars >= 200 || mainChars >= (body.textContent ?? '').trim().length / 4 ? main : body;
}

function pageLanguage(doc: Document): string | undefined {
  const lang =
    doc.documentElement?.getAttribute('lang') ||
    doc.querySelector('meta[http-equiv="content-language" i]')?.getAttribute('content') ||
    undefined;
  return clip(lang?.split(',')[0], 35);
}

function titleFromUrl(url: string): string {
  try {
    const u = new URL(url);
    return decodeURIComponent(u.pathname.split('/').filter(Boolean).pop() ?? u.hostname);
  } catch {
    return url;
  }
}

function readArticle(doc: Document) {
  if (!isProbablyReaderable(doc)) return null;
  // Readability rewrites the tree it reads: give it a copy so the page stays untouched. The
  // serializer hands back the article element itself, which we walk for structure.
  // keepClasses skips a pass that strips class attributes; domToText never reads them.
  const parsed = new ArticleReader(doc.cloneNode(true) as Document, { serializer: (el: Node) => el, keepClasses: true }).parse();
  if (!parsed?.content) return null;
  return { ...parsed, text: domToText(parsed.content as unknown as Node) };
}

export function extractPage(doc: Document, url: string, opts: ExtractOptions = {}): PageContent {
  const maxChars = opts.maxChars ?? defaultMaxChars;
  const lang = pageLanguage(doc);
  const base = { url, title: clip(doc.title, 2000) ?? '', ...(lang ? { lang } : {}) };
  const finish = (text: string, fields: Partial<PageContent>): PageContent => {
    const cut = truncate(text, maxChars);
    return { ...base, ...fields, text: cut.text, ...(cut.truncated ? { truncated: true } : {}) };
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

  const root = contentRoot(doc);
  const pageText = root
    ? domToText(root, { isHidden: hiddenCheckFor(doc), skipFurniture: true, skipLinkMenus: root === doc.body })
    : '';
  const article = readArticle(doc);
  if (article && article.text.length >= minArticleChars && article.text.length >= pageText.length * articleShareOfPage) {
    const byline = clip(article.byline, 300);
    const siteName = clip(article.siteName, 300);
    const articleLang = clip(article.lang, 35);
    return finish(article.text, {
      source: 'article',
      title: clip(article.title, 2000) || base.title,
      ...(byline ? { byline } : {}),
      ...(siteName ? { siteName } : {}),
      ...(!lang && articleLang ? { lang: articleLang } : {}),
    });
  }
  return finish(pageText, { source: 'page' });
}
