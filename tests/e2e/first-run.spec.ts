// The first run: installing opens the welcome page by itself (once), which shows the real shortcut,
// says what stays private and saves a provider; until one is saved the popup guides there. Also
// the welcome page's pictures (light and dark, English and Chinese), its accessibility and its
// quiet at rest. Pictures go to test-results/ always, docs/ when UPDATE_SCREENSHOTS=1.
import type { BrowserContext, Page } from '@playwright/test';
import { expectNoSeriousViolations } from './axe';
import { expect, saveProviderInOptions, sidebar, test, welcomeTab, type Extension } from './fixtures';

declare const chrome: any;

const outDir = process.env.UPDATE_SCREENSHOTS ? 'docs' : 'test-results/screenshots';
const key = 'sk-test-first-run-5b1c';

/** Every runtime message the extension's pages send from now on, with when it went and whether it was answered. */
async function recordMessages(context: BrowserContext) {
  await context.addInitScript(() => {
    if (!location.protocol.endsWith('-extension:')) return;
    const sent: { type: string; at: number; answered: boolean }[] = ((window as any).precisSent = []);
    const original = chrome.runtime.sendMessage.bind(chrome.runtime);
    chrome.runtime.sendMessage = (message: { type: string }, ...rest: unknown[]) => {
      const entry = { type: message?.type, at: performance.now(), answered: false };
      sent.push(entry);
      return Promise.resolve(original(message, ...rest)).finally(() => (entry.answered = true));
    };
  });
}
const sentBy = (page: Page): Promise<{ type: string; at: number; answered: boolean }[]> => page.evaluate(() => (window as any).precisSent);

/** Opens the popup as its own page, once it has asked the background whether a provider is set up. */
async function openPopup(extension: Extension) {
  const popup = await extension.openExtensionPage('popup.html');
  await expect.poll(async () => (await sentBy(popup)).some((m) => m.type === 'settings.get' && m.answered)).toBe(true);
  return popup;
}

/** The shortcut as the browser reports it to the extension. */
const shortcutOf = async (extension: Extension): Promise<string> =>
  (await extension.worker()).evaluate(async () => (await chrome.commands.getAll()).find((c: { name: string }) => c.name === 'summarise-page')?.shortcut ?? '');

