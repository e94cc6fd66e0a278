// A team's administrator sets Precis up through Chromium's managed policy, for real: the policy file
// Chromium reads at start, storage.managed, the options form locked with the reason.
import { expect, sidebar, test } from './fixtures';
import { e2eExtensionId } from './policy';

// Functions passed to `evaluate` run in an extension page.
declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };

test.use({
  managedPolicy: {
    presetId: 'custom',
    baseUrl: '{mock}',
    models: ['mock-model'],
    headers: { 'x-team-gateway': 'example-corp' },
    cacheRetentionDays: 3,
    allowCustomEndpoints: false,
    reason: 'Set by Example Corp IT.',
  },
});

test('the policy locks the options form and the base URL, and requests go where it says', async ({ extension, mock, site }) => {
  expect(extension.id).toBe(e2eExtensionId);
  const options = await extension.openExtensionPage('options.html');
  await expect(options.getByRole('note').filter({ hasText: 'Locked by your organisation' })).toHaveText('Locked by your organisation: Set by Example Corp IT.');
  for (const label of ['Provider', 'Base URL']) await expect(options.getByLabel(label, { exact: true })).toBeDisabled();
  await expect(options.getByLabel('Base URL', { exact: true })).toHaveValue(mock.baseUrl);
  await expect(options.getByLabel('Model', { exact: true })).toBeDisabled();
  await expect(options.getByLabel('Model', { exact: true })).toHaveValue('mock-model');
  await expect(options.getByText('Your organisation sets the headers sent with every request.')).toBeVisible();

  // The cache retention in Preferences: locked, at the administrator's value, with their reason.
  const retention = options.getByLabel('Keep cached summaries for (days)');
  await expect(retention).toBeDisabled();
  await expect(retention).toHaveValue('3');
  await expect(retention).toHaveAccessibleDescription('Your organisation sets how long cached summaries are kept: Set by Example Corp IT.');
  // Saving the rest of the preferences leaves it at the policy's.
  await options.getByLabel('Requests at once (at most)').fill('2');
  await options.getByRole('button', { name: 'Save preferences' }).click();
  await expect(options.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(retention).toHaveValue('3');

  // Even a message that skips the form cannot move the endpoint.
  const moved = await options.evaluate(() =>
    chrome.runtime.sendMessage({ type: 'settings.save', settings: { presetId: 'custom', baseUrl: 'http://127.0.0.1:9/v1', model: 'mock-model' } }),
  );
  expect(moved).toMatchObject({ ok: false, error: { kind: 'forbidden', message: expect.stringContaining('Set by Example Corp IT.') } });

  // The user adds only their key; the summary goes to the administrator's endpoint, with its header.
  mock.set({ reply: 'Through the team endpoint.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: 'sk-team-member' });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  await extension.summariseFromMenu(page);
  await expect(sidebar(page).getByTestId('answer')).toHaveText('Through the team endpoint.');
  expect(mock.completions()[0]!.headers['x-team-gateway']).toBe('example-corp');
});

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('the locked fields and their reason read in Chinese', async ({ extension }) => {
    const options = await extension.openExtensionPage('options.html');
    await expect(options.getByRole('note').filter({ hasText: '已由你的组织锁定' })).toHaveText('已由你的组织锁定：Set by Example Corp IT.');
    await expect(options.getByText('随每个请求发送的请求头由你的组织设置。')).toBeVisible();
    const retention = options.getByLabel('缓存摘要保留天数');
    await expect(retention).toBeDisabled();
    await expect(retention).toHaveValue('3');
    await expect(retention).toHaveAccessibleDescription('缓存摘要的保留时长由你的组织设置：Set by Example Corp IT.');
  });
});
