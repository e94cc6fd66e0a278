// A page's own script against the sidebar: it cannot read the summary, the follow-up as it is
// typed or the answer, cannot make the sidebar send anything, and learns nothing of Precis.
import { askFollowUp, expect, sidebar, test } from './fixtures';

test('a hostile page script cannot read the sidebar, type into it, click it or cause a request', async ({ extension, mock, site }) => {
  mock.set({ reply: ({ messages }) => (messages.length > 2 ? 'SECRET-ANSWER: the wall is 4 m.' : 'SECRET-SUMMARY of the tides.') });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: 'sk-test-hostile' });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/hostile-script.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(panel.getByTestId('answer')).toHaveText('SECRET-SUMMARY of the tides.');
  await expect(await askFollowUp(panel, 'SECRET-QUESTION how high?')).toContainText('SECRET-ANSWER');
  // A draft the user has not sent yet, typed key by key.
  await panel.getByRole('textbox', { name: 'Ask a follow-up about this page…' }).pressSequentially('SECRET-DRAFT');
  // The page's script keeps trying for a while (every 100 ms).
  await page.waitForTimeout(1_500);

  const spy = await page.evaluate(() => (window as unknown as { spy: { seen: string[]; messages: string[]; keys: string; clicks: number } }).spy);
  const everything = JSON.stringify(spy);
  expect(spy.clicks).toBeGreaterThan(0);
  expect(spy.seen).toContain('blocked: SecurityError');
  for (const secret of ['SECRET-SUMMARY', 'SECRET-QUESTION', 'SECRET-ANSWER', 'SECRET-DRAFT', 'SECRET', 'tides.']) expect(everything).not.toContain(secret);
  expect(spy.keys).toBe('');
  // Nothing it posted or clicked reached the model: the summary and the one question only.
  expect(mock.completions()).toHaveLength(2);
  // Nor did it learn the extension id from anything posted to the page.
  expect(everything).not.toContain(extension.id);
  await expect(panel.getByRole('textbox', { name: 'Ask a follow-up about this page…' })).toHaveValue('SECRET-DRAFT');

  // A frame in a shadow tree is not in `window.frames`; only the e2e build's open root reaches it.
  // Navigated to a page of the page's choosing, it closes rather than show that page as ours.
  expect(await page.evaluate(() => frames.length)).toBe(0);
  await page.evaluate(() => (document.querySelector('precis-sidebar')!.shadowRoot!.querySelector('iframe')!.contentWindow!.location.href = 'about:blank'));
  await expect(page.locator('precis-sidebar')).toHaveCount(0);
});
