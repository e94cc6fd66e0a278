// The page reader: extraction and the browser's on-device model, with no UI, so that reading a
// page (for a summary or a chat about it) injects only this small script. The sidebar's UI is a
// second script, injected only when a sidebar is shown. Both are injected on demand (activeTab +
// scripting), never on every page.
import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { extractPage } from '../../lib/extract/page';
import type { PageContent } from '../../lib/extract/page-content';
import { isVideoPage, readVideo, VideoUnreadable } from '../../lib/extract/video/read-video';
import { onDevicePortPrefix, type OnDevicePortMessage, type TabRequest } from '../../lib/app/tab-protocol';
import { createCitations, type Citations } from './citations';
import { clearCitationHighlight } from './highlight';
import { onDeviceReady, summariseOnDevice, type SummarizerApi } from '../../lib/offline/on-device';

// Injecting again re-runs this file in the same isolated world: listen once.
const installed = Symbol.for('precis.reader');

/** Chrome's Summarizer API, where this page's window has it. */
const summarizerApi = () => (globalThis as { Summarizer?: SummarizerApi }).Summarizer;

async function streamOnDevice(token: string) {
  const port = browser.runtime.connect({ name: onDevicePortPrefix + token });
  const post = (msg: OnDevicePortMessage) => port.postMessage(msg);
  try {
    const page = extractPage(document, location.href, { useSelection: false });
    for await (const text of summariseOnDevice(summarizerApi()!, page.text, page.title)) post({ type: 'delta', text });
    post({ type: 'done' });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
}

/** The page for a summary or a chat: a video's transcript on a video page, the page's text elsewhere. */
async function readPage(msg: Extract<TabRequest, { type: 'page.extract' }>, citations: Citations): Promise<PageContent | { unreadable: string }> {
  if (!isVideoPage(location.href) || (msg.useSelection && String(getSelection() ?? '').trim())) {
    const page = extractPage(document, location.href, { useSelection: msg.useSelection });
    // The browser's PDF viewer (an address without ".pdf"): the background reads the file itself.
    if (document.contentType === 'application/pdf') return { ...page, pdf: true };
    // The same text the background numbers for the model: citations name these units.
    return { ...page, extraction: citations.remember(page.text) };
  }
  try {
    return await readVideo(
      {
        href: location.href,
        // Only the inline scripts that hold YouTube's data: serialising the whole page costs more.
        pageHtml: () =>
          [...document.scripts]
            .map((s) => s.textContent ?? '')
            .filter((text) => /ytInitial|ytcfg\.set/.test(text))
            .join('\n'),
        // The page's own origin, with the user's YouTube session, as the player itself asks.
        fetchText: async (url, init) => {
          const res = await fetch(url, { credentials: 'include', ...init });
          return res.ok ? res.text() : '';
        },
        languages: [...(msg.languages ?? []), ...navigator.languages],
      },
      { descriptionOnly: msg.videoDescription },
    );
  } catch (err) {
    if (err instanceof VideoUnreadable) return { unreadable: err.problem };
    throw err;
  }
}

/** Seeks the page's main video; the player's own controls follow the element. */
function seek(seconds: number) {
  const video = [...document.querySelectorAll('video')].sort((a, b) => b.clientWidth * b.clientHeight - a.clientWidth * a.clientHeight)[0];
  if (!video) return false;
  video.currentTime = seconds;
  video.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  return true;
}

// An unlisted script, not a WXT content script: WXT's content-script context posts our extension id
// to the page and can be stopped by an event the page forges.
export default defineUnlistedScript({
  main() {
    const world = globalThis as { [installed]?: boolean };
    if (world[installed]) return;
    world[installed] = true;
    const citations = createCitations();
    browser.runtime.onMessage.addListener((msg: TabRequest, sender, sendResponse) => {
      if (sender.id !== browser.runtime.id) return false;
      if (msg.type === 'ping' && msg.script === 'reader') {
        sendResponse(true);
      } else if (msg.type === 'page.extract') {
        void readPage(msg, citations).then(sendResponse, () => sendResponse(undefined));
        return true;
      } else if (msg.type === 'video.seek') {
        sendResponse(seek(msg.seconds));
      } else if (msg.type === 'citation.show') {
        sendResponse(citations.show(msg.key, msg.unit));
      } else if (msg.type === 'citation.quote') {
        sendResponse(citations.quote(msg.key, msg.unit));
      } else if (msg.type === 'citation.clear') {
        clearCitationHighlight();
        sendResponse(true);
      } else if (msg.type === 'ondevice.ready') {
        void onDeviceReady(summarizerApi()).then(sendResponse);
        return true;
      } else if (msg.type === 'ondevice.run') {
        void streamOnDevice(msg.token);
        sendResponse(true);
      }
      return false;
    });
  },
});
