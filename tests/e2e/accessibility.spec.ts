// Keyboard, screen reader and contrast: axe-core finds no serious or critical problem on any surface,
// in either theme, and the sidebar can be reached, read and left with the keyboard.
import { expectNoSeriousViolations } from './axe';
import { askFollowUp, expect, sidebar, test } from './fixtures';

const key = 'sk-test-a11y';
const reply = '**TL;DR** Night trains are back.\n\n- Demand exceeds seats.\n- See [the report](https://example.org/report) and `config`.\n\n> Subsidies matter.';

test('the popup, with a chat in it, and the options page pass axe in light and dark', async ({ extension, mock }) => {
  mock.set({ reply });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const popup = await extension.openExtensionPage('popup.html');
  const box = popup.getByRole('textbox', { name: /Ask anything/ });
  await box.fill('Why are night trains back?');
  await box.press('Enter');
  await expect(popup.getByTestId('assistant-turn').getByRole('button', { name: 'Copy' })).toBeVisible();
  await expectNoSeriousViolations(popup);

  const options = await extension.openExtensionPage('options.html');
  await expect(options.getByLabel('Base URL')).toHaveValue(mock.baseUrl);
  await expectNoSeriousViolations(options);
});

test('the sidebar passes axe in light and dark, with a summary and a follow-up, and offline', async ({ extension, mock, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('note')).toContainText('Offline summary.');
  await expectNoSeriousViolations(page);

  mock.set({ reply });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  await expect(await askFollowUp(panel, 'And the costs?')).toContainText('Subsidies matter.');
  await expectNoSeriousViolations(page);
});

test('the sidebar is a named landmark that takes focus, closes on Escape and gives focus back', async ({ extension, mock, site }) => {
  // The answer stops before its last word until the test has seen it being written.
  let finish!: () => void;
  mock.set({ reply: 'Night trains are back across Europe.', beforeLastPiece: new Promise((resolve) => (finish = resolve)) });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const link = page.getByRole('link', { name: 'World' });
  await link.focus();

  await extension.summariseFromMenu(page);
  const region = sidebar(page).getByRole('complementary', { name: 'Precis' });
  await expect(region).toBeFocused();
  // Status changes are spoken politely, from a live region that stays put while the text changes.
  const status = region.getByRole('status');
  await expect(status).toHaveAttribute('aria-live', 'polite');
  await expect(status).toHaveText('Writing…');
  const live = await status.elementHandle();
  finish();
  await expect(status).toHaveText('Done');
  expect(await live!.evaluate((el) => el.isConnected && el.textContent)).toBe('Done');

  // Tab moves on inside the sidebar; Escape from there closes it and returns to the page's link.
  await page.keyboard.press('Tab');
  await expect(region).not.toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('PRECIS-SIDEBAR');
  // Down without waiting for the browser's acknowledgement, closed, focus back, then up: a key event
  // racing the focused frame's removal can hang Playwright for good (sidebar.spec.ts).
  void page.keyboard.down('Escape').catch(() => undefined);
  await expect(region).toHaveCount(0);
  await expect(link).toBeFocused();
  await page.keyboard.up('Escape');

  // The same with the close button.
  await extension.summariseFromMenu(page);
  await expect(region).toBeFocused();
  await region.getByRole('button', { name: 'Close' }).click();
  await expect(region).toHaveCount(0);
  await expect(link).toBeFocused();
});
