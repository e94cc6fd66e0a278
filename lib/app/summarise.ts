// "Summarise page" and its variants (selection, custom prompts): the one use case behind the
// context menu, the keyboard shortcut, the popup and the sidebar's Regenerate and Resume.
import { pageKey } from '../chat/conversation';
import { appErrors, describeError } from '../errors';
import type { PageContent } from '../extract/page-content';
import { languageCode } from '../extract/video/language';
import { timedPassages } from '../extract/video/transcript';
import type { TokenCounter } from '../extract/tokens';
import { countWords } from '../extract/units';
import type { SummaryOrigin } from '../jobs/job-view';
import type { JobRecord, JobRunner, StartJob } from '../jobs/runner';
import { readablePage, runSummary, type ReadablePage } from '../jobs/summarise-plan';
import type { ProviderConfig } from '../llm/types';
import { summariseOffline } from '../offline';
import { withSelection, type Preferences } from '../preferences';
import { collectPdf, type PdfReader } from '../pdf/collect';
import { fileNameOf, isPdfUrl, pageOpenings, pdfPageContent } from '../pdf/document';
import type { PageAccess, SidebarContent } from './page-access';
import type { Surface } from './surface';
import type { OnDeviceModel, TabRef, Tabs } from './ports';
import type { SummariseOutcome } from './protocol';

export interface SummariseDeps {
  pages: PageAccess;
  tabs: Pick<Tabs, 'get'>;
  jobs: () => JobRunner;
  /** The provider, or undefined when none was ever saved (other failures, a locked key, throw). */
  provider(): Promise<ProviderConfig | undefined>;
  preferences(): Promise<Preferences>;
  onDevice: OnDeviceModel;
  loadCounter(): Promise<TokenCounter>;
  keepAlive(): void;
  /** Reads a PDF's text page by page (lib/pdf/collect.ts). */
  readPdf: PdfReader;
}

export interface SummariseOptions {
  regenerate?: boolean;
  origin?: SummaryOrigin;
  /** Where to show it; PDFs and pages without a content script always use the panel. Default: the sidebar. */
  surface?: Surface;
}

/** A PDF to summarise: the tab's own, or a file picked in the side panel (a blob: URL of ours). */
export interface PdfTarget {
  url: string;
  /** Shown as the title until the summary is done (a picked file's name). */
  name?: string;
  /** A file picked on this computer, not an address: the library names it rather than linking it. */
  file?: boolean;
}

/** The template for this run: a custom prompt's, the user's own summary template, or the built-in one. */
export function templateFor(origin: SummaryOrigin, prefs: Preferences, page: PageContent): string | undefined {
  if (!origin.promptId) return prefs.summaryTemplate || undefined;
  const prompt = prefs.customPrompts.find((p) => p.id === origin.promptId);
  if (!prompt) throw appErrors.unknownPrompt();
  // A prompt written for a selection still works on a whole page: the page stands in for it.
  if (page.source !== 'selection') return prompt.template.replaceAll('{{selection}}', '{{page}}');
  return withSelection(prompt.template, page.text);
}

