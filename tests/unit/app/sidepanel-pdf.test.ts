// The side panel and PDFs through the core: which surface a summary goes to, the panel opened
// inside the gesture, what the panel shows per tab, and a PDF read page by page (pdf.js in Node
// stands in for the offscreen document) and summarised with page citations.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PdfReader } from '../../../lib/pdf/collect';
import { servePdf } from '../../../lib/pdf/serve';
import { chineseFact, chinesePdf, hasCjkFont, scannedPdf, textPdf } from '../../support/pdfs';
import { loadPdfJs } from '../../support/pdfjs-node';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';
import { follow, saveProviderAt, setUpCore } from './core-harness';
import { article, pageSender, self, tab } from './fake-platform';
import { createPrecis } from '../../../lib/app/core';
import { menuOpensIn, originOfMenuItem } from '../../../lib/app/menus';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ reply: 'A summary of the report (p. 2).' });
});
afterAll(() => mock.close());
afterEach(() => mock.reset());

/** The offscreen document's part, in this process: files served by address. */
function readerOf(files: Record<string, Uint8Array>): PdfReader {
  return async (url, onMessage) => {
    const controller = new AbortController();
    const file = files[url];
    const fetchFile = (async () => (file ? new Response(file as BodyInit, { headers: { 'content-type': 'application/pdf' } }) : new Response('no', { status: 404 }))) as typeof fetch;
    void servePdf(url, onMessage, { pdfjs: await loadPdfJs(), fetch: fetchFile }, controller.signal);
    return () => controller.abort();
  };
}

async function setUp(files: Record<string, Uint8Array>, tabs = [tab(1, 'https://papers.example/report.pdf'), tab(2, 'https://news.example/trains', article('Night trains are back in Europe.'))]) {
  const core = setUpCore(tabs);
  const opened: number[] = [];
  core.env.platform.readPdf = readerOf(files);
  core.env.platform.openPanel = (tabId) => void opened.push(tabId);
  await saveProviderAt(core.value, mock.baseUrl);
  return { ...core, opened };
}

describe('a PDF in a tab', () => {
  it('opens the side panel inside the gesture, and summarises the pages there with their numbers', async () => {
    const { precis, value, opened, tabs } = await setUp({ 'https://papers.example/report.pdf': await textPdf(3, { title: 'Rail survey' }) });
    const outcome = precis.onMenuClicked('summarise-page', { id: 1, url: tabs[0]!.url });
    // Before anything was awaited: the browser allows the side panel only within the click.
    expect(opened).toEqual([1]);
    const { jobId } = (await outcome) as { jobId: string };
    expect(await value({ type: 'panel.content', tabId: 1 })).toEqual({ jobId });
    expect(tabs[0]!.sidebarShown).toBe(0);
    const job = await follow(precis, jobId);
    expect(job).toMatchObject({ status: 'done', title: 'report.pdf', text: 'A summary of the report (p. 2).', progress: { phase: 'read', done: 3, total: 3 } });
    const [request] = mock.completions();
    const prompt = JSON.stringify(request!.body.messages);
    expect(prompt).toContain('[p. 1]\\nPage 1: chapter 1');
    expect(prompt).toContain('[p. 3]');
    expect(prompt).toContain('Rail survey');
    expect(prompt).not.toContain('papers.example');
  });

  it('is a cache hit from another address when the file is the same', async () => {
    const bytes = await textPdf(2);
    const { precis, value } = await setUp({ 'https://a.example/x.pdf': bytes, 'https://b.example/y.pdf': bytes }, [tab(1, 'https://a.example/x.pdf'), tab(2, 'https://b.example/y.pdf')]);
    const first = (await precis.onMenuClicked('summarise-page', { id: 1, url: 'https://a.example/x.pdf' })) as { jobId: string };
    await follow(precis, first.jobId);
    const second = (await precis.onMenuClicked('summarise-page', { id: 2, url: 'https://b.example/y.pdf' })) as { jobId: string };
    expect(await follow(precis, second.jobId)).toMatchObject({ status: 'done', cachedAt: expect.any(Number) });
    expect(mock.completions()).toHaveLength(1);
    expect(await value({ type: 'panel.content', tabId: 2 })).toEqual({ jobId: second.jobId });
  });

  it('ends with the file’s own message, in the panel, without a request', async () => {
    const { precis } = await setUp({ 'https://papers.example/report.pdf': await scannedPdf(2) });
    const { jobId } = (await precis.onMenuClicked('summarise-page', { id: 1, url: 'https://papers.example/report.pdf' })) as { jobId: string };
    const j = await follow(precis, jobId);
    expect(j).toMatchObject({ status: 'error', error: { kind: 'pdf_scanned' } });
    expect(mock.completions()).toHaveLength(0);
  });
  it.skipIf(!hasCjkFont)('summarises a PDF in Chinese from its Chinese text, page numbers and title kept', async () => {
    const { precis } = await setUp({ 'https://papers.example/report.pdf': await chinesePdf(2, { title: '铁路调查报告', linesPerPage: 4 }) });
    const { jobId } = (await precis.onMenuClicked('summarise-page', { id: 1, url: 'https://papers.example/report.pdf' })) as { jobId: string };
    expect(await follow(precis, jobId)).toMatchObject({ status: 'done', progress: { phase: 'read', done: 2, total: 2 } });
    const prompt = mock.completions()[0]!.body.messages.map((m: { content: string }) => m.content).join('\n');
    expect(prompt).toContain(`[p. 2]\n第2页`);
    expect(prompt).toContain(chineseFact(2, 4));
    expect(prompt).toContain('铁路调查报告');
  });
});

