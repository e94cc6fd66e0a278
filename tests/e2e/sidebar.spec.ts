import { expect, sidebar, test } from './fixtures';

const key = 'sk-test-sidebar';

test('a follow-up question in the sidebar is answered about the page, from the summary', async ({ extension, mock, site }) => {
  mock.set({ reply: ({ messages }) => (messages.length > 2 ? 'Fares would double without subsidies.' : 'Night trains are back.') });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(panel.getByTestId('answer')).toHaveText('Night trains are back.');

  const ask = panel.getByRole('textbox', { name: 'Ask a follow-up about this page…' });
  await ask.fill('What happens without subsidies?');
  await ask.press('Enter');
  await expect(panel.getByRole('region', { name: 'Ask a follow-up about this page…' })).toContainText('Fares would double without subsidies.');

  const request = mock.completions().at(-1)!.body.messages as { role: string; content: string }[];
  expect(request[0]!.content).toContain('sleeper trains are running again');
  expect(request.slice(1).map((m) => m.content)).toEqual(['Summarise this page.', 'Night trains are back.', 'What happens without subsidies?']);
});

test('the sidebar can be resized from its edge, remembers its width, and Escape closes it', async ({ extension, mock, site }) => {
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page).locator('aside');
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  expect((await panel.boundingBox())!.width).toBe(400);

  const handle = sidebar(page).getByRole('separator', { name: 'Resize the sidebar' });
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(700, box.y + 220, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await panel.boundingBox())!.width).toBe(500);
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await panel.boundingBox())!.width).toBe(520);

  await page.reload();
  await extension.summariseFromMenu(page);
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  await expect.poll(async () => (await panel.boundingBox())!.width).toBe(520);

  await panel.getByRole('button', { name: 'Copy' }).focus();
  await page.keyboard.press('Escape');
  await expect(sidebar(page).locator('aside')).toHaveCount(0);
});

test('follow-ups stay with the page: closed and summarised again (from the cache), or reloaded, the thread is back', async ({ extension, mock, site }) => {
  mock.set({ reply: ({ messages }) => (messages.length > 2 ? `About “${messages.at(-1)!.content}”: fares would double.` : 'Night trains are back.') });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  const thread = panel.getByRole('region', { name: 'Ask a follow-up about this page…' });
  const ask = panel.getByRole('textbox', { name: 'Ask a follow-up about this page…' });
  await ask.fill('What about subsidies?');
  await ask.press('Enter');
  await expect(thread).toContainText('About “What about subsidies?”: fares would double.');

  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel.locator('aside')).toHaveCount(0);
  await extension.summariseFromMenu(page);
  await expect(panel.getByTestId('cached')).toBeVisible();
  await expect(thread).toContainText('What about subsidies?');
  await expect(thread).toContainText('fares would double.');

  // The thread goes on where it was.
  await ask.fill('And the routes?');
  await ask.press('Enter');
  await expect(thread.getByTestId('assistant-turn')).toHaveCount(2);
  await page.reload();
  await extension.summariseFromMenu(page);
  await expect(thread.locator('.question')).toHaveText(['What about subsidies?', 'And the routes?']);
  expect(mock.completions().at(-1)!.body.messages.map((m: { content: string }) => m.content).slice(1)).toEqual([
    'Summarise this page.',
    'Night trains are back.',
    'What about subsidies?',
    'About “What about subsidies?”: fares would double.',
    'And the routes?',
  ]);

  // And it is the page's own: the popup's chats do not show it.
  const popup = await extension.openExtensionPage('popup.html');
  await popup.getByRole('button', { name: 'History' }).click();
  await expect(popup.getByRole('list', { name: 'History' })).toHaveText('No conversations yet.');
});
