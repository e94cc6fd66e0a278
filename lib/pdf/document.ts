// A PDF as the summary reads it: its pages' text, each page opened by a marker the model cites
// ("[p. 3]"), and a title and "address" taken from the document itself, so the same PDF served
// from two addresses asks the model the very same thing (and the second is a cache hit).
import type { PageContent } from '../extract/page-content';

export interface PdfText {
  /** SHA-256 of the file. */
  hash: string;
  /** The document's own title (its metadata), when it has one. */
  title?: string;
  /** Page n's text is `pages[n - 1]`. */
  pages: string[];
}

export const pageMarker = (page: number) => `[p. ${page}]`;
const markerPattern = /\[p\. (\d+)\]/g;

/** Whether an address names a PDF by its path (`.pdf`), which is how the browser's viewer shows one. */
export function isPdfUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const { protocol, pathname } = new URL(url);
    return /^(https?|file):$/.test(protocol) && /\.pdf$/i.test(decodeURIComponent(pathname));
  } catch {
    return false;
  }
}

/** A file name to show for a PDF with no title of its own. */
export function fileNameOf(url: string): string {
  try {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return name || url;
  } catch {
    return url;
  }
}

/** The pages' text with their markers; pages with no text are left out (their numbers stay true). */
export function markedText(pages: readonly string[]): string {
  return pages
    .map((text, i) => (text.trim() ? `${pageMarker(i + 1)}\n${text.trim()}` : ''))
    .filter(Boolean)
    .join('\n\n');
}

/** Words of a page's opening shown when its citation is hovered: enough to recognise the page. */
const openingChars = 200;

/** Each page's opening words ('' for a page without text), cut at a word where one ends near the limit. */
export function pageOpenings(pages: readonly string[]): string[] {
  return pages.map((text) => {
    const flat = text.replace(/\s+/g, ' ').trim();
    if (flat.length <= openingChars) return flat;
    const cut = flat.lastIndexOf(' ', openingChars);
    return `${flat.slice(0, cut > openingChars / 2 ? cut : openingChars)}…`;
  });
}

/** The PDF as page content for the summary plan: nothing in it depends on where the file came from. */
export function pdfPageContent(doc: PdfText): PageContent {
  return {
    url: `PDF, ${doc.pages.length} ${doc.pages.length === 1 ? 'page' : 'pages'}`,
    title: doc.title ?? 'Untitled PDF',
    text: markedText(doc.pages),
    source: 'pdf',
  };
}

/**
 * The page `text` is on at `offset`: the last marker before it. A chunk cut mid-page starts with
 * "[p. 12, continued]" so its notes still cite the right page.
 */
export function pageAt(text: string, offset: number): number | undefined {
  let page: number | undefined;
  for (const m of text.matchAll(markerPattern)) {
    if (m.index > offset) break;
    page = Number(m[1]);
  }
  return page;
}

export function withPageMarker(chunk: { text: string; start: number; overlap: string }, source: string): string {
  // A chunk that repeats the end of the previous one starts on the page that end is on.
  if (!chunk.overlap && /^\s*\[p\. \d+\]/.test(chunk.text)) return chunk.text;
  const page = pageAt(source, Math.max(0, chunk.start - chunk.overlap.length));
  return page === undefined ? chunk.text : `[p. ${page}, continued]\n${chunk.text}`;
}
