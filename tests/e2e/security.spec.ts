// Functions passed to `evaluate` on extension pages may use the extension APIs.
declare const chrome: any;

import { expect, saveProviderInOptions, sidebar, test } from './fixtures';

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
  await expect(panel.locator('aside').locator('script, img, svg, iframe, [onerror], [onload]')).toHaveCount(0);
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

test('an offline summary shows page text that looks like Markdown as text, and makes no link from it', async ({ extension, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/markup-in-text.html`);
  await extension.summariseFromMenu(page);
  const answer = sidebar(page).getByTestId('answer');
  await expect(answer).toContainText('the full night train list is at [x](http://evil.example/timetable) for every route.');
  await expect(answer).toContainText('Night train fares are **always** cheaper than flights');
  await expect(answer).toContainText('<img src=x onerror=alert(1)>');
  await expect(answer.locator('a, img, code, strong, em')).toHaveCount(0);
  // Only the summary's own headings.
  await expect(answer.getByRole('heading')).toHaveText(['TL;DR', 'Key points']);
});

test('the API key is stored only encrypted: no plaintext in storage.local or any IndexedDB', async ({ extension, mock, site }) => {
  const secret = 'sk-proj-PLAINTEXT-canary-0123456789abcdef';
  mock.set({ apiKey: secret, reply: 'Summary with an encrypted key.' });
  const options = await extension.openExtensionPage('options.html');
  await saveProviderInOptions(options, { baseUrl: mock.baseUrl, model: 'mock-model', apiKey: secret });

  // The key still works: the background decrypts it for the request.
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Summary with an encrypted key.');
  expect(mock.completions()[0]!.headers.authorization).toBe(`Bearer ${secret}`);

  const dump = await options.evaluate(async () => {
    const seen: string[] = [JSON.stringify(await chrome.storage.local.get(null))];
    const stringify = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof CryptoKey ? `[CryptoKey extractable=${x.extractable}]` : x));
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const req = indexedDB.open(name!);
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((res) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => res(req.result);
        });
        seen.push(`${name}/${store}: ${stringify(rows)}`);
      }
      db.close();
    }
    return seen.join('\n');
  });
  expect(dump).toContain('precis-vault/keys');
  expect(dump).toContain('[CryptoKey extractable=false]');
  expect(dump).toContain('"iv"');
  expect(dump).not.toContain('PLAINTEXT-canary');
  expect(dump).not.toContain(secret.slice(-12));
});

test('a passphrase-locked key is unusable until unlocked, and a wrong passphrase is refused', async ({ extension, mock, site }) => {
  const secret = 'sk-proj-locked-key-4242';
  mock.set({ apiKey: secret, reply: 'Unlocked summary.' });
  const options = await extension.openExtensionPage('options.html');
  await saveProviderInOptions(options, { baseUrl: mock.baseUrl, model: 'mock-model', apiKey: secret, passphrase: 'correct horse battery' });
  await options.getByRole('button', { name: 'Lock now' }).click();
  await expect(options.getByLabel('The API key is locked')).toBeVisible();

  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('alert')).toContainText('The API key is locked');
  expect(mock.completions()).toHaveLength(0);

  await options.getByLabel('The API key is locked').fill('wrong horse battery');
  await options.getByRole('button', { name: 'Unlock' }).click();
  await expect(options.getByRole('alert')).toContainText('That passphrase does not unlock the API key.');
  await options.getByLabel('The API key is locked').fill('correct horse battery');
  await options.getByRole('button', { name: 'Unlock' }).click();
  await expect(options.getByText('Unlocked for this browser session.')).toBeVisible();

  await page.reload();
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Unlocked summary.');
  expect(mock.completions()[0]!.headers.authorization).toBe(`Bearer ${secret}`);
});
