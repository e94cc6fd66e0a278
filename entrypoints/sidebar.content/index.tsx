// Injected on demand (activeTab + scripting), never on every page. Extracts the page for the
// background and shows the sidebar in a shadow root so the page's CSS cannot break it.
import { createRoot, type Root } from 'react-dom/client';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { applyUiLocale } from '../../components/locale';
import { extractPage } from '../../lib/extract/page';
import { onDevicePortPrefix, type OnDevicePortMessage, type TabRequest } from '../../lib/messages';
import { onDeviceReady, summariseOnDevice, type SummarizerApi } from '../../lib/offline/on-device';
import { Sidebar, type SidebarContent } from './Sidebar';
import markdownCss from '../../components/markdown/markdown.css?inline';
import sidebarCss from './sidebar.css?inline';

// Injecting again (a second "Summarise") re-runs this file in the same isolated world.
const installed = Symbol.for('precis.sidebar');

export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    const world = globalThis as { [installed]?: boolean };
    if (world[installed]) return;
    world[installed] = true;
    const sidebar = createSidebar(ctx);
    browser.runtime.onMessage.addListener((msg: TabRequest, sender, sendResponse) => {
      if (sender.id !== browser.runtime.id) return false;
      if (msg.type === 'ping') {
        sendResponse(true);
      } else if (msg.type === 'ondevice.ready') {
        void onDeviceReady(summarizerApi()).then(sendResponse);
        return true;
      } else if (msg.type === 'ondevice.run') {
        void streamOnDevice(msg.token);
        sendResponse(true);
      } else if (msg.type === 'page.extract') {
        sendResponse(extractPage(document, location.href, { useSelection: msg.useSelection }));
      } else if (msg.type === 'sidebar.show') {
        void sidebar.show('jobId' in msg ? { jobId: msg.jobId } : { error: msg.error }).then(() => sendResponse(true));
        return true;
      }
      return false;
    });
  },
});

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

function createSidebar(ctx: ContentScriptContext) {
  let ui: ShadowRootContentScriptUi<Root> | undefined;
  const close = () => {
    ui?.remove();
    ui = undefined;
  };
  return {
    async show(content: SidebarContent) {
      if (!ui) await applyUiLocale();
      ui ??= await createShadowRootUi(ctx, {
        name: 'precis-sidebar',
        css: sidebarCss + markdownCss,
        position: 'inline',
        anchor: 'html',
        append: 'last',
        isolateEvents: true,
        onMount: (container) => createRoot(container),
        onRemove: (root) => root?.unmount(),
      });
      if (!ui.mounted) ui.mount();
      ui.mounted?.render(<Sidebar content={content} onClose={close} />);
    },
  };
}
