// Turns page content into the request that summarises it. One request for now; long pages are
// cut at a character budget until token-aware map-reduce lands (issue #7).
import type { ChatRequest } from '../llm/types';
import type { PageContent } from '../messages';

/** About 15k tokens of English: fits every current model's context with room for the answer. */
export const singleRequestCharBudget = 60_000;

export class EmptyPageError extends Error {
  readonly kind = 'empty_page';
  constructor() {
    super('This page has no readable text to summarise. Select some text and try "Summarise selection".');
  }
}

export function summariseRequest(page: PageContent, language = 'the language of the page'): ChatRequest {
  const text = page.text.trim();
  if (!text) throw new EmptyPageError();
  const body = text.length > singleRequestCharBudget ? `${text.slice(0, singleRequestCharBudget)}\n\n[…]` : text;
  return {
    temperature: 0.2,
    messages: [
      {
        role: 'system',
        content:
          `You are Precis, a careful summariser. Write in ${language}. Be faithful to the page: ` +
          'never add facts it does not state. Use Markdown with three parts: "TL;DR" (one sentence), ' +
          '"Key points" (3 to 7 bullets) and "Details worth keeping" (numbers, names, dates, caveats).',
      },
      { role: 'user', content: `Title: ${page.title}\nURL: ${page.url}\n\n<page>\n${body}\n</page>` },
    ],
  };
}
