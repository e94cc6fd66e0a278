// Providers as a user sets them up in the options: a local server that refuses extension origins
// (as Ollama does), made to work by the Origin rewrite rule, and the message when it is missing.
import { expect, sidebar, test } from './fixtures';

declare const chrome: any;

test('a local server that refuses extension origins works through the Origin rewrite; without it the user is told why', async ({ extension, mock, site }) => {
  mock.set({ rejectExtensionOrigins: true, reply: 'Local model summary.' });
  const options = await extension.openExtensionPage('options.html');
  await options.getByLabel('Provider').selectOption('ollama');
  await expect(options.getByText(/OLLAMA_ORIGINS/)).toBeVisible();
  await options.getByLabel('Base URL').fill(mock.baseUrl);
  await options.getByLabel('Model', { exact: true }).fill('llama3.2');
  await options.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(options.getByTestId('notice')).toHaveText('Saved.');

  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Local model summary.');
  const request = mock.completions().at(-1)!;
  expect(request.headers.origin).toBe(new URL(mock.url).origin);
  expect(request.headers.authorization).toBeUndefined(); // Ollama needs no key

  // Without the rule the server's 403 is explained, not blamed on a key.
  await (await extension.worker()).evaluate(() => chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: [8110] }));
  await page.goto(`${site.url}/zh-article.html`); // another page: the first summary is cached now
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByRole('alert')).toContainText('The local server refused Precis');
  await expect(sidebar(page).getByRole('alert')).toContainText('OLLAMA_ORIGINS');
});

test('a team gateway gets its extra headers on every request, and their values never come back to the page', async ({ extension, mock, site }) => {
  mock.set({ reply: 'Through the gateway.' });
  const options = await extension.openExtensionPage('options.html');
  await options.getByLabel('Provider').selectOption('custom');
  await options.getByLabel('Base URL').fill(mock.baseUrl);
  await options.getByLabel('Model', { exact: true }).fill('team-model');
  await options.getByLabel('API key').fill('sk-team-key-1234');
  await options.getByText('Extra headers (team gateways)').click();
  await options.getByRole('button', { name: 'Add header' }).click();
  await options.getByLabel('Header name').fill('Helicone-Auth');
  await options.getByLabel('Value', { exact: true }).fill('Bearer sk-helicone-secret-99');
  await options.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(options.getByTestId('notice')).toHaveText('Saved.');

  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Through the gateway.');
  const request = mock.completions().at(-1)!;
  expect(request.headers['helicone-auth']).toBe('Bearer sk-helicone-secret-99');
  expect(request.headers.authorization).toBe('Bearer sk-team-key-1234');
  expect(request.body.model).toBe('team-model');

  const publicSettings = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'settings.get' }));
  expect(JSON.stringify(publicSettings)).not.toContain('helicone-secret');
  expect(publicSettings.value.headerNames).toEqual(['Helicone-Auth']);
  const stored = JSON.stringify(await options.evaluate(() => chrome.storage.local.get(null)));
  expect(stored).not.toContain('helicone-secret');
});