describe('the side panel', () => {
  it('gets web pages only when the options say so; otherwise the page keeps its sidebar', async () => {
    const { precis, value, opened, tabs } = await setUp({});
    await precis.onMenuClicked('summarise-page', { id: 2, url: tabs[1]!.url });
    expect(opened).toEqual([]);
    expect(tabs[1]!.sidebarShown).toBe(1);
    await value({ type: 'prefs.save', patch: { summariseOpensIn: 'sidepanel' } });
    // The background learns of the change from storage, as the browser tells it.
    await precis.onLocalStorageChanged({ preferences: { newValue: { summariseOpensIn: 'sidepanel' } } });
    const outcome = precis.onCommand('summarise-page', { id: 2, url: tabs[1]!.url });
    expect(opened).toEqual([2]);
    const { jobId } = (await outcome) as { jobId: string };
    expect(tabs[1]!.sidebarShown).toBe(1);
    expect(await value({ type: 'panel.content', tabId: 2 })).toEqual({ jobId });
    // Another tab shows its own content: nothing yet.
    expect(await value({ type: 'panel.content', tabId: 1 })).toBeUndefined();
  });

  it('opens from a menu click that wakes the worker, before the preferences are read, once the menu was built for the panel', async () => {
    const { precis, value, env, tabs } = await setUp({});
    await value({ type: 'prefs.save', patch: { summariseOpensIn: 'sidepanel' } });
    // The running worker learns of the change and rebuilds the menu with ids that carry it.
    await precis.onLocalStorageChanged({ preferences: { newValue: { summariseOpensIn: 'sidepanel' } } });
    const pageItem = env.menus.at(-1)!.find((item) => JSON.stringify(originOfMenuItem(item.id)) === '{}')!;
    expect(menuOpensIn(pageItem.id)).toBe('sidepanel');

    // A worker that starts for the click: a fresh core, its handler called at once, as Chrome does.
    const opened: number[] = [];
    env.platform.openPanel = (tabId) => void opened.push(tabId);
    const cold = createPrecis(env.platform, self);
    const outcome = cold.onMenuClicked(pageItem.id, { id: 2, url: tabs[1]!.url });
    expect(opened).toEqual([2]);
    const { jobId } = (await outcome) as { jobId: string };
    expect(tabs[1]!.sidebarShown).toBe(0);
    expect(await cold.handleMessage({ type: 'panel.content', tabId: 2 }, pageSender)).toEqual({ ok: true, value: { jobId } });
  });

  it('keeps a change of surface when the worker’s first read of the preferences answers after it', async () => {
    const { env, tabs } = await setUp({});
    // storage.managed answers seconds after a worker starts: the first read is still out when the user changes the option.
    const waiting: Array<() => void> = [];
    let answered = false;
    env.platform.managed = () => (answered ? Promise.resolve({}) : new Promise((resolve) => waiting.push(() => resolve({}))));
    const opened: number[] = [];
    env.platform.openPanel = (tabId) => void opened.push(tabId);
    const precis = createPrecis(env.platform, self);
    await env.platform.local.set('preferences', { summariseOpensIn: 'sidepanel' });
    const changed = precis.onLocalStorageChanged({ preferences: { newValue: { summariseOpensIn: 'sidepanel' } } });
    answered = true;
    // The later reads may well be answered first (from the policy last read): the oldest comes last.
    for (const answer of waiting.reverse()) answer();
    await changed;
    void precis.onCommand('summarise-page', { id: 2, url: tabs[1]!.url });
    expect(opened).toEqual([2]);
  });

  it.each(['sidepanel', 'sidebar'] as const)('a shortcut that wakes the worker (%s chosen) tries the panel at once, and the summary goes where the choice says', async (choice) => {
    const { env, tabs } = await setUp({});
    await env.platform.local.set('preferences', { summariseOpensIn: choice });
    const opens: unknown[] = [];
    env.platform.openPanel = (tabId, opts) => void opens.push({ tabId, ...opts });
    // Chrome hands a command nothing of ours: the worker cannot know the choice in the gesture, so it
    // tries the panel blind; the browser shows it only where the panel is on everywhere (chosen).
    const cold = createPrecis(env.platform, self);
    const outcome = cold.onCommand('summarise-page', { id: 2, url: tabs[1]!.url });
    expect(opens).toEqual([{ tabId: 2, ifChosen: true }]);
    expect(await outcome).toMatchObject({ ok: true });
    expect(tabs[1]!.sidebarShown).toBe(choice === 'sidebar' ? 1 : 0);
  });

  it('keeps the choice in the browser: the panel is on everywhere only while the side panel is chosen', async () => {
    const { env, tabs } = await setUp({}, [tab(1, 'https://papers.example/report.pdf'), tab(2, 'https://news.example/trains', article('Night trains are back in Europe.'))]);
    const everywhere: boolean[] = [];
    const opens: unknown[] = [];
    env.platform.setPanelEverywhere = (on) => void everywhere.push(on);
    env.platform.openPanel = (tabId, opts) => void opens.push({ tabId, ...opts });
    const precis = createPrecis(env.platform, self);
    await vi.waitFor(() => expect(everywhere).toEqual([false]));
    // With the sidebar chosen, a PDF gets the panel for its own tab; a web page gets no blind try once the choice is known.
    await precis.onCommand('summarise-page', { id: 1, url: tabs[0]!.url });
    await precis.onCommand('summarise-page', { id: 2, url: tabs[1]!.url });
    expect(opens).toEqual([{ tabId: 1, thisTab: true }]);
    await env.platform.local.set('preferences', { summariseOpensIn: 'sidepanel' });
    await precis.onLocalStorageChanged({ preferences: { newValue: { summariseOpensIn: 'sidepanel' }, oldValue: {} } });
    await vi.waitFor(() => expect(everywhere).toEqual([false, true]));
    await precis.onCommand('summarise-page', { id: 2, url: tabs[1]!.url });
    expect(opens).toEqual([{ tabId: 1, thisTab: true }, { tabId: 2 }]);
  });

  it('shows why a built-in page cannot be read', async () => {
    const { precis, value, opened } = await setUp({}, [tab(5, 'chrome://settings/')]);
    expect(await precis.onMenuClicked('summarise-page', { id: 5, url: 'chrome://settings/' })).toMatchObject({ ok: false, kind: 'restricted_page' });
    expect(opened).toEqual([5]);
    expect(await value({ type: 'panel.content', tabId: 5 })).toMatchObject({ error: { kind: 'restricted_page' } });
  });

  it('summarises a picked file only from a blob: URL of our own', async () => {
    const { precis, ask } = await setUp({ [`blob:${self.pagesOrigin}file-1`]: await textPdf(2) });
    expect(await ask({ type: 'summarise.pdfFile', tabId: 2, url: 'blob:https://evil.example/1', name: 'x.pdf' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    const reply = await ask({ type: 'summarise.pdfFile', tabId: 2, url: `blob:${self.pagesOrigin}file-1`, name: 'Minutes.pdf' });
    const { jobId } = (reply as { ok: true; value: { jobId: string } }).value;
    expect(await follow(precis, jobId)).toMatchObject({ status: 'done', title: 'Minutes.pdf' });
    // In the library it is the file by its name: its blob: URL died with the panel, so no link to it.
    const [entry] = ((await ask({ type: 'library.list' })) as { ok: true; value: { entries: Array<Record<string, unknown>> } }).value.entries;
    expect(entry).toMatchObject({ title: 'Minutes.pdf', file: 'Minutes.pdf' });
    expect(entry).not.toHaveProperty('url');
    expect(entry).not.toHaveProperty('site');
  });
});

describe('follow-ups in the side panel', () => {
  it('start from a PDF summary for the tab the panel names, without trying to attach the PDF as a page', async () => {
    const { precis, value } = await setUp({ 'https://papers.example/report.pdf': await textPdf(2) });
    const { jobId } = (await precis.onMenuClicked('summarise-page', { id: 1, url: 'https://papers.example/report.pdf' })) as { jobId: string };
    await follow(precis, jobId);
    mock.set({ reply: 'On page 2.' });
    const started = await value<{ conversationId: string; jobId: string }>({ type: 'chat.send', text: 'Where are the totals?', attachPage: true, afterSummaryJobId: jobId, tabId: 1 });
    expect(await follow(precis, started.jobId)).toMatchObject({ status: 'done', text: 'On page 2.' });
    // The thread is the PDF's page thread: it comes back for that tab.
    expect(await value({ type: 'chat.forPage', tabId: 1 })).toMatchObject({ id: started.conversationId });
    expect(JSON.stringify(mock.completions().at(-1)!.body.messages)).toContain('A summary of the report (p. 2).');
  });
});

describe('a PDF job after the worker died, and again from the panel', () => {
  it('is read again in place while the tab still shows the PDF; a picked file (gone with its URL) is left interrupted', async () => {
    const { precis, env } = await setUp({ 'https://papers.example/report.pdf': await textPdf(2) });
    const base = { kind: 'summary' as const, title: 'report.pdf', status: 'running' as const, text: 'A sum', createdAt: 1, statusSince: 1, updatedAt: 1, requestHashes: [] };
    await env.platform.db.jobs.put({ ...base, id: 'cut', source: { kind: 'page', tabId: 1, url: 'https://papers.example/report.pdf', format: 'pdf' } });
    await env.platform.db.jobs.put({ ...base, id: 'picked', source: { kind: 'page', tabId: 2, url: `blob:${self.pagesOrigin}gone`, format: 'pdf' } });
    await precis.recover();
    expect(await follow(precis, 'cut')).toMatchObject({ status: 'done', text: 'A summary of the report (p. 2).', run: 1 });
    expect(await follow(precis, 'picked')).toMatchObject({ status: 'interrupted', text: 'A sum' });
  });

  it('Regenerate in the panel reads the tab’s PDF again, past the cache', async () => {
    const { precis, value } = await setUp({ 'https://papers.example/report.pdf': await textPdf(2) });
    const first = (await precis.onMenuClicked('summarise-page', { id: 1, url: 'https://papers.example/report.pdf' })) as { jobId: string };
    await follow(precis, first.jobId);
    const again = await value<{ ok: true; jobId: string }>({ type: 'summarise.thisTab', regenerate: true, tabId: 1 });
    expect(await follow(precis, again.jobId)).toMatchObject({ status: 'done', text: 'A summary of the report (p. 2).' });
    expect(again.jobId).not.toBe(first.jobId);
    expect(mock.completions()).toHaveLength(2);
    expect(await value({ type: 'panel.content', tabId: 1 })).toEqual({ jobId: again.jobId });
  });
});

describe('page citations of a PDF summary', () => {
  it('open the page in the tab that shows the PDF, and quote the page’s opening; pages the PDF lacks, or a tab gone elsewhere, get nothing', async () => {
    const { precis, value, tabs } = await setUp({ 'https://papers.example/report.pdf': await textPdf(3) });
    const { jobId } = (await precis.onMenuClicked('summarise-page', { id: 1, url: tabs[0]!.url })) as { jobId: string };
    expect(await follow(precis, jobId)).toMatchObject({ status: 'done', pdf: { pages: 3 } });
    expect(await value({ type: 'pdf.quote', jobId, page: 2 })).toMatch(/^Page 2: .{100,}…$/);
    expect(await value({ type: 'pdf.quote', jobId, page: 4 })).toBeUndefined();

    expect(await value({ type: 'pdf.open', jobId, page: 2, tabId: 1 })).toBe(true);
    expect(tabs[0]!.url).toBe('https://papers.example/report.pdf#page=2');
    // The same file at another page is the same document: the panel still shows its summary.
    expect(await value({ type: 'panel.content', tabId: 1 })).toEqual({ jobId });
    // Again from there: the address's own fragment is not kept.
    expect(await value({ type: 'pdf.open', jobId, page: 3, tabId: 1 })).toBe(true);
    expect(tabs[0]!.url).toBe('https://papers.example/report.pdf#page=3');
    expect(await value({ type: 'pdf.open', jobId, page: 4, tabId: 1 })).toBe(false);
    // Another tab, or the same tab on another page, is not navigated.
    expect(await value({ type: 'pdf.open', jobId, page: 1, tabId: 2 })).toBe(false);
    tabs[0]!.url = 'https://news.example/elsewhere';
    expect(await value({ type: 'pdf.open', jobId, page: 1, tabId: 1 })).toBe(false);
    expect(tabs[0]!.url).toBe('https://news.example/elsewhere');
  });

  it('of a picked file are left to the panel that picked it (no tab shows it); its pages still quote', async () => {
    const url = `blob:${self.pagesOrigin}file-2`;
    const { precis, value, tabs } = await setUp({ [url]: await textPdf(2) });
    const { jobId } = await value<{ ok: true; jobId: string }>({ type: 'summarise.pdfFile', tabId: 2, url, name: 'Minutes.pdf' });
    expect(await follow(precis, jobId)).toMatchObject({ status: 'done', pdf: { pages: 2, picked: url } });
    expect(await value({ type: 'pdf.open', jobId, page: 1, tabId: 2 })).toBe(false);
    expect(tabs[1]!.url).toBe('https://news.example/trains');
    expect(await value({ type: 'pdf.quote', jobId, page: 1 })).toMatch(/^Page 1: /);
  });
});
