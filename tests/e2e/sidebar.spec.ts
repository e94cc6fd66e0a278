import type { Page } from '@playwright/test';
import type { MockLlm } from '../support/mock-llm';
import { expect, sidebar, test, type Extension } from './fixtures';

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

/** The article at 1200×800 with its summary done in the sidebar. */
async function summarisedArticle(extension: Extension, mock: MockLlm, siteUrl: string) {
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(`${siteUrl}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page).locator('aside');
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  return { page, panel };
}

test('the sidebar can be resized from its edge, remembers its width, and Escape closes it', async ({ extension, mock, site }) => {
  const { page, panel } = await summarisedArticle(extension, mock, site.url);
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
  // The key goes down without waiting for the browser to acknowledge it: the sidebar closes on
  // keydown, taking the focused frame with it, and Playwright can wait forever for an answer from
  // that removed frame (a key-up did, once in CI; then the key-down itself, once). What the test
  // waits on is what a user sees: the sidebar gone.
  void page.keyboard.down('Escape').catch(() => undefined);
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

/** The mean colour of a part of the screen, as the user sees it (page filters included). */
async function meanColour(page: Page, clip: { x: number; y: number; width: number; height: number }) {
  const png = (await page.screenshot({ clip })).toString('base64');
  return page.evaluate(async (data) => {
    const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
    const canvas = new OffscreenCanvas(image.width, image.height);
    const g = canvas.getContext('2d')!;
    g.drawImage(image, 0, 0);
    const px = g.getImageData(0, 0, image.width, image.height).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < px.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += px[i + c]!;
    return sum.map((s) => s / (px.length / 4));
  }, png);
}

test('a page that inverts, fades or transforms itself does not recolour or move the sidebar', async ({ extension, mock, site }) => {
  mock.set({ reply: '**TL;DR** Night trains are back.\n\n- Demand exceeds seats.\n- Subsidies matter.' });
  const { page, panel } = await summarisedArticle(extension, mock, site.url);
  // A coloured body (the root's own background would be painted unfiltered, on the canvas).
  await page.addStyleTag({ content: 'html { background: #fff } body { margin: 0; min-height: 100vh; background: #fde9b0 }' });
  const box = (await panel.boundingBox())!;
  const pageArea = { x: 0, y: 0, width: box.x - 1, height: 800 };
  const plain = { sidebar: await meanColour(page, box), page: await meanColour(page, pageArea) };

  await page.addStyleTag({ content: 'html { filter: invert(1) hue-rotate(90deg); opacity: 0.6 } body { transform: translateX(80px) rotate(3deg) }' });
  const styled = { sidebar: await meanColour(page, box), page: await meanColour(page, pageArea) };
  // The page itself did change (the filter took effect)…
  expect(Math.max(...styled.page.map((c, i) => Math.abs(c - plain.page[i]!)))).toBeGreaterThan(40);
  // …while the sidebar looks the same, in the same place.
  for (const [i, c] of styled.sidebar.entries()) expect(Math.abs(c - plain.sidebar[i]!)).toBeLessThan(1);
  expect(await panel.boundingBox()).toEqual(box);
});
