import { expect, sidebar, test } from './fixtures';

const key = 'sk-test-security-77aa';

test('hostile model output and page titles render inert in the sidebar', async ({ extension, mock, site }) => {
  const pixel = `${mock.url}/pixel.png`;
  mock.set({
    reply: [
      'Before <script>window.__pwned = "script"</script> after',
      '<img src=x onerror="window.__pwned = \'img\'">',
      '[click me](javascript:window.__pwned=\'link\')',
      '<a href="javascript:window.__pwned=\'anchor\'">anchor</a>',
      '<svg onload="window.__pwned = \'svg\'"><circle r="5"/></svg>',
      '[data link](data:text/html,<script>alert(1)</script>)',
      `![tracking pixel](${pixel})`,
      '[a real link](https://example.org/page)',
    ].join('\n\n'),
  });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${site.url}/xss.html`);
  await extension.summariseFromMenu(page);

  const panel = sidebar(page);
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  const answer = panel.getByTestId('answer');
  // The markup is shown as text, not executed.
  await expect(answer).toContainText('<script>window.__pwned = "script"</script>');
  await expect(answer).toContainText('<img src=x onerror=');
  await expect(panel.locator('script, img, svg, iframe, [onerror], [onload]')).toHaveCount(0);
  // Only http(s) links keep an href, and they open safely.
  const hrefs = await answer.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs.every((h) => /^https?:/.test(h ?? ''))).toBe(true);
  const real = answer.getByRole('link', { name: 'a real link' });
  await expect(real).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(real).toHaveAttribute('target', '_blank');
  await expect(answer.getByText('click me')).not.toHaveAttribute('href', /javascript/);
  // The image is offered as a link, never loaded.
  await expect(answer.getByRole('link', { name: /tracking pixel/ })).toBeVisible();
  expect(mock.requests.some((r) => r.path === '/pixel.png')).toBe(false);
  // The page title is shown as text too.
  await expect(panel.locator('header .title')).toContainText('<img src=x onerror=');

  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
