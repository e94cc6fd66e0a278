// "Summarise page": the one handler behind the context menu, the keyboard shortcut and the popup.
import { browser, type Browser } from 'wxt/browser';
import { EmptyPageError, summariseRequest } from '../../lib/jobs/summarise-plan';
import type { SummariseOutcome, TabRequest } from '../../lib/messages';
import { pageContent } from '../../lib/security/schemas';
import { jobRunner } from './services';
import { getProvider, NotConfiguredError } from './settings';

/** The built content script that holds page extraction and the sidebar UI. */
const sidebarScript = '/content-scripts/sidebar.js';

export function canRunOn(url: string | undefined): boolean {
  return !!url && /^https?:\/\//.test(url);
}

function send(tabId: number, msg: TabRequest): Promise<unknown> {
  return browser.tabs.sendMessage(tabId, msg);
}

export async function summariseTab(tab: Browser.tabs.Tab | undefined): Promise<SummariseOutcome> {
  if (!tab?.id || !canRunOn(tab.url)) {
    return {
      ok: false,
      kind: 'restricted_page',
      message: 'Precis cannot read this page: browsers do not let extensions into built-in pages, the Web Store or the PDF viewer. Open a normal web page and try again.',
    };
  }
  const tabId = tab.id;
  try {
    await browser.scripting.executeScript({ target: { tabId }, files: [sidebarScript] });
  } catch (err) {
    return { ok: false, kind: 'restricted_page', message: `Precis cannot run on this page (${(err as Error).message}).` };
  }
  try {
    const page = pageContent.parse(await send(tabId, { type: 'page.extract' }));
    await getProvider();
    const job = jobRunner().start({ kind: 'summary', title: page.title || page.url, request: summariseRequest(page) });
    await send(tabId, { type: 'sidebar.show', jobId: job.id });
    return { ok: true, jobId: job.id };
  } catch (err) {
    const known = err instanceof NotConfiguredError || err instanceof EmptyPageError;
    const kind = known ? err.kind : 'internal';
    const message = known ? err.message : `Precis could not read this page: ${(err as Error).message}`;
    await send(tabId, { type: 'sidebar.show', error: { kind, message } }).catch(() => {});
    return { ok: false, kind, message };
  }
}
