// The sidebar's UI, injected only when a sidebar is shown (the page reader is a separate, smaller
// script). It lives in a shadow root so the page's CSS cannot break it.
import { createRoot, type Root } from 'react-dom/client';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { applyUiLocale } from '../../components/locale';
import { warmUpMarkdown } from '../../components/markdown/render';
import type { TabRequest } from '../../lib/app/tab-protocol';
import type { SidebarContent } from '../../lib/app/page-access';
import { Sidebar } from './Sidebar';
import themeCss from '../../components/theme.css?inline';
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
      if (msg.type === 'ping' && msg.script === 'sidebar') {
        sendResponse(true);
      } else if (msg.type === 'sidebar.show') {
        void sidebar.show('jobId' in msg ? { jobId: msg.jobId } : { error: msg.error }).then(() => sendResponse(true));
        return true;
      }
      return false;
    });
  },
});

function createSidebar(ctx: ContentScriptContext) {
  let ui: ShadowRootContentScriptUi<Root> | undefined;
  // Where the user was before the sidebar took focus: closing it gives focus back there.
  let returnFocus: Element | null = null;
  const close = () => {
    const hadFocus = !!ui && document.activeElement === ui.shadowHost;
    ui?.remove();
    ui = undefined;
    if (hadFocus && returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus({ preventScroll: true });
    returnFocus = null;
  };
  return {
    async show(content: SidebarContent) {
      if (!ui) await applyUiLocale();
      if (document.activeElement !== ui?.shadowHost) returnFocus = document.activeElement;
      ui ??= await createShadowRootUi(ctx, {
        name: 'precis-sidebar',
        css: themeCss + sidebarCss + markdownCss,
        position: 'inline',
        anchor: 'html',
        append: 'last',
        isolateEvents: true,
        onMount: (container) => createRoot(container),
        onRemove: (root) => root?.unmount(),
      });
      if (!ui.mounted) {
        ui.mount();
        setTimeout(warmUpMarkdown, 0);
      }
      ui.mounted?.render(<Sidebar content={content} onClose={close} />);
    },
  };
}