test.describe('installing', () => {
  test.use({ firstRunTab: 'keep' });

  test('opens the welcome page by itself, once, showing the shortcut the browser has', async ({ extension }) => {
    const welcome = await welcomeTab(extension.context, extension.id);
    await expect(welcome.getByRole('heading', { name: 'Welcome to Precis' })).toBeVisible();
    expect(extension.context.pages().filter((p) => p.url() === welcome.url())).toHaveLength(1);

    // The browser's shortcut, not the manifest's suggestion: the user may have changed or removed it.
    const shortcut = await shortcutOf(extension);
    expect(shortcut).not.toBe('');
    await expect(welcome.getByTestId('shortcut')).toHaveText(shortcut);
    await expect(welcome.getByText('Set or change it at chrome://extensions/shortcuts.')).toBeVisible();
    const [settingsTab] = await Promise.all([
      extension.context.waitForEvent('page'),
      welcome.getByRole('button', { name: 'Change shortcut' }).click(),
    ]);
    await expect(settingsTab).toHaveURL('chrome://extensions/shortcuts');

    // What stays private, in the user's words.
    await expect(welcome.getByRole('heading', { name: 'What stays private' })).toBeVisible();
    await expect(welcome.getByText(/API key is stored encrypted in this browser/)).toBeVisible();
    await expect(welcome.getByText(/only to the provider you chose/)).toBeVisible();
    await expect(welcome.getByText(/No telemetry/)).toBeVisible();
  });

  test('a provider saved on the welcome page is used for summaries', async ({ extension, mock, site }) => {
    mock.set({ apiKey: key, reply: 'Summary from the provider chosen at first run.' });
    const welcome = await welcomeTab(extension.context, extension.id);
    await welcome.getByLabel('Provider').selectOption('custom');
    await saveProviderInOptions(welcome, { baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
    await expect(welcome.getByText('All set: Precis now uses this model')).toBeVisible();
    await welcome.getByRole('button', { name: 'Test connection' }).click();
    await expect(welcome.getByTestId('notice')).toContainText('Answered in');

    const page = await extension.context.newPage();
    await page.goto(`${site.url}/article.html`);
    await extension.summariseFromMenu(page);
    await expect(sidebar(page).getByTestId('answer')).toHaveText('Summary from the provider chosen at first run.');
    expect(mock.completions().at(-1)!.headers.authorization).toBe(`Bearer ${key}`);
  });
});

test('the popup guides to setup until a provider is saved, and its summary button works meanwhile', async ({ extension, mock, site }) => {
  await recordMessages(extension.context);
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);

  let popup = await openPopup(extension);
  const guide = popup.getByRole('region', { name: 'No model set up yet' });
  await expect(guide).toBeVisible();
  await expect(guide).toContainText(`or press ${await shortcutOf(extension)}`);
  await popup.setViewportSize({ width: 420, height: 580 });
  await popup.screenshot({ path: 'test-results/screenshots/popup-setup.png' });

  // The offline summary needs no provider, guide or not.
  await popup.close();
  popup = await extension.openPopupWindow();
  await popup.getByRole('button', { name: 'Summarise page' }).click();
  await expect(sidebar(page).getByText('Offline summary.')).toBeVisible();
  expect(mock.completions()).toHaveLength(0);

  // "Set up a model" opens the welcome page, where the provider is saved.
  popup = await openPopup(extension);
  const [welcome] = await Promise.all([
    extension.context.waitForEvent('page'),
    popup.getByRole('region', { name: 'No model set up yet' }).getByRole('button', { name: 'Set up a model' }).click(),
  ]);
  await expect(welcome).toHaveURL(`chrome-extension://${extension.id}/welcome.html`);
  await welcome.getByLabel('Provider').selectOption('custom');
  await saveProviderInOptions(welcome, { baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });

  popup = await openPopup(extension);
  await expect(popup.getByRole('button', { name: 'Summarise page' })).toBeVisible();
  await expect(popup.getByRole('region', { name: 'No model set up yet' })).toHaveCount(0);
});

test('the welcome page at rest sends at most 3 messages in 3 s, and passes axe in light and dark', async ({ extension }) => {
  await recordMessages(extension.context);
  const welcome = await extension.openExtensionPage('welcome.html');
  await expect(welcome.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
  const ready = await welcome.evaluate(() => performance.now());
  // A measuring window, not a wait for something: whatever the page sends at rest happens in it.
  await welcome.waitForTimeout(3_000);
  const sent = await sentBy(welcome);
  const atRest = sent.filter((m) => m.at >= ready);
  console.log(`welcome page: ${sent.length} messages from load to 3 s after ready (${sent.map((m) => m.type).join(', ')}), ${atRest.length} at rest`);
  expect(sent.length).toBeLessThanOrEqual(3);

  await expectNoSeriousViolations(welcome);
});

for (const [locale, suffix, strings] of [
  ['en-US', '', { title: 'Welcome to Precis', save: 'Save' }],
  ['zh-CN', '-zh', { title: '欢迎使用 Precis', save: '保存' }],
] as const) {
  test.describe(`${locale} first run`, () => {
    test.use({ locale, firstRunTab: 'keep' });

    test(`the welcome page in ${locale}, light and dark`, async ({ extension }) => {
      const welcome = await welcomeTab(extension.context, extension.id);
      await welcome.setViewportSize({ width: 1280, height: 860 });
      await expect(welcome.getByRole('heading', { name: strings.title })).toBeVisible();
      await expect(welcome.getByRole('button', { name: strings.save, exact: true })).toBeVisible();
      await expect(welcome.getByTestId('shortcut')).toHaveText(await shortcutOf(extension));
      await expect(welcome.locator('html')).toHaveAttribute('lang', locale === 'zh-CN' ? 'zh-CN' : 'en');
      for (const colorScheme of ['light', 'dark'] as const) {
        await welcome.emulateMedia({ colorScheme });
        await welcome.screenshot({ path: `${outDir}/welcome${suffix}${colorScheme === 'dark' ? '-dark' : ''}.png`, fullPage: true });
      }
    });
  });
}
