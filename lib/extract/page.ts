// Page → clean text. Takes the Document as an argument so it runs on a real page in the content
// script and on a parsed fixture in tests alike.
import { Readability } from '@mozilla/readability';
import type { PageContent } from '../messages';

function collapse(text: string): string {
  return text
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n[ \n]*/g, (m) => (m.split('\n').length > 2 ? '\n\n' : '\n'))
    .trim();
}

export function extractPage(doc: Document, url: string): PageContent {
  const lang = doc.documentElement.lang || undefined;
  // Readability mutates the tree it reads: give it a copy so the page stays untouched.
  const article = new Readability(doc.cloneNode(true) as Document).parse();
  if (article?.textContent && article.textContent.trim().length > 200) {
    return { url, title: article.title || doc.title, text: collapse(article.textContent), lang };
  }
  const root = doc.querySelector('main') ?? doc.body;
  const visible = (root as HTMLElement | null)?.innerText ?? root?.textContent ?? '';
  return { url, title: doc.title, text: collapse(visible), lang };
}
