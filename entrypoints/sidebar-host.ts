// The sidebar's host in the page: a closed shadow root holding only an extension-page iframe. The
// page's scripts can neither read nor type into nor click the sidebar: its state and inputs live in
// the frame, another origin. An unlisted script, not a WXT content script: WXT's content-script
// context announces our extension id to the page and obeys a "newer script started" event any
// page can forge, which would remove the sidebar.
import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import type { TabRequest } from '../lib/app/tab-protocol';
import { clearCitationHighlight } from './reader/highlight';
import { frameMessage, sidebarWidth, sidebarWidthKey, type FrameMessage } from '../lib/sidebar-frame';

// Injecting again (a second "Summarise") re-runs this file in the same isolated world.
const installed = Symbol.for('precis.sidebar');

export default defineUnlistedScript(() => {
  const world = globalThis as { [installed]?: boolean };
  if (world[installed]) return;
  world[installed] = true;
  const sidebar = createSidebar();
  browser.runtime.onMessage.addListener((msg: TabRequest, sender, sendResponse) => {
    if (sender.id !== browser.runtime.id) return false;
    if (msg.type === 'ping' && msg.script === 'sidebar') {
      sendResponse(true);
    } else if (msg.type === 'sidebar.show') {
      void sidebar.show().then(() => sendResponse(true));
      return true;
    }
    return false;
  });
});

// `all: initial !important` in the shadow tree wins over the page's `!important` rules on the host;
// the panel is a popover in the top layer, above any overlay and outside the page's filters.
const css = `
:host { all: initial !important; }
.panel {
  position: fixed; inset: 0 0 0 auto; height: 100vh; max-width: 90vw; margin: 0; padding: 0; border: none;
  overflow: visible; background: transparent; box-shadow: -8px 0 24px rgba(0, 0, 0, 0.12);
}
iframe { display: block; width: 100%; height: 100%; border: none; color-scheme: normal; }
.drag { position: fixed; inset: 0; cursor: ew-resize; }
`;

function createSidebar() {
  const frameUrl = browser.runtime.getURL('/sidebar-frame.html');
  const frameOrigin = new URL(frameUrl).origin;
  let shown: { host: HTMLElement; panel: HTMLElement; frame: HTMLIFrameElement } | undefined;
  // Where the user was before the sidebar took focus: closing it gives focus back there.
  let returnFocus: Element | null = null;

  const close = () => {
    if (!shown) return;
    const hadFocus = document.activeElement === shown.host;
    shown.host.remove();
    shown = undefined;
    // The passage a chip showed is explained by the sidebar: it goes with it.
    clearCitationHighlight();
    if (hadFocus && returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus({ preventScroll: true });
    returnFocus = null;
  };

  // Only our frame's own window can post these (the page cannot forge `event.source`).
  window.addEventListener('message', (event) => {
    if (!shown || event.source !== shown.frame.contentWindow || event.origin !== frameOrigin) return;
    const msg = frameMessage(event.data);
    if (msg?.precisSidebar === 'close') close();
    else if (msg?.precisSidebar === 'width') shown.panel.style.width = `${sidebarWidth(msg.width)}px`;
    else if (msg?.precisSidebar === 'drag') followDrag(shown.panel);
  });

  /** Until the button is released, the pointer's distance to the window's right edge is the width. */
  function followDrag(panel: HTMLElement) {
    // Over the page and the frame alike, so every move comes here.
    const cover = document.createElement('div');
    cover.className = 'drag';
    panel.append(cover);
    let width = panel.getBoundingClientRect().width;
    cover.addEventListener('pointermove', (e) => (panel.style.width = `${(width = sidebarWidth(window.innerWidth - e.clientX))}px`));
    const end = () => {
      cover.remove();
      void browser.storage.local.set({ [sidebarWidthKey]: width });
    };
    cover.addEventListener('pointerup', end);
    cover.addEventListener('pointercancel', end);
  }

  function create() {
    const host = document.createElement('precis-sidebar');
    // e2e builds open it so tests can find the frame; the frame's content is out of reach either way.
    const root = host.attachShadow({ mode: import.meta.env.MODE === 'e2e' ? 'open' : 'closed' });
    const style = document.createElement('style');
    style.textContent = css;
    const panel = document.createElement('div');
    panel.className = 'panel';
    panel.popover = 'manual';
    panel.style.width = `${sidebarWidth(undefined)}px`;
    const frame = document.createElement('iframe');
    frame.title = 'Precis';
    frame.src = frameUrl;
    let loads = 0;
    // A second load means something navigated our frame (a parent may, even across origins):
    // whatever it shows now is not ours.
    frame.addEventListener('load', () => ++loads > 1 && close());
    panel.append(frame);
    root.append(style, panel);
    document.documentElement.append(host);
    panel.showPopover();
    void browser.storage.local.get(sidebarWidthKey).then((got) => (panel.style.width = `${sidebarWidth(got[sidebarWidthKey])}px`));
    return { host, panel, frame };
  }

  return {
    async show() {
      if (document.activeElement !== shown?.host) returnFocus = document.activeElement;
      if (shown) {
        // Content-free: the frame asks the background what to show.
        shown.frame.contentWindow?.postMessage({ precisSidebar: 'show' } satisfies FrameMessage, frameOrigin);
      } else {
        shown = create();
      }
      shown.frame.focus({ preventScroll: true });
    },
  };
}
