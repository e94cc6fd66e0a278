// What citation tests share: the unit a model that does as asked would cite, and the passage the page highlights.
import type { Page } from '@playwright/test';

/** The number of the unit holding `text` in a prompt: what a model that does as asked would cite. */
export function unitOf(prompt: string, text: string): number {
  const at = prompt.indexOf(text);
  if (at < 0) throw new Error(`not in the prompt: ${text}`);
  return Number(/^¶(\d+)/.exec(prompt.slice(prompt.lastIndexOf('¶', at)))![1]);
}

export const userPrompt = (messages: { role: string; content: string }[]) => messages.find((m) => m.role === 'user')?.content ?? '';

/** The highlighted passage in the page, as the page itself sees it, and where it is in the viewport. */
export async function highlighted(page: Page) {
  return page.evaluate(() => {
    const highlight = CSS.highlights.get('precis-citation');
    const first = highlight && ([...highlight][0] as AbstractRange | undefined);
    if (!first) return undefined;
    const range = document.createRange();
    range.setStart(first.startContainer, first.startOffset);
    range.setEnd(first.endContainer, first.endOffset);
    const box = range.getBoundingClientRect();
    return { text: range.toString(), top: box.top, bottom: box.bottom, viewport: window.innerHeight, connected: first.startContainer.isConnected };
  });
}

