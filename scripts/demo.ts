// `npm run demo -- <url-or-file>`: opens the page in headless Chromium with the built extension,
// runs "Summarise page", prints the summary as it streams and saves a screenshot of the sidebar.
// Provider: LLM_BASE_URL / LLM_API_KEY / LLM_MODEL when set, else the built-in default (offline).
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { launchWithExtension } from '../tests/support/chromium';
import { startStaticServer } from '../tests/support/static-server';

declare const chrome: any;

const target = process.argv[2];
const out = process.argv[3] ?? 'precis-demo.png';
if (!target) {
  console.error('Usage: npm run demo -- <url-or-file> [screenshot.png]');
  process.exit(2);
}

const extensionDir = resolve('.output/chrome-mv3-demo');
// Content scripts do not run on file:// pages: a local file is served from 127.0.0.1.
const server = existsSync(target) ? await startStaticServer(dirname(resolve(target))) : undefined;
const url = server ? `${server.url}/${encodeURIComponent(basename(target))}` : target;

const context = await launchWithExtension(extensionDir, { viewport: { width: 1280, height: 860 } });
try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const { LLM_BASE_URL: baseUrl, LLM_API_KEY: apiKey = '', LLM_MODEL: model = 'gpt-4o-mini' } = process.env;
  if (baseUrl) await worker.evaluate((s) => (globalThis as any).precisTest.saveSettings(s), { presetId: 'custom', baseUrl, apiKey, model });
  console.error(baseUrl ? `Provider: ${baseUrl} (${model})` : 'No LLM_BASE_URL: using the built-in offline summariser.');

  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const outcome = await worker.evaluate(async (pageUrl) => {
    const [tab] = await chrome.tabs.query({ url: pageUrl });
    return (globalThis as any).precisTest.onMenuClicked({ menuItemId: 'summarise-page' }, tab);
  }, page.url());
  if (!outcome?.ok) throw new Error(outcome?.message ?? 'Summarise failed');

  // Print the answer as it grows, until the job settles (or two minutes pass).
  let printed = '';
  const deadline = Date.now() + 120_000;
  for (;;) {
    const state = await page.evaluate(() => {
      const root = document.querySelector('precis-sidebar')?.shadowRoot;
      return {
        text: (root?.querySelector('[data-testid=answer]') as HTMLElement | null)?.innerText ?? '',
        status: root?.querySelector('[data-status]')?.getAttribute('data-status') ?? '',
        error: (root?.querySelector('[role=alert]') as HTMLElement | null)?.innerText ?? '',
      };
    });
    if (state.text.startsWith(printed)) process.stdout.write(state.text.slice(printed.length));
    printed = state.text;
    if (state.error) throw new Error(state.error);
    if (['done', 'stopped', 'interrupted'].includes(state.status) || Date.now() > deadline) break;
    await page.waitForTimeout(50);
  }
  process.stdout.write('\n');
  await page.screenshot({ path: out });
  console.error(`Screenshot: ${out}`);
} finally {
  await context.close();
  await server?.close();
}
