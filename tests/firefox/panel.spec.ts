// Firefox's side panel (`sidebar_action`) and its PDF viewer (pdf.js, where no content script runs).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { textPdf } from '../support/pdfs';
import { startStaticServer } from '../support/static-server';
import type { MockLlm } from '../support/mock-llm';
import { expect, test, waitFor, type Firefox } from './fixtures';

const settings = (baseUrl: string) => ({ baseUrl, model: 'mock-model', apiKey: 'sk-test-firefox-panel' });

/** What the side panel shows: the tab it follows, its status line and its answer. */
const panelState = (doc: Document) => ({
  tab: doc.querySelector('main.panel')?.getAttribute('data-tab') ?? '',
  text: (doc.body as HTMLElement).innerText,
  answer: doc.querySelector('[data-testid=answer]')?.textContent?.trim() ?? '',
  done: !!doc.querySelector('[data-status=done]'),
});

/** A provider that answers "Night trains are back.", the side panel chosen, and the article open. */
async function articleWithPanelChosen(firefox: Firefox, mock: MockLlm, siteUrl: string) {
  mock.set({ reply: 'Night trains are back.' });
  await firefox.configure(settings(mock.baseUrl));
  await firefox.background((_precis, browser) => browser.runtime.sendMessage({ type: 'prefs.save', patch: { summariseOpensIn: 'sidepanel' } }));
  const url = `${siteUrl}/article.html`;
  return { url, tab: await firefox.openTab(url) };
}

/** The side panel once it shows a finished summary. */
const summaryInPanel = (firefox: Firefox) =>
  waitFor(async () => {
    const state = await firefox.inSidePanel(panelState);
    return state?.done ? state : undefined;
  }, 'the summary in the side panel');

const pdfTest = test.extend<object, { pdfs: { url: string; close(): Promise<void> } }>({
  pdfs: [
    async ({}, use) => {
      const server = await startStaticServer('tests/e2e/pages', { '/report.pdf': await textPdf(3, { title: 'Rail survey 2026' }) });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
});

test('with the side panel chosen, "Summarise page" shows the summary there, and the panel follows the active tab', async ({ firefox, mock, site }) => {
  const m = firefox.marionette;
  const { url, tab: article } = await articleWithPanelChosen(firefox, mock, site.url);

  // The click opens the panel itself, inside its gesture.
  await firefox.menu(url);
  const summarised = await summaryInPanel(firefox);
  expect(summarised.answer).toBe('Night trains are back.');
  // Into the panel, not the page.
  expect(await m.execute(() => document.querySelector('precis-sidebar'))).toBeNull();

  // Another tab: the panel shows that tab (nothing yet); back again, the summary is there again.
  await firefox.openTab(`${site.url}/zh-article.html`);
  await waitFor(async () => {
    const state = await firefox.inSidePanel(panelState);
    return state && state.tab !== summarised.tab && state.text.includes('Nothing summarised in this tab yet');
  }, 'the panel to follow the other tab');
  await firefox.use(article, { select: true });
  await waitFor(async () => (await firefox.inSidePanel(panelState))?.answer === 'Night trains are back.', 'the panel to follow back');
  expect(mock.completions()).toHaveLength(1);
});

pdfTest('a PDF open in Firefox’s viewer is read with its page numbers and summarised into the side panel, citing its pages, which open in the viewer', async ({ firefox, mock, pdfs }) => {
  const m = firefox.marionette;
  mock.set({ reply: ({ messages }) => `The survey counts trains (p. ${/\[p\. (\d+)/.exec(messages.at(-1)!.content)?.[1] ?? '?'}); week 3 closes it (p. 3).`, tokenDelayMs: 20 });
  await firefox.configure(settings(mock.baseUrl));
  const url = `${pdfs.url}/report.pdf`;
  await firefox.openTab(url);
  // Firefox shows the PDF in its own viewer, at the PDF's address.
  await waitFor(async () => (await m.url()) === url && (await m.execute(() => document.readyState === 'complete')), 'the PDF viewer');
  // No content script runs in the viewer: the click opens the side panel, inside its gesture.
  await firefox.menu(url);
  const done = await waitFor(async () => {
    const state = await firefox.inSidePanel(panelState);
    return state?.done ? state : undefined;
  }, 'the PDF summary', 30_000);
  expect(done.answer).toBe('The survey counts trains (p. 1); week 3 closes it (p. 3).');
  const prompt = mock.completions()[0]!.body.messages.at(-1).content as string;
  // Every page's own text, marked with its number.
  for (const n of [1, 2, 3]) expect(prompt).toContain(`[p. ${n}]`);
  expect(prompt).toContain('Fact 3.30');

  // A page citation opens that page in Firefox's viewer.
  await firefox.inSidePanel((doc) => (doc.querySelector('button.page[data-page="3"]') as HTMLButtonElement).click());
  await waitFor(async () => (await m.url()).endsWith('#page=3') && (await m.execute(() => (document.querySelector('#pageNumber') as HTMLInputElement | null)?.value)) === '3', 'the viewer at page 3');
});

test('a PDF opened from this computer gets Firefox’s own advice: choose the file instead', async ({ firefox, mock }) => {
  const m = firefox.marionette;
  await firefox.configure(settings(mock.baseUrl));
  const file = join(await mkdtemp(join(tmpdir(), 'precis-pdf-')), 'local report.pdf');
  await writeFile(file, await textPdf(2));
  const url = pathToFileURL(file).href;
  await firefox.openTab(url);
  await waitFor(async () => (await m.url()) === url, 'the local PDF in the viewer');

  await firefox.menu(url);
  const alert = await waitFor(() => firefox.inSidePanel((doc) => doc.querySelector('[role=alert]')?.textContent ?? ''), 'the message in the side panel');
  expect(alert).toContain('Firefox does not let extensions read files on this computer');
  expect(alert).not.toContain('chrome://extensions');
  expect(mock.completions()).toHaveLength(0);
});

test('with the side panel chosen, the shortcut on a stopped event page opens the side panel, not the in-page sidebar', async ({ firefox, mock, site }) => {
  const m = firefox.marionette;
  await articleWithPanelChosen(firefox, mock, site.url);
  // Firefox stops an idle event page; the keystroke wakes it, and it has read nothing yet.
  await firefox.stopBackground();
  await firefox.shortcut();

  const summarised = await summaryInPanel(firefox);
  expect(summarised.answer).toBe('Night trains are back.');
  expect(await m.execute(() => document.querySelector('precis-sidebar'))).toBeNull();
});
