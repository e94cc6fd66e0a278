// "Summarise page": the one handler behind the context menu, the keyboard shortcut, the popup and
// the sidebar's Regenerate.
import { browser, type Browser } from 'wxt/browser';
import { readableText, runSummary } from '../../lib/jobs/summarise-plan';
import type { SummariseOutcome, TabRequest } from '../../lib/messages';
import { pageContent } from '../../lib/security/schemas';
import { keepAliveWhileBusy } from './housekeeping';
import { jobRunner } from './services';
import { getProvider } from './settings';
import { loadPackagedCounter } from './tokenizer';

/** The built content script that holds page extraction and the sidebar UI. */
const sidebarScript = '/content-scripts/sidebar.js';

const restricted: SummariseOutcome = {
  ok: false,
  kind: 'restricted_page',
  message:
    'Precis cannot read this page: browsers keep extensions out of built-in pages, the extension store and the PDF viewer. Open a normal web page and try again.',
};

export function canRunOn(url: string | undefined): boolean {
  return !!url && /^https?:\/\//.test(url);
}

function send(tabId: number, msg: TabRequest): Promise<unknown> {
  return browser.tabs.sendMessage(tabId, msg);
}

/** Errors we expect (no provider, an empty page) carry a kind; anything else is a bug to report. */
function outcomeOf(err: unknown): SummariseOutcome & { ok: false } {
  if (err instanceof Error && 'kind' in err && typeof err.kind === 'string') return { ok: false, kind: err.kind, message: err.message };
  return { ok: false, kind: 'internal', message: `Precis could not read this page: ${(err as Error).message}` };
}

export async function summariseTab(
  tab: Browser.tabs.Tab | undefined,
  opts: { regenerate?: boolean } = {},
): Promise<SummariseOutcome> {
  if (!tab?.id || !canRunOn(tab.url)) return restricted;
  const tabId = tab.id;
  try {
    await browser.scripting.executeScript({ target: { tabId }, files: [sidebarScript] });
  } catch {
    return restricted;
  }
  try {
    const page = pageContent.parse(await send(tabId, { type: 'page.extract' }));
    readableText(page); // an empty page gets its message before any job or request exists
    const { model } = await getProvider();
    const job = jobRunner().start({
      kind: 'summary',
      title: page.title || page.url,
      regenerate: opts.regenerate,
      run: (io) => runSummary(page, { ...io, model, loadCounter: loadPackagedCounter }),
    });
    keepAliveWhileBusy();
    await send(tabId, { type: 'sidebar.show', jobId: job.id });
    return { ok: true, jobId: job.id };
  } catch (err) {
    const outcome = outcomeOf(err);
    await send(tabId, { type: 'sidebar.show', error: outcome }).catch(() => {});
    return outcome;
  }
}
