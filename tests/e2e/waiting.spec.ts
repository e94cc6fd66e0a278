// While the user waits, the sidebar says what for, and for how long; a stream gone quiet is called
// out within seconds, with a way to ask again.
import { expect, sidebar, test } from './fixtures';

const key = 'sk-test-waiting';

test('before the first word, the sidebar says it is waiting for the model, and for how long', async ({ extension, mock, site }) => {
  mock.set({ reply: 'The summary.' });
  mock.fail({ kind: 'slow', firstByteDelayMs: 3_000 });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const status = sidebar(page).getByRole('status');
  await expect(status).toHaveText(/^Waiting for the model… [12] s$/);
  await expect(status).not.toHaveText('Writing…');
  await expect(sidebar(page).getByTestId('answer')).toHaveText('The summary.');
});

test('a stream that goes quiet is reported within 10 s with the time, and Resume asks again', async ({ extension, mock, site }) => {
  const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
  mock.set({ reply: words });
  mock.fail({ kind: 'stall', afterChunks: 4 });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(panel.getByTestId('answer')).toContainText('w1');
  await expect(panel.getByRole('status')).toHaveText(/^The provider has gone quiet: nothing new for [5-9] s\.$/, { timeout: 10_000 });
  await expect(panel.getByRole('button', { name: 'Stop' })).toBeVisible();
  await panel.getByRole('button', { name: 'Resume' }).click();
  await expect(panel.getByTestId('answer')).toHaveText(words);
  await expect(panel.locator('[data-status=done]')).toBeVisible();
});

test('a summary queued behind another says it waits for a free slot, and how many are under way', async ({ extension, mock, site }) => {
  // The first answer holds its last word until the second has been seen waiting.
  let finish!: () => void;
  mock.set({ reply: Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '), tokenDelayMs: 20, beforeLastPiece: new Promise((resolve) => (finish = resolve)) });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.setPreferences({ maxConcurrency: 1 });
  const first = await extension.context.newPage();
  await first.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(first);
  await expect(sidebar(first).getByTestId('answer')).toContainText('w1');
  const second = await extension.context.newPage();
  await second.goto(`${site.url}/zh-article.html`);
  await extension.summariseFromMenu(second);
  await expect(sidebar(second).getByRole('status')).toHaveText(/^Waiting for a free slot: 1 of 1 requests to the provider are under way \(\d+ s\)…$/);
  finish();
  await expect(sidebar(second).locator('[data-status=done]')).toBeVisible({ timeout: 20_000 });
});
