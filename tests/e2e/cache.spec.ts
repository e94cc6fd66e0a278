import { askFollowUp, expect, sidebar, test } from './fixtures';

const key = 'sk-test-cache-5566';

test('a repeat summary comes from the cache without a request; Forget makes the next one go upstream', async ({ extension, mock, site }) => {
  mock.set({ reply: 'A summary worth keeping.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const panel = sidebar(page);

  await extension.summariseFromMenu(page);
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  await expect(panel.getByTestId('cached')).toHaveCount(0);
  expect(mock.completions()).toHaveLength(1);

  await page.reload();
  await extension.summariseFromMenu(page);
  await expect(panel.getByTestId('answer')).toHaveText('A summary worth keeping.');
  await expect(panel.getByTestId('cached')).toHaveText('cached · just now');
  expect(mock.completions()).toHaveLength(1);

  await panel.getByRole('button', { name: 'Forget this page' }).click();
  await expect(panel.getByText('Forgotten: every summary, follow-up and chat about this page is deleted.')).toBeVisible();

  await page.reload();
  await extension.summariseFromMenu(page);
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  await expect(panel.getByTestId('cached')).toHaveCount(0);
  expect(mock.completions()).toHaveLength(2);
});

test('Regenerate bypasses the cache and replaces the stored answer', async ({ extension, mock, site }) => {
  let n = 0;
  mock.set({ reply: () => `Answer number ${++n}.` });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const panel = sidebar(page);

  await extension.summariseFromMenu(page);
  await expect(panel.getByTestId('answer')).toHaveText('Answer number 1.');
  await panel.getByRole('button', { name: 'Regenerate' }).click();
  await expect(panel.getByTestId('answer')).toHaveText('Answer number 2.');
  await expect(panel.getByTestId('cached')).toHaveCount(0);

  // The regenerated answer is what the cache now serves.
  await page.reload();
  await extension.summariseFromMenu(page);
  await expect(panel.getByTestId('answer')).toHaveText('Answer number 2.');
  await expect(panel.getByTestId('cached')).toBeVisible();
  expect(mock.completions()).toHaveLength(2);
});

test('options show cache stats, export holds no page text, and Delete all data empties everything', async ({ extension, mock, site }) => {
  mock.set({ reply: 'Stored answer.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  for (let i = 0; i < 2; i++) {
    await page.reload();
    await extension.summariseFromMenu(page);
    await expect(sidebar(page).locator('[data-status=done]')).toBeVisible();
  }

  await extension.setPreferences({ prices: { 'mock-model': { inputPerMTok: 1000, outputPerMTok: 1000 } } });
  const options = await extension.openExtensionPage('options.html');
  await expect(options.getByTestId('cache-stats')).toContainText('1 hits, 1 misses (50% hit rate) · 1 answers stored');
  // The saved estimate uses the user's price for this model: not zero.
  await expect(options.getByTestId('cache-stats')).toContainText(/about \$0\.(?!0000)\d{4}/);
  await expect(options.getByLabel('mock-model Input')).toHaveValue('1000');

  const [download] = await Promise.all([options.waitForEvent('download'), options.getByRole('button', { name: 'Export my data' }).click()]);
  const exported = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')));
  expect(exported.tables.activity).toHaveLength(2);
  expect(JSON.stringify(exported.tables.activity)).not.toContain('sleeper trains');
  expect(JSON.stringify(exported)).not.toContain(key);

  options.on('dialog', (d) => void d.accept());
  await options.getByRole('button', { name: 'Delete all data' }).click();
  await expect(options.getByText('All data deleted.')).toBeVisible();
  await expect(options.getByTestId('cache-stats')).toContainText('0 hits, 0 misses (0% hit rate) · 0 answers stored');

  await page.reload();
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).locator('[data-status=done]')).toBeVisible();
  expect(mock.completions()).toHaveLength(2);
});

test('Forget this page leaves none of its text or URL in the export: summary, follow-up, popup chat about it', async ({ extension, mock, site }) => {
  mock.set({ reply: 'Stored answer.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  await expect(await askFollowUp(panel, 'What about the costs?')).toContainText('Stored answer.');

  await page.bringToFront();
  const popup = await extension.openPopupWindow();
  await popup.getByLabel('About this page').check();
  const box = popup.getByRole('textbox', { name: /Ask anything/ });
  await box.fill('Who pays for it?');
  await box.press('Enter');
  await expect(popup.getByTestId('assistant-turn')).toContainText('Stored answer.');
  await popup.close();

  const exportAll = async () => {
    const options = await extension.openExtensionPage('options.html');
    const [download] = await Promise.all([options.waitForEvent('download'), options.getByRole('button', { name: 'Export my data' }).click()]);
    const text = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
    await options.close();
    return text;
  };
  const traces = ['article.html', 'sleeper trains are running again', 'The Quiet Return of the Night Train', 'What about the costs?', 'Who pays for it?'];
  const before = await exportAll();
  for (const trace of traces) expect(before).toContain(trace);

  await panel.getByRole('button', { name: 'Forget this page' }).click();
  await expect(panel.getByText('Forgotten: every summary, follow-up and chat about this page is deleted.')).toBeVisible();
  const after = await exportAll();
  for (const trace of traces) expect(after).not.toContain(trace);
  // The audit log says a page was forgotten, by request hash only.
  expect(JSON.parse(after).tables.audit.at(-1)).toMatchObject({ action: 'forget', reason: 'user: forget this page' });
});
