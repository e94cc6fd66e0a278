import type { MockLlm } from '../support/mock-llm';
import { expect, sidebar, test, type Extension } from './fixtures';

const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');

/** A summary streaming slowly, caught a fifth of the way through; its last word never comes, so however slow the
 *  machine, the worker is stopped mid-answer. */
async function summariseUntilMidway(extension: Extension, mock: MockLlm, siteUrl: string) {
  mock.set({ reply: words, tokenDelayMs: 50, beforeLastPiece: new Promise(() => {}) });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: 'sk-test-restart' });
  const page = await extension.context.newPage();
  await page.goto(`${siteUrl}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(panel.getByTestId('answer')).toContainText('word12');
  return { page, panel };
}

test('a summary cut off by a stopped service worker starts again by itself and completes, without repeating text', async ({ extension, mock, site }) => {
  const { page, panel } = await summariseUntilMidway(extension, mock, site.url);

  mock.set({ tokenDelayMs: 0, beforeLastPiece: undefined });
  await extension.stopWorker(page);

  await expect(panel.locator('[data-status=done]')).toBeVisible();
  await expect(panel.getByTestId('answer')).toHaveText(words);
  expect(mock.completions()).toHaveLength(2);
});

test('when the page has moved on, the cut-off summary is kept as interrupted, and Resume completes it', async ({ extension, mock, site }) => {
  const { page, panel } = await summariseUntilMidway(extension, mock, site.url);

  // A single-page app moving to another address: the same document, another page.
  await page.evaluate(() => history.pushState({}, '', '/another-article'));
  await extension.stopWorker(page);

  await expect(panel.locator('[data-status=interrupted]')).toHaveText('Interrupted — the partial answer is kept.');
  const partial = (await panel.getByTestId('answer').textContent())!;
  expect(partial).toContain('word12');
  expect(partial).not.toContain('word59');

  mock.set({ tokenDelayMs: 0, beforeLastPiece: undefined });
  await panel.getByRole('button', { name: 'Resume' }).click();
  await expect(panel.getByTestId('answer')).toHaveText(words);
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  expect(mock.completions()).toHaveLength(2);
});
