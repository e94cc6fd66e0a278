// Error panels that help: a heading and the evidence without saying the same thing twice, and only
// the actions that can work.
import { expect, sidebar, test } from './fixtures';

const key = 'sk-test-errors';

test('an empty account: the sidebar says so once, and offers neither Regenerate, Resume nor Forget', async ({ extension, mock, site }) => {
  mock.set({ always: { kind: 'status', status: 429, body: { error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' } } } });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const alert = sidebar(page).getByRole('alert');
  await expect(alert.locator('strong')).toHaveText('Your provider account is out of credit');
  await expect(alert.locator('p')).toHaveText('Add credit or raise the spending limit with the provider, then try again.');
  await expect(alert.getByRole('button', { name: 'Open options' })).toBeVisible();
  const footer = sidebar(page).locator('footer');
  for (const name of ['Regenerate', 'Resume', 'Forget this page']) await expect(footer.getByRole('button', { name })).toHaveCount(0);
  expect(mock.completions()).toHaveLength(1);
});

test('a base URL served by a static file server (501 to a POST) is called not an API, not a provider in trouble', async ({ extension, mock, site }) => {
  mock.set({
    always: {
      kind: 'status',
      status: 501,
      headers: { 'content-type': 'text/html' },
      body: "<html><body><h1>Error response</h1><p>Error code: 501</p><p>Message: Unsupported method ('POST').</p></body></html>",
    },
  });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const alert = sidebar(page).getByRole('alert');
  await expect(alert.locator('strong')).toHaveText('That address does not answer like an OpenAI-compatible API');
  await expect(alert).not.toContainText('having trouble');
  expect(mock.completions()).toHaveLength(1);
});

test('chat with no provider offers the options, not a Retry that cannot work; Copy says Copied, then Copy again', async ({ extension, mock }) => {
  const popup = await extension.openExtensionPage('popup.html');
  const box = popup.getByRole('textbox', { name: /Ask anything/ });
  await box.fill('Hello?');
  await box.press('Enter');
  await expect(popup.getByRole('alert')).toContainText('No model set up yet');
  await expect(popup.getByRole('button', { name: 'Retry' })).toHaveCount(0);

  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  mock.set({ reply: 'Hello back.' });
  await popup.getByRole('button', { name: 'New chat' }).click();
  await box.fill('Hello again?');
  await box.press('Enter');
  await extension.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const copy = popup.getByTestId('assistant-turn').getByRole('button', { name: 'Copy' });
  await copy.click();
  await expect(popup.getByTestId('assistant-turn').getByRole('button', { name: 'Copied' })).toBeVisible();
  await expect(copy).toBeVisible();
  expect(await popup.evaluate(() => navigator.clipboard.readText())).toBe('Hello back.');
});

test('a follow-up that failed can be retried from the sidebar', async ({ extension, mock, site }) => {
  mock.set({ reply: ({ messages }) => (messages.length > 2 ? 'The follow-up answer.' : 'The summary.') });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.setPreferences({ attemptLimit: 1 });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(panel.getByTestId('answer')).toHaveText('The summary.');
  mock.fail({ kind: 'status', status: 503 });
  const ask = panel.getByRole('textbox', { name: 'Ask a follow-up about this page…' });
  await ask.fill('And then?');
  await ask.press('Enter');
  const thread = panel.getByRole('region', { name: 'Ask a follow-up about this page…' });
  await expect(thread.getByRole('alert')).toContainText('The provider is having trouble');
  await thread.getByRole('button', { name: 'Retry' }).click();
  await expect(thread).toContainText('The follow-up answer.');
  await expect(thread.getByRole('alert')).toHaveCount(0);
});

test('the passphrase box says what is wrong right by it, in plain words', async ({ extension, mock }) => {
  const options = await extension.openExtensionPage('options.html');
  await options.getByLabel('Base URL').fill(mock.baseUrl);
  await options.getByLabel('Model', { exact: true }).fill('mock-model');
  await options.getByLabel('API key').fill(key);
  await options.getByLabel('Passphrase (optional)').fill('short');
  await options.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(options.getByRole('alert')).toContainText('A passphrase has at least 8 characters.');
  await expect(options.getByRole('alert')).not.toContainText('Rejected message');

  await options.getByLabel('Passphrase (optional)').fill('correct horse battery');
  await options.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(options.getByTestId('notice')).toHaveText('Saved.');
  await options.getByRole('button', { name: 'Lock now' }).click();
  const unlock = options.locator('form.unlock');
  await unlock.getByLabel('The API key is locked').fill('short');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock.getByRole('alert')).toContainText('A passphrase has at least 8 characters.');
  await unlock.getByLabel('The API key is locked').fill('wrong horse battery');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock.getByRole('alert')).toHaveText(/Wrong passphrase.*That passphrase does not unlock the API key\./);
});
