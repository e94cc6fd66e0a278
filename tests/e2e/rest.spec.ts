// A view at rest does nothing: once an answer has finished, no messages, no ports, no re-renders.
import { expect, sidebar, sidebarFrame, test } from './fixtures';

const key = 'sk-test-rest';
const quiet = { messages: 0, ports: 0, mutations: 0 };

test('the popup chat rests once its answer is in, and New chat stays new', async ({ extension, mock }) => {
  mock.set({ reply: ({ messages }) => `Answer to “${messages.at(-1)!.content}”.` });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const popup = await extension.openExtensionPage('popup.html');
  const box = popup.getByRole('textbox', { name: /Ask anything/ });
  await box.fill('First question?');
  await box.press('Enter');
  await expect(popup.getByTestId('assistant-turn')).toContainText('Answer to “First question?”.');
  await expect(popup.getByRole('button', { name: 'Copy' })).toBeVisible();

  const rest = await extension.activityAtRest(popup);
  expect(rest.messages + rest.ports, JSON.stringify(rest)).toBeLessThanOrEqual(3);
  expect(rest.mutations, JSON.stringify(rest)).toBe(0);

  // New chat starts a new thread and stays on it.
  await popup.getByRole('button', { name: 'New chat' }).click();
  await expect(popup.getByTestId('assistant-turn')).toHaveCount(0);
  const checkbox = popup.getByRole('checkbox', { name: 'About this page' });
  await checkbox.check();
  expect(await extension.activityAtRest(popup, { ms: 1_500 })).toEqual(quiet);
  await expect(popup.getByTestId('assistant-turn')).toHaveCount(0);
  await expect(checkbox).toBeChecked();
  // (This popup is a tab of its own, with no page to attach.)
  await checkbox.uncheck();
  await box.fill('A new question?');
  await box.press('Enter');
  await expect(popup.getByTestId('user-turn')).toHaveText(['A new question?']);
  await expect(popup.getByTestId('assistant-turn')).toContainText('Answer to “A new question?”.');
  // It went to a new conversation: the first one is untouched.
  await popup.getByRole('button', { name: 'History' }).click();
  await expect(popup.getByRole('list', { name: 'History' }).getByRole('button')).toHaveText(['A new question?', 'First question?']);
});

test('the sidebar rests once its summary and a follow-up are in', async ({ extension, mock, site }) => {
  mock.set({ reply: ({ messages }) => (messages.length > 2 ? 'A follow-up answer.' : 'The summary.') });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  const panel = sidebar(page);
  await expect(panel.getByTestId('answer')).toHaveText('The summary.');
  const ask = panel.getByRole('textbox', { name: 'Ask a follow-up about this page…' });
  await ask.fill('And then?');
  await ask.press('Enter');
  const thread = panel.getByRole('region', { name: 'Ask a follow-up about this page…' });
  await expect(thread).toContainText('A follow-up answer.');
  // Finished, not only written: its usage line comes with the end of the job.
  await expect(thread.getByTestId('usage')).toBeVisible();

  const rest = await extension.activityAtRest(await sidebarFrame(page));
  expect(rest.messages + rest.ports, JSON.stringify(rest)).toBeLessThanOrEqual(3);
  expect(rest.mutations, JSON.stringify(rest)).toBe(0);
});

test('the options page rests once loaded', async ({ extension, mock }) => {
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const options = await extension.openExtensionPage('options.html');
  await expect(options.getByLabel('Base URL')).toHaveValue(mock.baseUrl);
  // Loaded means everything it asks for is in: the provider's model list (from the mock), the
  // preferences and the cache figures. On a busy CI machine the model list came in during the
  // measurement once: 10 mutations, all of it loading.
  await expect(options.locator('datalist#models option[value="gpt-4o-mini"]')).toHaveCount(1);
  await expect(options.locator('#uiLocale')).toBeVisible();
  await expect(options.getByTestId('cache-stats')).toBeVisible();
  const rest = await extension.activityAtRest(options);
  expect(rest.messages + rest.ports, JSON.stringify(rest)).toBeLessThanOrEqual(3);
  expect(rest.mutations, JSON.stringify(rest)).toBe(0);
});
