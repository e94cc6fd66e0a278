import { expect, saveProviderInOptions, sidebar, test } from './fixtures';

const key = 'sk-test-1234567890abcdef';

test('"Summarise page" streams the summary token by token into the sidebar', async ({ extension, mock, site }) => {
  // The answer stops before its last word until the test has seen it being written: on a loaded machine a timed
  // stream can finish before the first check.
  let finish!: () => void;
  const reply = 'TL;DR: night trains are back across Europe, driven by demand and subsidies.';
  mock.set({ apiKey: key, reply, tokenDelayMs: 50, beforeLastPiece: new Promise((resolve) => (finish = resolve)) });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);

  const outcome = extension.summariseFromMenu(page);
  const answer = sidebar(page).getByTestId('answer');

  // Part of the answer is on screen while the model is still writing…
  await expect(answer).toContainText('TL;DR');
  await expect(sidebar(page).locator('[data-status=running]')).toBeVisible();
  await expect(answer).toContainText('driven by demand and');
  expect(await answer.textContent()).not.toContain('subsidies');
  // …then all of it.
  finish();
  await expect(answer).toHaveText(reply);
  await expect(sidebar(page).locator('[data-status=done]')).toBeVisible();
  expect(await outcome).toMatchObject({ ok: true });

  const [request] = mock.completions();
  expect(request!.headers.authorization).toBe(`Bearer ${key}`);
  expect(request!.body.model).toBe('mock-model');
  expect(request!.body.stream).toBe(true);
  const prompt = JSON.stringify(request!.body.messages);
  expect(prompt).toContain('sleeper trains are running again');
  expect(prompt).not.toContain('The Example Times'); // the footer is boilerplate, not content
});

test('a wrong API key says so in the sidebar', async ({ extension, mock, site }) => {
  mock.set({ apiKey: key });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: 'sk-wrong-0000' });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const alert = sidebar(page).getByRole('alert');
  await expect(alert).toContainText('The API key was rejected');
  await expect(alert.getByRole('button', { name: 'Open options' })).toBeVisible();
  await expect(alert).not.toContainText('sk-wrong-0000');
});

test('an unreachable base URL says the provider cannot be reached', async ({ extension, mock, site }) => {
  const deadUrl = mock.baseUrl;
  await mock.close(); // nothing listens on that port any more
  await extension.configure({ baseUrl: deadUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('alert')).toContainText('Could not reach the provider', { timeout: 20_000 });
});

test('a base URL that answers with a web page, not an API, is called out', async ({ extension, mock, site }) => {
  mock.set({ always: { kind: 'not-openai' } });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('alert')).toContainText('does not answer like an OpenAI-compatible API');
});

test('a page with no text gets a clear message and no request', async ({ extension, mock, site }) => {
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/empty.html`);
  expect(await extension.summariseFromMenu(page)).toMatchObject({ ok: false, kind: 'empty_page' });
  await expect(sidebar(page).getByRole('alert')).toContainText('Nothing to summarise');
  expect(mock.completions()).toHaveLength(0);
});

test('without a provider the first click still gives an offline summary that says what it is', async ({ extension, mock, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  expect(await extension.summariseFromMenu(page)).toMatchObject({ ok: true });
  const panel = sidebar(page);
  await expect(panel.getByRole('note')).toContainText('Offline summary.');
  await expect(panel.getByRole('note').getByRole('button', { name: 'Open options' })).toBeVisible();
  const answer = panel.getByTestId('answer');
  await expect(answer.getByRole('heading', { name: 'TL;DR' })).toBeVisible();
  await expect(answer.getByRole('heading', { name: 'Key points' })).toBeVisible();
  await expect(answer).toContainText('sleeper trains are running again');
  await expect(panel.getByRole('button', { name: 'Regenerate' })).toHaveCount(0);
  expect(mock.requests).toHaveLength(0);

  await page.goto(`${site.url}/zh-article.html`);
  await extension.summariseFromMenu(page);
  await expect(answer.getByRole('heading', { name: '一句话总结' })).toBeVisible();
  await expect(answer).toContainText('纯电动公交车');
});

test('the sidebar survives hostile page CSS and overlays', async ({ extension, mock, site }) => {
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  mock.set({ reply: 'Still readable.' });
  const page = await extension.context.newPage();
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(`${site.url}/hostile.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page).locator('aside');
  await expect(panel.getByTestId('answer')).toHaveText('Still readable.');
  const box = (await panel.boundingBox())!;
  expect(box.width).toBe(400);
  expect(box.x + box.width).toBe(1200);
  expect(box.height).toBe(800);
  // The topmost element at the sidebar's centre is ours, not the page's overlay.
  const top = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.tagName, [box.x + 200, box.y + 400]);
  expect(top).toBe('PRECIS-SIDEBAR');
});

test('the options page saves a provider and tests the connection for real', async ({ extension, mock }) => {
  mock.set({ apiKey: key, reply: 'OK' });
  const options = await extension.openExtensionPage('options.html');
  await saveProviderInOptions(options, { baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await expect(options.getByText('Stored: sk-…cdef')).toBeVisible();
  await expect(options.getByLabel('API key')).toHaveValue('');
  // The model field offers what the provider's /models lists.
  await expect(options.locator('datalist#models option')).toHaveCount(2);
  expect(await options.locator('datalist#models option').evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value))).toEqual([
    'mock-model',
    'gpt-4o-mini',
  ]);

  await options.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByTestId('notice')).toContainText('Answered in');
  expect(mock.completions().at(-1)!.headers.authorization).toBe(`Bearer ${key}`);
});

test('while rate limited the sidebar says when it will retry, then the summary arrives', async ({ extension, mock, site }) => {
  mock.set({ reply: 'Worth the wait.' });
  mock.fail({ kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } } });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('status')).toContainText(/Rate limited by the provider, retrying in [1-3] s/);
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Worth the wait.', { timeout: 15_000 });
  expect(mock.completions()).toHaveLength(2);
});
