// Page extraction measured on the live page in Chromium (bundled by the browser harness and run in
// the page's main world, like the content script). bench/extract-browser.bench.ts drives it.

import { isProbablyReaderable, Readability } from '@mozilla/readability';
import Defuddle from 'defuddle';
import { domToText } from '../../lib/extract/dom-text';
import { clearArticleShare, confidentArticleChars, extractPage, maxReaderElements } from '../../lib/extract/page';
import { ArticleReader } from '../../lib/extract/readability';
import { isThread, readerCopy, scanPage } from '../../lib/extract/structure';
import { hiddenCheckFor } from '../../lib/extract/visibility';

export type Method = 'extractPage' | 'innerText' | 'readability' | 'defuddle' | 'visibleText';

export interface Measurement {
  method: Method;
  ms: number;
  /** The same call again on the same page (caches warm); extraction runs once per page in practice. */
  againMs: number;
  chars: number;
  source?: string;
  /** Which marker sentences the output contains. */
  kept: Record<string, boolean>;
}

function runOnce(method: Method, url = location.href): { text: string; source?: string } {
  switch (method) {
    case 'extractPage': {
      const page = extractPage(document, url);
      return { text: page.text, ...(page.source ? { source: page.source } : {}) };
    }
    case 'innerText':
      // What most summariser extensions send: everything rendered, menus and comments included.
      return { text: document.body.innerText };
    case 'readability': {
      // Readability as its README says to call it: on a clone, since it rewrites the tree.
      const article = new Readability(document.cloneNode(true) as Document).parse();
      return { text: article?.textContent ?? '' };
    }
    case 'defuddle': {
      // Defuddle (issue #15's candidate for site-aware reading) as its README calls it, on a clone
      // like Readability; its HTML turned into text by the same walk extractPage's article gets.
      const result = new Defuddle(document.cloneNode(true) as Document, { url }).parse();
      const body = new DOMParser().parseFromString(result.content ?? '', 'text/html').body;
      return { text: domToText(body) };
    }
    case 'visibleText': {
      // extractPage's own fallback half: the visible text of <main> (or <body>), without furniture.
      const root = document.querySelector('main') ?? document.body;
      return { text: domToText(root, { isHidden: hiddenCheckFor(document), skipFurniture: true, skipLinkMenus: root === document.body }) };
    }
  }
}

export function measure(method: Method, markers: Record<string, string>): Measurement {
  let t = performance.now();
  const out = runOnce(method);
  const ms = performance.now() - t;
  t = performance.now();
  runOnce(method);
  const againMs = performance.now() - t;
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  const text = squash(out.text);
  const kept = Object.fromEntries(Object.entries(markers).map(([name, sentence]) => [name, text.includes(squash(sentence))]));
  return { method, ms, againMs, chars: out.text.length, ...(out.source ? { source: out.source } : {}), kept };
}

/** One call's output and time, for benchmarks that score the text itself. */
export function extractTimed(method: Method, url?: string): { text: string; ms: number; source?: string } {
  const t = performance.now();
  const out = runOnce(method, url);
  return { ...out, ms: performance.now() - t };
}

export function pageFacts(): { elements: number; htmlChars: number; textNodes: number } {
  let textNodes = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) textNodes++;
  return { elements: document.getElementsByTagName('*').length, htmlChars: document.documentElement.outerHTML.length, textNodes };
}

export type Step =
  | 'look at the structure'
  | 'isProbablyReaderable'
  | 'copy for Readability'
  | 'Readability.parse'
  | 'article to text'
  | 'visible text';

/**
 * extractPage's steps one by one, as page.ts runs them (same options and rules), timed separately:
 * where the time goes. Steps the page does not need are left out (a thread skips Readability; an
 * article holding enough of the page's text skips the visible-text walk). A replica, so it can
 * drift from page.ts; the extractPage row is the measurement.
 */
export function breakdown(): Partial<Record<Step, number>> {
  const out: Partial<Record<Step, number>> = {};
  let t = performance.now();
  const lap = (step: Step) => {
    const now = performance.now();
    out[step] = now - t;
    t = now;
  };
  const main = document.querySelector('main, [role="main"]');
  const mainText = main?.textContent ?? '';
  const root = main && mainText.trim().length >= 200 ? main : document.body;
  const scan = scanPage(root, root === main ? mainText.length : undefined);
  const tooBig = !isThread(scan) && scan.elements - scan.pruned > maxReaderElements;
  const visibleText = () => {
    t = performance.now();
    const exclude = tooBig ? { exclude: new Set(scan.prune) } : {};
    const text = domToText(root, { isHidden: hiddenCheckFor(document), skipFurniture: true, skipLinkMenus: root === document.body, ...exclude });
    lap('visible text');
    return text;
  };
  lap('look at the structure');
  const posts = scan.posts;
  if (isThread(scan) || tooBig) {
    visibleText();
    return out;
  }
  const readerable = isProbablyReaderable(document);
  lap('isProbablyReaderable');
  const copy = readerCopy(document, root, scan.prune);
  lap('copy for Readability');
  const parsed = new ArticleReader(copy, { serializer: (el: Node) => el, keepClasses: true, textOnly: true }).parse();
  lap('Readability.parse');
  const text = parsed?.content ? domToText(parsed.content as unknown as Node) : '';
  lap('article to text');
  const rawChars = parsed?.length ?? 0;
  if (!parsed || (posts && rawChars <= posts.longest) || text.length < 200) visibleText();
  else if (!readerable || (text.length < confidentArticleChars && rawChars < scan.textChars * clearArticleShare)) visibleText();
  return out;
}
