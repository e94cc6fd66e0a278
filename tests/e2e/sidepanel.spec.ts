// The side panel and PDFs. Automation cannot open the side panel (no gesture) and headless
// Chromium may not render one, so the panel's page is opened in a window of its own, where it
// follows the active tab of the normal window just as it does beside it; that the background opens
// the real panel inside the gesture is checked through precisTest's record of each opening.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { chineseFact, chinesePdf, corpusPdfs, corruptPdf, hasCjkFont, hasCorpus, noCjkFont, noCorpus, scannedPdf, textPdf } from '../support/pdfs';
import type { MockLlm } from '../support/mock-llm';
import { startStaticServer } from '../support/static-server';
import { expectNoSeriousViolations } from './axe';
import { highlighted, unitOf, userPrompt } from './citation-helpers';
import { askFollowUp, expect, openPanel, test, type Extension } from './fixtures';

declare const chrome: any;

// PDFs load Chrome's viewer and pdf.js; on a loaded 2-core machine a test here took 40 s of the default 45.
test.describe.configure({ timeout: 90_000 });

const key = 'sk-test-pdf-7c1e';
const outDir = process.env.UPDATE_SCREENSHOTS ? 'docs' : 'test-results/screenshots';

const pdfServer = test.extend<object, { pdfs: { url: string } }>({
  pdfs: [
    async ({}, use) => {
      // The real paper where the shared corpus is beside the checkout; generated PDFs always.
      const server = await startStaticServer(hasCorpus ? corpusPdfs : 'tests/e2e/pages', {
        ...(hasCorpus && { '/copy/paper.pdf': await readFile(resolve(corpusPdfs, 'tracemonkey.pdf')) }),
        '/papers/2026-report': { body: await textPdf(3), type: 'application/pdf' },
        '/report-150.pdf': await textPdf(150, { title: 'Rail survey 2026' }),
        '/survey-5.pdf': await textPdf(5),
        '/scan.pdf': await scannedPdf(3),
        '/corrupt.pdf': corruptPdf(),
        ...(hasCjkFont && { '/cn/report.pdf': await chinesePdf(3, { title: '铁路调查报告', linesPerPage: 6 }) }),
      });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
});

/** A provider, the side panel chosen in the preferences, the trains article in a tab and the panel open beside it. */
async function articleInSidePanel(extension: Extension, mock: MockLlm, siteUrl: string): Promise<{ page: Page; panel: Page }> {
  mock.set({ apiKey: key, reply: 'Summary of the trains article.' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.setPreferences({ summariseOpensIn: 'sidepanel' });
  const page = await extension.context.newPage();
  await page.goto(`${siteUrl}/article.html`);
  return { page, panel: await openPanel(extension, page) };
}

/** Each side panel opening the background asked for, with whether it came inside the gesture. */
const panelOpens = async (extension: Extension) =>
  (await extension.worker()).evaluate(() => (globalThis as any).precisTest.panelOpens as Array<{ tabId: number; inGesture: boolean }>);

/** The page Chrome's own PDF viewer in `tab` says it shows (its toolbar's page field), '' until it is there. */
async function viewerPage(tab: Page): Promise<string> {
  const viewer = tab.frames().find((f) => f.url().startsWith('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/'));
  return viewer ? viewer.locator('input#pageSelector').inputValue({ timeout: 1_000 }).catch(() => '') : '';
}

/** Cites the page its part or notes start on, so the citations can be followed through map-reduce. */
function citingReply({ messages }: { messages: Array<{ role: string; content: string }> }) {
  const prompt = messages.at(-1)?.content ?? '';
  const page = /\[p\. (\d+)/.exec(prompt)?.[1];
  if (prompt.includes('<part>')) return `- The survey counted trains (p. ${page}).`;
  if (prompt.includes('<notes>') && !messages[0]!.content.includes('notes on its consecutive parts')) return '- Merged notes (p. 1).';
  return `**TL;DR** The paper speeds up dynamic languages with trace trees (p. ${page ?? 1}).`;
}

pdfServer('a PDF is summarised into the side panel, page by page, and the summary cites its pages', async ({ extension, mock, pdfs }) => {
  pdfServer.skip(!hasCorpus, noCorpus);
  mock.set({ apiKey: key, latencyMs: 300, reply: citingReply });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const pdf = await extension.context.newPage();
  await pdf.goto(`${pdfs.url}/tracemonkey.pdf`);
  const panel = await openPanel(extension, pdf);
  await expect(panel.getByText('Nothing summarised in this tab yet')).toBeVisible();

  expect(await extension.summariseFromMenu(pdf)).toMatchObject({ ok: true });
  // The PDF viewer takes no content script: the side panel was opened, inside the gesture.
  const pdfTabId = Number(await panel.locator('main.panel').getAttribute('data-tab'));
  expect(await panelOpens(extension)).toEqual([{ tabId: pdfTabId, inGesture: true }]);

  await expect(panel.getByRole('status')).toContainText(/Reading page \d+ of 14/);
  // A 14-page paper is longer than the mock model's window: notes on parts, each citing its page.
  await expect(panel.getByTestId('answer')).toContainText('trace trees (p. 1)', { timeout: 30_000 });
  await expect(panel.locator('[data-status=done]')).toBeVisible({ timeout: 20_000 });
  await expect(panel.locator('header .title')).toHaveText('tracemonkey.pdf');

  const requests = mock.completions();
  expect(requests[0]!.body.messages[0]!.content).toContain('"[p. N]" marks where its page N begins');
  const prompts = requests.map((r) => r.body.messages.at(-1)!.content).join('\n');
  expect(prompts).toContain('[p. 1]\nTrace-based Just-in-Time Type Specialization');
  expect(prompts).toContain('[p. 14]');
  expect(prompts).toContain('PDF, 14 pages');
  expect(prompts).toContain('(p. ');
  expect(prompts).not.toContain(pdfs.url);

  // The same file from another address asks the same question: the cache answers.
  const copy = await extension.context.newPage();
  await copy.goto(`${pdfs.url}/copy/paper.pdf`);
  await copy.bringToFront();
  await expect(panel.getByText('Nothing summarised in this tab yet')).toBeVisible();
  await extension.summariseFromMenu(copy);
  await expect(panel.getByTestId('cached')).toBeVisible();
  await expect(panel.getByTestId('answer')).toContainText('trace trees (p. 1)');
  expect(mock.completions()).toHaveLength(requests.length);

  const rest = await extension.activityAtRest(panel, { ms: 1_500 });
  expect(rest).toEqual({ messages: 0, ports: 0, mutations: 0 });
});

pdfServer('a 150-page PDF goes through map-reduce, each part starting on its page', async ({ extension, mock, pdfs }) => {
  mock.set({ apiKey: key, reply: citingReply });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const pdf = await extension.context.newPage();
  await pdf.goto(`${pdfs.url}/report-150.pdf`);
  const panel = await openPanel(extension, pdf);
  await extension.summariseFromMenu(pdf);
  await expect(panel.locator('[data-status=done]')).toBeVisible({ timeout: 30_000 });
  await expect(panel.locator('header .title')).toHaveText('report-150.pdf');

  const prompts = mock.completions().map((r) => r.body.messages.at(-1)!.content);
  const parts = prompts.filter((p) => p.includes('<part>'));
  expect(parts.length).toBeGreaterThanOrEqual(5);
  // Every part names the page it starts on, mid-page cuts included, and the whole file was read.
  for (const part of parts) expect(part).toMatch(/<part>\n\[p\. \d+(, continued)?\]/);
  expect(parts.some((p) => p.includes('[p. 150]') && p.includes('Fact 150.30'))).toBe(true);
  // The final summary is written from notes that still cite their pages.
  expect(mock.completions().at(-1)!.body.messages[0]!.content).toContain('notes on its consecutive parts');
  expect(prompts.at(-1)).toContain('(p. 1)');
  expect(prompts.at(-1)).toMatch(/\(p\. 1[45]\d\)/);
  expect(prompts.at(-1)).toContain('Rail survey 2026');
});

pdfServer('page citations open their page in the PDF’s tab and show its opening words; a page the PDF lacks is not linked', async ({ extension, mock, pdfs }) => {
  mock.set({ apiKey: key, reply: '**TL;DR** Trains were counted every week (p. 2).\n\n- Weeks three and four (pp. 3–4).\n- A page the file does not have (p. 99).' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'gpt-4o-mini', apiKey: key });
  const pdf = await extension.context.newPage();
  const url = `${pdfs.url}/survey-5.pdf`;
  await pdf.goto(url);
  const panel = await openPanel(extension, pdf);
  await extension.summariseFromMenu(pdf);
  const answer = panel.getByTestId('answer');
  await expect(panel.locator('[data-status=done]')).toBeVisible({ timeout: 20_000 });

  // Every citation reads as written; only pages 1..5 are links, and (p. 99) is gone.
  await expect(answer).toContainText('every week (p. 2).');
  await expect(answer).toContainText('Weeks three and four (pp. 3–4).');
  await expect(answer.getByRole('listitem').nth(1)).toHaveText('A page the file does not have.');
  await expect(answer.locator('button.page')).toHaveCount(2);

  // Hovering shows how the cited page begins, as the PDF has it.
  for (const page of [2, 3]) {
    await answer.locator(`button.page[data-page="${page}"]`).hover();
    await expect(panel.getByTestId('cite-quote')).toContainText(`Page ${page}: chapter 1 of the report`);
    await expect(panel.getByTestId('cite-quote')).toContainText(`week ${page}`);
  }

  // A click opens that page in the tab's viewer (the address's #page=N), from whatever page it shows:
  // page 1 to 3 from the summary, then 3 to 2 from a follow-up's answer. Each move reloads Chrome's
  // viewer (2 s alone, 5 s or more on a loaded machine), so the test makes two, not one per chip.
  const shown = async () => (await extension.worker()).evaluate(async () => (await chrome.tabs.query({})).map((t: { url?: string }) => t.url));
  await expect.poll(() => viewerPage(pdf)).toBe('1');
  await answer.getByRole('button', { name: 'Open page 3–4 of the PDF' }).click();
  await expect.poll(shown).toContain(`${url}#page=3`);
  await expect.poll(() => viewerPage(pdf), { timeout: 20_000 }).toBe('3');
  await expect(panel.getByRole('status').filter({ hasText: 'no longer open' })).toHaveCount(0);
  // The summary is still the tab's: the page of the same file is the same document.
  await expect(answer).toContainText('every week (p. 2).');

  const thread = await askFollowUp(panel.locator('main.panel'), 'Which weeks are covered?');
  await expect(thread.locator('button.page')).toHaveCount(2);
  await thread.getByRole('button', { name: 'Open page 2 of the PDF' }).click();
  await expect.poll(shown).toContain(`${url}#page=2`);
  await expect.poll(() => viewerPage(pdf), { timeout: 20_000 }).toBe('2');
});

pdfServer('a PDF in Chinese is read in Chinese by pdf.js in the browser, page by page, and summarised', async ({ extension, mock, pdfs }) => {
  pdfServer.skip(!hasCjkFont, noCjkFont);
  mock.set({ apiKey: key, reply: '报告统计了夜间列车（第 2 页）。' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'gpt-4o-mini', apiKey: key });
  const pdf = await extension.context.newPage();
  await pdf.goto(`${pdfs.url}/cn/report.pdf`);
  const panel = await openPanel(extension, pdf);
  await extension.summariseFromMenu(pdf);
  await expect(panel.getByTestId('answer')).toHaveText('报告统计了夜间列车（第 2 页）。');
  await expect(panel.locator('[data-status=done]')).toBeVisible();
  const prompt = mock.completions()[0]!.body.messages.map((m: { content: string }) => m.content).join('\n');
  expect(prompt).toContain('[p. 2]\n第2页');
  expect(prompt).toContain(chineseFact(3, 6));
  expect(prompt).toContain('铁路调查报告');
});

pdfServer('a scanned PDF and a damaged one get their own messages; a PDF at an address without ".pdf" is read as one', async ({ extension, mock, pdfs }) => {
  mock.set({ apiKey: key, reply: 'unused' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const scan = await extension.context.newPage();
  await scan.goto(`${pdfs.url}/scan.pdf`);
  const panel = await openPanel(extension, scan);
  await extension.summariseFromMenu(scan);
  await expect(panel.getByRole('alert')).toContainText('This PDF has no text to read');
  await expect(panel.getByRole('alert')).toContainText('OCR');

  // A PDF at an address without ".pdf": the reader finds the viewer, and the file is read instead.
  const noSuffix = await extension.context.newPage();
  await noSuffix.goto(`${pdfs.url}/papers/2026-report`);
  await noSuffix.bringToFront();
  mock.set({ apiKey: key, reply: 'The report counts trains (p. 1).' });
  expect(await extension.summariseFromMenu(noSuffix)).toMatchObject({ ok: true });
  await expect(panel.getByTestId('answer')).toHaveText('The report counts trains (p. 1).');

  const corrupt = await extension.context.newPage();
  await corrupt.goto(`${pdfs.url}/corrupt.pdf`).catch(() => undefined);
  await corrupt.bringToFront();
  await extension.summariseFromMenu(corrupt);
  await expect(panel.getByRole('alert')).toContainText('This PDF is damaged');
  expect(mock.completions()).toHaveLength(1);
});

pdfServer('the side panel follows the active tab, and "Summarise page" opens it when the options say so', async ({ extension, mock, site }) => {
  mock.set({ apiKey: key, reply: ({ messages }) => (JSON.stringify(messages).includes('sleeper trains') ? 'Summary of the trains article.' : 'Summary of the other page.') });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.setPreferences({ summariseOpensIn: 'sidepanel' });
  const first = await extension.context.newPage();
  await first.goto(`${site.url}/article.html`);
  const second = await extension.context.newPage();
  await second.goto(`${site.url}/long.html`);
  const panel = await openPanel(extension, first);

  await extension.summariseFromMenu(first);
  await expect(panel.getByTestId('answer')).toHaveText('Summary of the trains article.');
  // No sidebar in the page: the panel is where the user asked for it.
  await expect(first.locator('precis-sidebar')).toHaveCount(0);

  await second.bringToFront();
  await expect(panel.getByText('Nothing summarised in this tab yet')).toBeVisible();
  await extension.shortcut(second);
  await expect(panel.getByTestId('answer')).not.toHaveText('Summary of the trains article.');
  await expect(panel.locator('[data-status=done]')).toBeVisible({ timeout: 30_000 });

  await first.bringToFront();
  await expect(panel.getByTestId('answer')).toHaveText('Summary of the trains article.');
  const opens = await panelOpens(extension);
  expect(opens).toHaveLength(2);
  expect(opens.every((o) => o.inGesture)).toBe(true);

  // The popup's button sends it to the panel too (the popup opens the panel itself, in the click).
  const third = await extension.context.newPage();
  await third.goto(`${site.url}/article.html?again`);
  await third.bringToFront();
  await expect(panel.getByText('Nothing summarised in this tab yet')).toBeVisible();
  const popup = await extension.openPopupWindow();
  await popup.getByRole('button', { name: 'Summarise page' }).click();
  await expect(panel.getByTestId('answer')).toHaveText('Summary of the trains article.');
  await expect(third.locator('precis-sidebar')).toHaveCount(0);
});

pdfServer('a chip in the side panel highlights its passage in the tab, and closing the panel clears it', async ({ extension, mock, site }) => {
  mock.set({ apiKey: key, reply: ({ messages }) => `- Six countries signed a declaration ¶${unitOf(userPrompt(messages), 'ministers from six countries')}.` });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  await extension.setPreferences({ summariseOpensIn: 'sidepanel' });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const panel = await openPanel(extension, page);
  await extension.summariseFromMenu(page);
  await panel.getByTestId('answer').locator('button.cite').click();
  await expect.poll(async () => (await highlighted(page))?.text ?? '').toContain('ministers from six countries signed');
  await panel.close();
  // Nothing stays painted on the page with no panel to say why.
  await expect.poll(() => highlighted(page)).toBeUndefined();
  expect(await page.evaluate(() => CSS.highlights.size)).toBe(0);

  // Again, with the worker stopped between the click and the close (as Chrome stops an idle one,
  // and the panel's port with it): the panel itself tells the tab.
  const again = await openPanel(extension, page);
  await again.getByTestId('answer').locator('button.cite').click();
  await expect.poll(async () => (await highlighted(page))?.text ?? '').toContain('ministers from six countries signed');
  await stopWorker(extension, page);
  await again.close();
  await expect.poll(() => highlighted(page)).toBeUndefined();
});

/**
 * Stops the service worker, as Chrome does an idle one. Playwright keeps the same Worker, and the
 * next evaluate in it starts a fresh worker: the mark left here tells whether it did.
 */
async function stopWorker(extension: Extension, page: Page) {
  await (await extension.worker()).evaluate(() => ((globalThis as any).precisBeforeStop = true));
  const cdp = await extension.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  const stopped = new Promise<void>((resolve) =>
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.scriptURL.startsWith(`chrome-extension://${extension.id}/`) && v.runningStatus === 'stopped')) resolve();
    }),
  );
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();
}

pdfServer('a menu click on a stopped worker opens the side panel the options chose, inside the gesture', async ({ extension, mock, site }) => {
  const { page, panel } = await articleInSidePanel(extension, mock, site.url);
  const tabId = Number(await panel.locator('main.panel').getAttribute('data-tab'));
  const worker = await extension.worker();
  const ids = await worker.evaluate(async () => (await chrome.storage.session.get('precisTestMenuIds')).precisTestMenuIds as string[]);
  const tab = await worker.evaluate((id) => chrome.tabs.get(id), tabId);
  await stopWorker(extension, page);

  // Automation cannot click the menu, so something else starts the worker (the panel asks it a
  // question) and the click follows at once: the item Chrome kept says where it opens, whatever the
  // new worker has read by then (that it needs nothing read is tested on the core).
  void panel.evaluate(() => chrome.runtime.sendMessage({ type: 'settings.get' }));
  const click = await worker.evaluate(
    async ([id, clicked]) => {
      const fresh = !(globalThis as any).precisBeforeStop;
      return { fresh, outcome: await (globalThis as any).precisTest.onMenuClicked({ menuItemId: id }, clicked) };
    },
    [ids.find((id) => id.endsWith('summarise-page'))!, tab] as const,
  );
  expect(click).toMatchObject({ fresh: true, outcome: { ok: true } });
  expect(await panelOpens(extension)).toEqual([{ tabId, inGesture: true }]);
  await expect(panel.getByTestId('answer')).toHaveText('Summary of the trains article.');
  await expect(page.locator('precis-sidebar')).toHaveCount(0);
});

pdfServer('the browser keeps the choice: a blind try at the panel, as a shortcut on a stopped worker makes, shows it only when the side panel is chosen', async ({ extension, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const worker = await extension.worker();
  const tabId = await worker.evaluate(async (url) => (await chrome.tabs.query({ url }))[0].id as number, page.url());
  // A real click in an extension page stands in for the shortcut's gesture (automation has none in the worker).
  const tryPanel = async () => {
    const library = await extension.openExtensionPage('library.html');
    await page.bringToFront();
    await library.evaluate((id) => {
      const button = document.createElement('button');
      button.textContent = 'Try the panel';
      button.onclick = () => void chrome.sidePanel.open({ tabId: id }).then(() => (document.title = 'opened'), () => (document.title = 'refused'));
      document.body.prepend(button);
    }, tabId);
    await library.getByRole('button', { name: 'Try the panel' }).click();
    await expect(library).toHaveTitle(/opened|refused/);
    const outcome = await library.title();
    await library.close();
    return outcome;
  };
  const opened = () => worker.evaluate(() => (globalThis as any).precisTest.realPanelOpens.length as number);

  // The sidebar is chosen (the default): the panel is not on everywhere, and the try shows nothing.
  await expect.poll(() => worker.evaluate(async () => (await chrome.sidePanel.getOptions({})).enabled)).toBe(false);
  expect(await tryPanel()).toBe('refused');
  expect(await opened()).toBe(0);

  await extension.setPreferences({ summariseOpensIn: 'sidepanel' });
  await expect.poll(() => worker.evaluate(async () => (await chrome.sidePanel.getOptions({})).enabled)).toBe(true);
  expect(await tryPanel()).toBe('opened');
  await expect.poll(opened).toBe(1);
});

pdfServer('the popup opens the real side panel in its own click, also when the worker was stopped', async ({ extension, mock, site }) => {
  const { page, panel } = await articleInSidePanel(extension, mock, site.url);
  await stopWorker(extension, page);

  // The popup, opened without the worker (from the panel's page, an extension page), wakes it itself.
  await page.bringToFront();
  const [popup] = await Promise.all([
    extension.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/popup.html') }),
    panel.evaluate(() => chrome.windows.create({ url: chrome.runtime.getURL('popup.html'), type: 'popup' })),
  ]);
  // A real click: Chrome opens the real side panel only inside a real gesture.
  await popup.getByRole('button', { name: 'Summarise page' }).click();
  await expect(panel.getByTestId('answer')).toHaveText('Summary of the trains article.');
  await expect(page.locator('precis-sidebar')).toHaveCount(0);
  const worker = await extension.worker();
  await expect.poll(() => worker.evaluate(() => (globalThis as any).precisTest.realPanelOpens.length)).toBe(1);
});

/**
 * Sets "Allow access to file URLs" for Precis on chrome://extensions, as a user does. Chrome reloads
 * the extension for it, which Chromium 156 allows an unpacked extension only with Developer mode on
 * (the harness starts with it on, as any user of an unpacked build has it; off, Chrome disables the
 * extension: "unsupportedDeveloperExtension"). The new worker starts only on the next event: an extension page
 * asks it something until the worker that answers has the new setting. (An unpacked extension loaded
 * from the command line, as here, starts with file access on.)
 */
async function allowFileAccess(extension: Extension, allowed: boolean) {
  const page = await extension.context.newPage();
  await page.goto(`chrome://extensions/?id=${extension.id}`);
  const checked = (toggle: Locator) => toggle.evaluate((el) => (el as HTMLInputElement).checked);
  const toggle = page.locator('#allow-on-file-urls');
  if ((await checked(toggle)) !== allowed) {
    expect(await checked(page.locator('#devMode'))).toBe(true);
    await toggle.click();
    const view = await extension.context.newPage();
    const workerSetting = async () => {
      await view.goto(`chrome-extension://${extension.id}/options.html`);
      await view.evaluate(() => chrome.runtime.sendMessage({ type: 'prefs.get' }));
      return extension.context.serviceWorkers().at(-1)?.evaluate(() => chrome.extension.isAllowedFileSchemeAccess());
    };
    // A page or worker of the extension being reloaded can vanish under the call: asked again.
    await expect.poll(() => workerSetting().catch(() => undefined)).toBe(allowed);
    await view.close();
  }
  await page.close();
}

/** A generated PDF opened from a file:// address (the e2e build's file:/// host permission stands in for activeTab), the side panel beside it. */
async function openLocalPdf(extension: Extension, file: string) {
  await writeFile(file, await textPdf(2, { title: 'Local report' }));
  const local = await extension.context.newPage();
  await local.goto(pathToFileURL(file).href);
  const panel = await openPanel(extension, local);
  const tabId = Number(await panel.locator('main.panel').getAttribute('data-tab'));
  return { panel, tabId, click: () => extension.summariseFromMenu(local) };
}

pdfServer('the popup’s side panel button opens the real side panel on a web page while the sidebar is chosen', async ({ extension, site }) => {
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const worker = await extension.worker();
  await expect.poll(() => worker.evaluate(async () => (await chrome.sidePanel.getOptions({})).enabled)).toBe(false);
  await page.bringToFront();
  const popup = await extension.openPopupWindow();
  await popup.getByRole('button', { name: 'Open the side panel' }).click();
  await expect.poll(() => worker.evaluate(() => (globalThis as any).precisTest.realPanelOpens.length)).toBe(1);
});

pdfServer('with the sidebar chosen, the popup still opens the real side panel for a PDF, for its own tab', async ({ extension, mock, pdfs }) => {
  mock.set({ apiKey: key, reply: 'unused' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const scan = await extension.context.newPage();
  await scan.goto(`${pdfs.url}/scan.pdf`);
  const panel = await openPanel(extension, scan);
  const worker = await extension.worker();
  await expect.poll(() => worker.evaluate(async () => (await chrome.sidePanel.getOptions({})).enabled)).toBe(false);
  await scan.bringToFront();
  const popup = await extension.openPopupWindow();
  await popup.getByRole('button', { name: 'Summarise page' }).click();
  await expect(panel.getByRole('alert')).toContainText('This PDF has no text to read');
  await expect.poll(() => worker.evaluate(() => (globalThis as any).precisTest.realPanelOpens.length)).toBe(1);
});

for (const [locale, heading, help] of [
  ['en-US', 'Precis cannot open local files', 'Allow access to file URLs'],
  ['zh-CN', 'Precis 无法打开本地文件', '允许访问文件网址'],
] as const) {
  pdfServer.describe(`file:// in ${locale}`, () => {
    // Turning file access off is a chrome://extensions setting, which no reset undoes.
    pdfServer.use({ locale, freshBrowser: true });
    pdfServer(`a PDF opened from a file:// address, with file access off, says how to allow it (${locale})`, async ({ extension, mock }, testInfo) => {
      await allowFileAccess(extension, false);
      mock.set({ apiKey: key, reply: 'unused' });
      await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
      const { panel, tabId, click } = await openLocalPdf(extension, testInfo.outputPath('Local report.pdf'));
      await click();
      await expect(panel.getByRole('alert')).toContainText(heading);
      await expect(panel.getByRole('alert')).toContainText(help);
      expect(await panelOpens(extension)).toEqual([{ tabId, inGesture: true }]);
      expect(mock.completions()).toHaveLength(0);
    });
  });
}

pdfServer('a PDF opened from a file:// address is summarised while file access is on', async ({ extension, mock }, testInfo) => {
  await allowFileAccess(extension, true);
  mock.set({ apiKey: key, reply: 'The local report counts trains (p. 2).' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'mock-model', apiKey: key });
  const { panel, click } = await openLocalPdf(extension, testInfo.outputPath('Local report.pdf'));
  await click();
  await expect(panel.getByTestId('answer')).toHaveText('The local report counts trains (p. 2).');
  await expect(panel.locator('header .title')).toHaveText('Local report.pdf');
  expect(JSON.stringify(mock.completions()[0]!.body.messages)).toContain('[p. 2]\\nPage 2');
});

pdfServer('"Summarise a PDF file…" reads a local file picked in the side panel, for the tab it shows', async ({ extension, mock, site }, testInfo) => {
  mock.set({ apiKey: key, reply: 'The minutes record two decisions (p. 2).' });
  await extension.configure({ baseUrl: mock.baseUrl, model: 'gpt-4o-mini', apiKey: key });
  const page = await extension.context.newPage();
  await page.goto(`${site.url}/article.html`);
  const panel = await openPanel(extension, page);
  const file = testInfo.outputPath('Minutes 2026.pdf');
  await writeFile(file, await textPdf(2));
  await panel.getByLabel('Summarise a PDF file…').setInputFiles(file);
  await expect(panel.getByTestId('answer')).toHaveText('The minutes record two decisions (p. 2).');
  await expect(panel.locator('header .title')).toHaveText('Minutes 2026.pdf');
  expect(JSON.stringify(mock.completions()[0]!.body.messages)).toContain('[p. 2]');

  // No tab shows a picked file: its page opens from the panel that holds it, in a new tab.
  const cite = panel.getByTestId('answer').getByRole('button', { name: 'Open page 2 of the PDF' });
  await cite.hover();
  await expect(panel.getByTestId('cite-quote')).toContainText('Page 2: chapter 1 of the report');
  const [opened] = await Promise.all([extension.context.waitForEvent('page'), cite.click()]);
  await expect.poll(() => opened.url()).toMatch(/^blob:chrome-extension:\/\/[a-z]+\/[\w-]+#page=2$/);
  await expect.poll(() => viewerPage(opened), { timeout: 15_000 }).toBe('2');
  await opened.close();
  // A panel opened afresh has no access to the file: it says how to see the page, and opens nothing.
  await panel.reload();
  await expect(panel.getByTestId('answer')).toHaveText('The minutes record two decisions (p. 2).');
  await panel.getByTestId('answer').getByRole('button', { name: 'Open page 2 of the PDF' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'pick it again to see page 2' })).toBeVisible();
  expect(extension.context.pages().some((p) => p.url().startsWith('blob:'))).toBe(false);
  // The library names the file; a link to its blob: URL would lead nowhere once the panel is gone.
  await panel.close();
  const library = await extension.openExtensionPage('library.html');
  const entry = library.getByTestId('library-entry').filter({ hasText: 'Minutes 2026.pdf' });
  await expect(entry).toContainText('File on this computer');
  await entry.click();
  await expect(library.getByTestId('source-file')).toHaveText('From a file on this computer: Minutes 2026.pdf');
  await expect(library.getByTestId('library-reader')).toContainText('The minutes record two decisions');
  await expect(library.getByTestId('source-link')).toHaveCount(0);
  await expect(library.locator('a[href^="blob:"]')).toHaveCount(0);
  // Still no tab of the file, now that the library has loaded and rendered since that click.
  expect(extension.context.pages().some((p) => p.url().startsWith('blob:'))).toBe(false);
});

for (const [locale, suffix] of [
  ['en-US', ''],
  ['zh-CN', '-zh'],
] as const) {
  pdfServer.describe(`${locale} side panel`, () => {
    pdfServer.use({ locale });
    pdfServer(`side panel screenshots in ${locale}, light and dark`, async ({ extension, mock, pdfs }) => {
      pdfServer.skip(!hasCorpus, noCorpus);
      mock.set({
        apiKey: key,
        reply:
          locale === 'en-US'
            ? '**TL;DR** Trace trees make JavaScript loops fast (p. 1).\n\nKey points\n- Hot loops are recorded as typed traces (pp. 2–3).\n- Nested loops become trace trees (p. 4).\n- Speed-ups of up to 25× on SunSpider (p. 11).'
            : '**一句话总结** 踪迹树让 JavaScript 循环变快（第 1 页）。\n\n要点\n- 热循环被记录为带类型的踪迹（第 2–3 页）。\n- 嵌套循环组成踪迹树（第 4 页）。',
      });
      // A model with a large window reads the paper in one request.
      await extension.configure({ baseUrl: mock.baseUrl, model: 'gpt-4o-mini', apiKey: key });
      const pdf = await extension.context.newPage();
      await pdf.goto(`${pdfs.url}/tracemonkey.pdf`);
      const panel = await openPanel(extension, pdf);
      await panel.setViewportSize({ width: 400, height: 720 });
      await extension.summariseFromMenu(pdf);
      await expect(panel.locator('[data-status=done]')).toBeVisible({ timeout: 20_000 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await panel.emulateMedia({ colorScheme });
        await panel.screenshot({ path: `${outDir}/sidepanel${suffix}${colorScheme === 'dark' ? '-dark' : ''}.png` });
        await expectNoSeriousViolations(panel);
      }
    });
  });
}