export function createSummarise(deps: SummariseDeps) {
  /**
   * The job that summarises `page` in tab `tabId`. With no provider yet, a first click still gets a
   * useful summary, made here from the page's most central sentences (or by the browser's own model
   * when it is already downloaded, Chrome 138+), and the sidebar says plainly what it is.
   */
  async function jobFor(tab: TabRef & { id: number }, page: ReadablePage, opts: SummariseOptions): Promise<StartJob> {
    const origin = opts.origin ?? {};
    const read = countWords(page.text);
    const base = {
      kind: 'summary' as const,
      ...(page.source === 'video' && { video: true }),
      ...(page.source === 'video' && page.video && { videoRef: { id: page.video.id, seconds: page.video.seconds }, videoPassages: timedPassages(page.text) }),
      title: page.title || page.url,
      ...(page.title && page.dir ? { titleDir: page.dir } : {}),
      origin,
      source: { kind: 'page' as const, tabId: tab.id, url: tab.url ?? page.url },
      coverage: { read, total: Math.max(read, page.totalWords ?? read) },
    };
    // The page reader numbers the same text the same way, and keeps its unit map under this key.
    const citations = page.units && page.extraction ? { citations: { key: page.extraction, units: page.units } } : {};
    const [provider, prefs] = await Promise.all([deps.provider(), deps.preferences()]);
    if (!provider) {
      const onDevice = await deps.onDevice.ready(tab.id);
      // The browser's model is not asked to cite; the offline summary cites the sentences it picked.
      return onDevice
        ? { ...base, offline: 'on-device', run: (io) => deps.onDevice.run(tab.id, io) }
        : { ...base, ...citations, offline: 'extractive', run: async (io) => io.onDelta(summariseOffline(page, { cite: !!page.units }).markdown) };
    }
    const template = templateFor(origin, prefs, page);
    return {
      ...base,
      ...citations,
      regenerate: opts.regenerate,
      run: (io) =>
        runSummary(page, {
          ...io,
          model: provider.model,
          loadCounter: deps.loadCounter,
          ...(template && { template }),
          ...(prefs.outputLanguage && { language: prefs.outputLanguage }),
        }),
    };
  }

  /**
   * The job that reads the PDF at `target.url` (progress "page n of N"), then summarises its pages
   * with page citations, in one request or by map-reduce. Errors of the file itself (scanned,
   * protected, damaged, not a PDF) end the job with their message.
   */
  async function pdfJobFor(tab: TabRef & { id: number }, target: PdfTarget, opts: SummariseOptions): Promise<StartJob> {
    const origin = opts.origin ?? {};
    const [provider, prefs] = await Promise.all([deps.provider(), deps.preferences()]);
    return {
      kind: 'summary',
      title: target.name ?? fileNameOf(target.url),
      origin,
      regenerate: opts.regenerate,
      source: { kind: 'page', tabId: tab.id, url: target.url, format: 'pdf', ...(target.file && { file: target.name ?? fileNameOf(target.url) }) },
      run: async (io) => {
        const doc = await collectPdf(deps.readPdf, target.url, { signal: io.signal, onProgress: (done, total) => io.onProgress({ phase: 'read', done, total }) });
        const page = readablePage(pdfPageContent(doc));
        // A file picked in the side panel is in no tab: only that panel can open it again.
        const picked = target.url.startsWith('blob:') ? { picked: target.url } : {};
        io.describe({ pdf: { pages: doc.pages.length, ...picked }, pageOpenings: pageOpenings(doc.pages) });
        if (!provider) return io.onDelta(summariseOffline(page).markdown);
        const template = templateFor(origin, prefs, page);
        return runSummary(page, {
          ...io,
          model: provider.model,
          loadCounter: deps.loadCounter,
          ...(template && { template }),
          ...(prefs.outputLanguage && { language: prefs.outputLanguage }),
        });
      },
    };
  }

  async function show(tab: TabRef & { id: number }, content: SidebarContent, surface: Surface) {
    if (surface === 'panel') await deps.pages.showInPanel(tab, content);
    else await deps.pages.showSidebar(tab, content);
  }

  async function startPdf(tab: TabRef & { id: number }, target: PdfTarget, opts: SummariseOptions): Promise<SummariseOutcome> {
    try {
      const job = deps.jobs().start(await pdfJobFor(tab, target, opts));
      deps.keepAlive();
      await show(tab, { jobId: job.id }, 'panel');
      return { ok: true, jobId: job.id };
    } catch (err) {
      const error = describeError(err);
      await show(tab, { error }, 'panel').catch(() => {});
      return { ok: false, ...error };
    }
  }

  /** Reads the page in `tab` for a summary; undefined where the browser keeps us out. */
  async function read(tab: TabRef | undefined, origin: SummaryOrigin) {
    // A video's captions in the language the summary is to be written in, when it has them.
    const language = languageCode((await deps.preferences()).outputLanguage);
    const video = { ...(origin.videoDescription && { videoDescription: true }), ...(language && { languages: [language] }) };
    const page = await deps.pages.read(tab, !!origin.selection || !!origin.promptId, video);
    return page && tab?.id !== undefined ? { tab: { ...tab, id: tab.id }, page } : undefined;
  }

  return {
    async summariseTab(tab: TabRef | undefined, opts: SummariseOptions = {}): Promise<SummariseOutcome> {
      const surface = opts.surface ?? 'sidebar';
      const tabWithId = tab?.id !== undefined ? { ...tab, id: tab.id } : undefined;
      if (tabWithId && isPdfUrl(tab?.url)) return startPdf(tabWithId, { url: tabWithId.url! }, opts);
      try {
        const found = await read(tab, opts.origin ?? {});
        // Where no content script may run, only the side panel can show the message.
        if (!found) {
          const error = describeError(appErrors.restrictedPage());
          if (tabWithId) await deps.pages.showInPanel(tabWithId, { error });
          return { ok: false, ...error };
        }
        // A PDF whose address does not say so: the viewer let the reader in, but the file is what to read.
        if (found.page.pdf) return startPdf(found.tab, { url: found.tab.url ?? found.page.url }, opts);
        // An empty page gets its message before any job or request exists.
        const job = deps.jobs().start(await jobFor(found.tab, readablePage(found.page, { cite: !!found.page.extraction }), opts));
        deps.keepAlive();
        await show(found.tab, { jobId: job.id }, surface);
        return { ok: true, jobId: job.id };
      } catch (err) {
        const error = describeError(err);
        if (tabWithId) await show(tabWithId, { error }, surface).catch(() => {});
        return { ok: false, ...error };
      }
    },

    /** A PDF file the user picked in the side panel of `tab`, shown there. */
    summarisePdfFile: (tab: TabRef & { id: number }, target: Omit<PdfTarget, 'file'>, opts: SummariseOptions = {}) => startPdf(tab, { ...target, file: true }, opts),

    /**
     * The same summary again, for a job a dead worker left unfinished: only while its tab still
     * shows the same page (and the selection, if it was of one, is still there), and never for the
     * browser's own model, whose stream from the page is gone with the worker.
     */
    async again(record: JobRecord): Promise<StartJob | undefined> {
      const source = record.source;
      if (source?.kind !== 'page' || record.offline === 'on-device') return undefined;
      const tab = await deps.tabs.get(source.tabId);
      if (!tab?.url || pageKey(tab.url) !== pageKey(source.url)) return undefined;
      const origin = record.origin ?? {};
      if (source.format === 'pdf') return pdfJobFor({ ...tab, id: source.tabId }, { url: source.url, name: record.title, ...(source.file && { file: true }) }, { origin });
      const found = await read(tab, origin);
      if (!found || (origin.selection && found.page.source !== 'selection')) return undefined;
      return jobFor(found.tab, readablePage(found.page, { cite: !!found.page.extraction }), { origin });
    },
  };
}
