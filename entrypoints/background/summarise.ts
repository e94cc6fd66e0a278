// "Summarise page" and its variants (selection, custom prompts): the one handler behind the context
// menu, the keyboard shortcut, the popup and the sidebar's Regenerate and Resume.
import { browser, type Browser } from 'wxt/browser';
import { readableText, runSummary } from '../../lib/jobs/summarise-plan';
import type { ContentScriptName, PageContent, SummariseOutcome, SummaryOrigin, TabRequest } from '../../lib/messages';
import { summariseOffline } from '../../lib/offline';
import { withSelection, type Preferences } from '../../lib/preferences';
import { pageContent } from '../../lib/security/schemas';
import { keepAliveWhileBusy } from './housekeeping';
import { getPreferences } from './preferences';
import { onDeviceReady, runOnDevice } from './on-device';
import { jobRunner } from './services';
import { getProvider, NotConfiguredError } from './settings';
import { loadPackagedCounter } from './tokenizer';

/** The built content scripts: the page reader (small, no UI) and the sidebar's UI. */
const scriptFiles = {
  reader: '/content-scripts/reader.js',
  sidebar: '/content-scripts/sidebar.js',
} as const satisfies Record<ContentScriptName, string>;

const restricted: SummariseOutcome = {
  ok: false,
  kind: 'restricted_page',
  message:
    'Precis cannot read this page: browsers keep extensions out of built-in pages, the extension store and the PDF viewer. Open a normal web page and try again.',
};

class UnknownPromptError extends Error {
  readonly kind = 'bad_request';
  constructor() {
    super('That custom prompt no longer exists. Choose another one, or add it again in the options.');
  }
}

function canRunOn(url: string | undefined): boolean {
  return !!url && /^https?:\/\//.test(url);
}

function send(tabId: number, msg: TabRequest): Promise<unknown> {
  return browser.tabs.sendMessage(tabId, msg);
}

/**
 * Injects a content script unless it is already there. Injecting again would start a second
 * instance, and WXT retires the first one's UI when that happens: an open sidebar would vanish.
 * Returns false where the browser does not let extensions in.
 */
export async function ensureContentScript(tab: Browser.tabs.Tab | undefined, script: ContentScriptName): Promise<boolean> {
  if (!tab?.id || !canRunOn(tab.url)) return false;
  const present = await send(tab.id, { type: 'ping', script }).then(
    (answer) => answer === true,
    () => false,
  );
  if (present) return true;
  return browser.scripting.executeScript({ target: { tabId: tab.id }, files: [scriptFiles[script]] }).then(
    () => true,
    () => false,
  );
}

/** Shows the sidebar with a job (or an error), bringing in its UI first if the tab lacks it. */
async function showSidebar(tab: Browser.tabs.Tab & { id: number }, content: { jobId: string } | { error: { kind: string; message: string } }) {
  if (!(await ensureContentScript(tab, 'sidebar'))) return;
  await send(tab.id, { type: 'sidebar.show', ...content });
}

/** Errors we expect (no provider, an empty page) carry a kind; anything else is a bug to report. */
function outcomeOf(err: unknown): SummariseOutcome & { ok: false } {
  if (err instanceof Error && 'kind' in err && typeof err.kind === 'string') return { ok: false, kind: err.kind, message: err.message };
  return { ok: false, kind: 'internal', message: `Precis could not read this page: ${(err as Error).message}` };
}

/** The template for this run: a custom prompt's, the user's own summary template, or the built-in one. */
function templateFor(origin: SummaryOrigin, prefs: Preferences, page: PageContent): string | undefined {
  if (!origin.promptId) return prefs.summaryTemplate || undefined;
  const prompt = prefs.customPrompts.find((p) => p.id === origin.promptId);
  if (!prompt) throw new UnknownPromptError();
  // A prompt written for a selection still works on a whole page: the page stands in for it.
  if (page.source !== 'selection') return prompt.template.replaceAll('{{selection}}', '{{page}}');
  return withSelection(prompt.template, page.text);
}

function notConfiguredAsUndefined(err: unknown): undefined {
  if (err instanceof NotConfiguredError) return undefined;
  throw err;
}

/**
 * No provider yet: a first click still gets a useful summary, made here from the page's most
 * central sentences, and the sidebar says plainly what it is and how to get a real one.
 */
async function offlineSummary(tab: Browser.tabs.Tab & { id: number }, page: PageContent, origin: SummaryOrigin): Promise<SummariseOutcome> {
  const tabId = tab.id;
  // The browser's own model when it is already downloaded (Chrome 138+), else ranked sentences.
  const onDevice = await onDeviceReady(tabId);
  const job = jobRunner().start({
    kind: 'summary',
    title: page.title || page.url,
    origin,
    offline: onDevice ? 'on-device' : 'extractive',
    run: async (io) => (onDevice ? runOnDevice(tabId, io) : io.onDelta(summariseOffline(page).markdown)),
  });
  await showSidebar(tab, { jobId: job.id });
  return { ok: true, jobId: job.id };
}

export async function summariseTab(
  tab: Browser.tabs.Tab | undefined,
  opts: { regenerate?: boolean; origin?: SummaryOrigin } = {},
): Promise<SummariseOutcome> {
  if (!tab?.id || !(await ensureContentScript(tab, 'reader'))) return restricted;
  const tabId = tab.id;
  const target = { ...tab, id: tabId };
  const origin = opts.origin ?? {};
  try {
    const useSelection = !!origin.selection || !!origin.promptId;
    const page = pageContent.parse(await send(tabId, { type: 'page.extract', useSelection }));
    readableText(page); // an empty page gets its message before any job or request exists
    const [provider, prefs] = await Promise.all([getProvider().catch(notConfiguredAsUndefined), getPreferences()]);
    if (!provider) return await offlineSummary(target, page, origin);
    const { model } = provider;
    const template = templateFor(origin, prefs, page);
    const job = jobRunner().start({
      kind: 'summary',
      title: page.title || page.url,
      origin,
      regenerate: opts.regenerate,
      run: (io) =>
        runSummary(page, {
          ...io,
          model,
          loadCounter: loadPackagedCounter,
          ...(template && { template }),
          ...(prefs.outputLanguage && { language: prefs.outputLanguage }),
        }),
    });
    keepAliveWhileBusy();
    await showSidebar(target, { jobId: job.id });
    return { ok: true, jobId: job.id };
  } catch (err) {
    const outcome = outcomeOf(err);
    await showSidebar(target, { error: outcome }).catch(() => {});
    return outcome;
  }
}
