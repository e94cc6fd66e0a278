// "Summarise page" and its variants (selection, custom prompts): the one use case behind the
// context menu, the keyboard shortcut, the popup and the sidebar's Regenerate and Resume.
import { pageKey } from '../chat/conversation';
import { appErrors, describeError } from '../errors';
import type { PageContent } from '../extract/page-content';
import { languageCode } from '../extract/video/language';
import type { TokenCounter } from '../extract/tokens';
import { countWords } from '../extract/units';
import type { SummaryOrigin } from '../jobs/job-view';
import type { JobRecord, JobRunner, StartJob } from '../jobs/runner';
import { readablePage, runSummary, type ReadablePage } from '../jobs/summarise-plan';
import type { ProviderConfig } from '../llm/types';
import { summariseOffline } from '../offline';
import { withSelection, type Preferences } from '../preferences';
import type { PageAccess } from './page-access';
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
}

export interface SummariseOptions {
  regenerate?: boolean;
  origin?: SummaryOrigin;
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
      try {
        const found = await read(tab, opts.origin ?? {});
        // Where no content script may run, no sidebar can show the message either.
        if (!found) return { ok: false, ...describeError(appErrors.restrictedPage()) };
        // An empty page gets its message before any job or request exists.
        const job = deps.jobs().start(await jobFor(found.tab, readablePage(found.page, { cite: !!found.page.extraction }), opts));
        deps.keepAlive();
        await deps.pages.showSidebar(found.tab, { jobId: job.id });
        return { ok: true, jobId: job.id };
      } catch (err) {
        const error = describeError(err);
        if (tab) await deps.pages.showSidebar(tab, { error }).catch(() => {});
        return { ok: false, ...error };
      }
    },

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
      const found = await read(tab, origin);
      if (!found || (origin.selection && found.page.source !== 'selection')) return undefined;
      return jobFor(found.tab, readablePage(found.page, { cite: !!found.page.extraction }), { origin });
    },
  };
}
