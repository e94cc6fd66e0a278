// Every way into a summary: the keyboard shortcut, the popup button, the selection menu item and a
// custom prompt; and the pages Precis cannot read.
import { expect, sidebar, test } from './fixtures';

declare const chrome: any;
const key = 'sk-test-surfaces';

test('the keyboard shortcut summarises the page', async ({ extension, mock, site }) => {
  mock.set({ reply: 'Summary from the shortcut.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.shortcut(page);
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Summary from the shortcut.');
});

test("the popup's button summarises the tab the user is looking at", async ({ extension, mock, site }) => {
  mock.set({ reply: 'Summary from the popup.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const popup = await extension.openPopupWindow();
  await popup.getByRole('button', { name: 'Summarise page' }).click();
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Summary from the popup.');
  expect(JSON.stringify(mock.completions()[0]!.body.messages)).toContain('sleeper trains');
});

test('"Summarise selection" summarises only the selected text', async ({ extension, mock, site }) => {
  mock.set({ reply: 'Summary of the selection.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await page.getByText('Running a night train is expensive.', { exact: false }).selectText();
  await extension.menu(page, 'summarise-selection');
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Summary of the selection.');
  const prompt = JSON.stringify(mock.completions()[0]!.body.messages);
  expect(prompt).toContain('Running a night train is expensive');
  expect(prompt).not.toContain('sleeper trains are running again');
});

test('a custom prompt appears as a menu item and runs with the selection and the output language', async ({ extension, mock, site }) => {
  mock.set({ reply: 'Explained.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.setPreferences({
    outputLanguage: 'Deutsch',
    customPrompts: [{ id: 'eli5', name: 'Explain like I am five', template: 'Explain to a child, in {{language}}: {{selection}}' }],
  });
  // Chrome has no API to list menu items, but updating one that does not exist fails.
  const menuItemExists = (id: string) =>
    extension.worker().then((w) =>
      w.evaluate((itemId) => chrome.contextMenus.update(itemId, {}).then(() => true, () => false), id),
    );
  // The menu as it settles: the install's rebuild and the preference change's each clear the menu
  // before they add their items, so one moment's look can fall between the two.
  const menu = async () => ({
    page: await menuItemExists('summarise-page'),
    selection: await menuItemExists('summarise-selection'),
    eli5: await menuItemExists('prompt:eli5'),
    missing: await menuItemExists('prompt:missing'),
  });
  await expect.poll(menu).toEqual({ page: true, selection: true, eli5: true, missing: false });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await page.getByText('Running a night train is expensive.', { exact: false }).selectText();
  await extension.menu(page, 'prompt:eli5');
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Explained.');
  const user = mock.completions()[0]!.body.messages.at(-1).content as string;
  expect(user).toMatch(/^Explain to a child, in Deutsch: Running a night train is expensive/);
});

test('pages Precis cannot read get a clear message', async ({ extension }) => {
  const page = await extension.context.newPage();
  await page.goto('chrome://version');
  const outcome = await (await extension.worker()).evaluate(async () => {
    const [tab] = await chrome.tabs.query({ url: 'chrome://version/' });
    return (globalThis as any).precisTest.summariseTab(tab);
  });
  expect(outcome).toMatchObject({ ok: false, kind: 'restricted_page', message: expect.stringContaining('Precis cannot read this page') });
});

test('the interface language can be set to Chinese whatever the browser says', async ({ extension, mock, site }) => {
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.setPreferences({ uiLocale: 'zh_CN' });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).locator('[data-status=done]')).toHaveText('完成');
  await expect(sidebar(page).getByRole('button', { name: '重新生成' })).toBeVisible();
  const options = await extension.openExtensionPage('options.html');
  await expect(options.getByRole('heading', { name: 'Precis 设置' })).toBeVisible();
});
