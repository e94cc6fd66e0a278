// The page reader: extraction and the browser's on-device model, with no UI, so that reading a
// page (for a summary or a chat about it) injects only this small script. The sidebar's UI is a
// second script, injected only when a sidebar is shown. Both are injected on demand (activeTab +
// scripting), never on every page.
import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { extractPage } from '../../lib/extract/page';
import { onDevicePortPrefix, type OnDevicePortMessage, type TabRequest } from '../../lib/app/tab-protocol';
import { createCitations } from './citations';
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
        const page = extractPage(document, location.href, { useSelection: msg.useSelection });
        // The same text the background numbers for the model: citations name these units.
        sendResponse({ ...page, extraction: citations.remember(page.text) });
      } else if (msg.type === 'citation.show') {
        sendResponse(citations.show(msg.key, msg.unit));
      } else if (msg.type === 'citation.quote') {
        sendResponse(citations.quote(msg.key, msg.unit));
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
