// What a new user sees first on the extension's own pages: readable text, and answers that fit.
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';

const key = 'sk-test-layout';
const fontSize = (target: Locator) => target.evaluate((el) => getComputedStyle(el).fontSize);

test('body text is 14 px in the popup and on the options page, not Chrome’s 75 %', async ({ extension, mock }) => {
  mock.set({ reply: 'Night trains are back in Europe.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });

  const options = await extension.openExtensionPage('options.html');
  await expect(options.getByLabel('Base URL')).toBeVisible();
  for (const target of [
    options.locator('body'),
    options.getByText('Base URL', { exact: true }),
    options.getByLabel('Base URL'),
    options.getByRole('button', { name: 'Save', exact: true }),
  ]) {
    expect(await fontSize(target)).toBe('14px');
  }

  const popup = await extension.openExtensionPage('popup.html');
  const box = popup.getByRole('textbox', { name: /Ask anything/ });
  await box.fill('Why are night trains back?');
  await box.press('Enter');
  const answer = popup.getByTestId('assistant-turn').getByText('Night trains are back in Europe.');
  await expect(answer).toBeVisible();
  for (const target of [popup.locator('body'), answer, box, popup.getByRole('button', { name: 'New chat' })]) {
    expect(await fontSize(target)).toBe('14px');
  }
});

test('a popup answer with a long URL and a long code line wraps; the code scrolls in its own box', async ({ extension, mock }) => {
  const url = `https://example.org/${'very-long-path-segment/'.repeat(12)}index.html?query=${'x'.repeat(80)}`;
  const code = `const config = { ${Array.from({ length: 20 }, (_, i) => `option${i}: "value number ${i}"`).join(', ')} };`;
  mock.set({ reply: `See ${url} for the details.\n\n\`\`\`js\n${code}\n\`\`\`\n\nThat is all.` });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const popup = await extension.openExtensionPage('popup.html');
  await popup.setViewportSize({ width: 420, height: 580 });
  const box = popup.getByRole('textbox', { name: /Ask anything/ });
  await box.fill('Where are the details?');
  await box.press('Enter');
  const turn = popup.getByTestId('assistant-turn');
  await expect(turn).toContainText('That is all.');

  const sizes = await turn.evaluate((bubble) => {
    const pre = bubble.querySelector('pre')!;
    const page = document.scrollingElement!;
    return {
      bubble: { scroll: bubble.scrollWidth, client: bubble.clientWidth, right: bubble.getBoundingClientRect().right },
      page: { scroll: page.scrollWidth, client: page.clientWidth },
      pre: { scroll: pre.scrollWidth, client: pre.clientWidth, right: pre.getBoundingClientRect().right },
    };
  });
  expect(sizes.bubble.scroll).toBeLessThanOrEqual(sizes.bubble.client);
  expect(sizes.page.scroll).toBeLessThanOrEqual(sizes.page.client);
  expect(sizes.bubble.right).toBeLessThanOrEqual(sizes.page.client);
  expect(sizes.pre.right).toBeLessThanOrEqual(sizes.bubble.right);
  // The long line is still all there, reachable by scrolling the code block alone.
  expect(sizes.pre.scroll).toBeGreaterThan(sizes.pre.client);
  await popup.screenshot({ path: 'test-results/screenshots/popup-overflow.png' });
});
