// "Summarise page" and its variants (selection, custom prompts): the one use case behind the
// context menu, the keyboard shortcut, the popup and the sidebar's Regenerate and Resume.
import { appErrors, describeError } from '../errors';
import type { PageContent } from '../extract/page-content';
import type { TokenCounter } from '../extract/tokens';
import type { SummaryOrigin } from '../jobs/job-view';
import type { JobRunner } from '../jobs/runner';
import { readablePage, runSummary, type ReadablePage } from '../jobs/summarise-plan';
import type { ProviderConfig } from '../llm/types';
import { summariseOffline } from '../offline';
import { withSelection, type Preferences } from '../preferences';
import type { PageAccess } from './page-access';
import type { OnDeviceModel, TabRef } from './ports';
import type { SummariseOutcome } from './protocol';

export interface SummariseDeps {
  pages: PageAccess;
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
   * No provider yet: a first click still gets a useful summary, made here from the page's most
   * central sentences (or by the browser's own model when it is already downloaded, Chrome 138+),
   * and the sidebar says plainly what it is and how to get a real one.
   */
  async function startOffline(tabId: number, page: ReadablePage, origin: SummaryOrigin) {
    const onDevice = await deps.onDevice.ready(tabId);
    return deps.jobs().start({
      kind: 'summary',
      title: page.title || page.url,
      origin,
      offline: onDevice ? 'on-device' : 'extractive',
      run: async (io) => (onDevice ? deps.onDevice.run(tabId, io) : io.onDelta(summariseOffline(page).markdown)),
    });
  }

  async function start(tabId: number, page: ReadablePage, opts: SummariseOptions) {
    const origin = opts.origin ?? {};
    const [provider, prefs] = await Promise.all([deps.provider(), deps.preferences()]);
    if (!provider) return startOffline(tabId, page, origin);
    const template = templateFor(origin, prefs, page);
    const job = deps.jobs().start({
      kind: 'summary',
      title: page.title || page.url,
      origin,
      regenerate: opts.regenerate,
      provider,
      run: (io) =>
        runSummary(page, {
          ...io,
          model: provider.model,
          loadCounter: deps.loadCounter,
          ...(template && { template }),
          ...(prefs.outputLanguage && { language: prefs.outputLanguage }),
        }),
    });
    deps.keepAlive();
    return job;
  }

  return async function summariseTab(tab: TabRef | undefined, opts: SummariseOptions = {}): Promise<SummariseOutcome> {
    const origin = opts.origin ?? {};
    try {
      const page = await deps.pages.read(tab, !!origin.selection || !!origin.promptId);
      // Where no content script may run, no sidebar can show the message either.
      if (!page || tab?.id === undefined) return { ok: false, ...describeError(appErrors.restrictedPage()) };
      // An empty page gets its message before any job or request exists.
      const job = await start(tab.id, readablePage(page), opts);
      await deps.pages.showSidebar(tab, { jobId: job.id });
      return { ok: true, jobId: job.id };
    } catch (err) {
      const error = describeError(err);
      if (tab) await deps.pages.showSidebar(tab, { error }).catch(() => {});
      return { ok: false, ...error };
    }
  };
}

export type SummariseTab = ReturnType<typeof createSummarise>;
