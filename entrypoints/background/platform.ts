// The browser behind the application core's ports (lib/app/ports.ts): storage, tabs and scripting,
// menus, the Origin rule for local servers, the packaged tokenizer, keeping the worker awake.
import enMessages from '../../public/_locales/en/messages.json';
import { browser, type Browser } from 'wxt/browser';
import type { Platform, PortLike } from '../../lib/app/ports';
import type { MenuItem } from '../../lib/app/menus';
import type { ContentScriptName } from '../../lib/app/tab-protocol';
import { openDb } from '../../lib/db';
import { counterFromRanks, rankTableAsset, type RankTable } from '../../lib/extract/tokenizer-ranks';
import type { TokenCounter } from '../../lib/extract/tokens';
import { localOriginRuleUpdate } from '../../lib/providers';
import { dexieDeviceKeyStore } from '../../lib/security/device-key-store';
import { appErrors } from '../../lib/errors';
import { sidePanelPage } from '../../lib/app/surface';
import { pageKey } from '../../lib/chat/conversation';
import type { PdfReader } from '../../lib/pdf/collect';
import { pdfPortName, type PdfPortMessage, type PdfPortRequest } from '../../lib/pdf/port';

/** The scripts injected into pages: the page reader (small, no UI) and the sidebar's host. */
const scriptFiles = {
  reader: '/reader.js',
  sidebar: '/sidebar-host.js',
} as const satisfies Record<ContentScriptName, string>;

const area = (storage: Browser.storage.StorageArea): Platform['local'] => ({
  get: async (key) => (await storage.get(key))[key],
  set: (key, value) => storage.set({ [key]: value }),
  remove: (key) => storage.remove(key),
});

// Chrome stops an idle worker after 30 s; an extension API call resets that.
const keepAliveMs = 20_000;
let keepAliveTimer: ReturnType<typeof setInterval> | undefined;

let counter: Promise<TokenCounter> | undefined;

type MenuContext = Browser.contextMenus.ContextType;
type MessageName = Parameters<typeof browser.i18n.getMessage>[0];

/** The page that runs pdf.js: a service worker cannot (no DOM, no workers of its own in every Chrome). */
const offscreenPath = '/offscreen.html';
let offscreenReady: Promise<void> | undefined;

/**
 * Chrome: the offscreen document. Firefox's background is a page with a document of its own: the
 * same reader page goes into a frame there, and answers the same port.
 */
function ensureOffscreen(): Promise<void> {
  offscreenReady ??= (async () => {
    const url = browser.runtime.getURL(offscreenPath as '/offscreen.html');
    if (!browser.offscreen) {
      const frame = document.createElement('iframe');
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      frame.src = url;
      document.body.append(frame);
      await loaded;
      return;
    }
    const existing = await browser.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as Browser.runtime.ContextType], documentUrls: [url] });
    if (existing.length) return;
    await browser.offscreen.createDocument({
      url,
      reasons: ['WORKERS' as Browser.offscreen.Reason],
      justification: 'Reads the text of PDFs with pdf.js, which needs a document and a worker.',
    });
  })();
  offscreenReady.catch(() => (offscreenReady = undefined));
  return offscreenReady;
}

/** Chrome: pdf.js in the offscreen document, over a port (lib/pdf/port.ts). */
const readPdf: PdfReader = async (url, onMessage, onGone) => {
  if (url.startsWith('file:') && !(await browser.extension.isAllowedFileSchemeAccess())) throw appErrors.fileAccess(!import.meta.env.FIREFOX);
  if (!browser.offscreen && typeof document === 'undefined') throw appErrors.restrictedPage();
  await ensureOffscreen();
  const port = browser.runtime.connect({ name: pdfPortName });
  let closed = false;
  port.onMessage.addListener((msg: PdfPortMessage) => onMessage(msg));
  port.onDisconnect.addListener(() => void (closed || onGone()));
  port.postMessage({ type: 'read', url } satisfies PdfPortRequest);
  return () => {
    closed = true;
    port.disconnect();
  };
};

const retitleAfterMs = 1_000;
const englishMessages = enMessages as Record<string, { message: string }>;

/** Menu items made with the English stand-in get their translated titles, once the browser gives them. */
async function retitle(items: { id: string; name: MessageName }[]) {
  for (const { id, name } of items) {
    const title = browser.i18n.getMessage(name);
    if (title) await browser.contextMenus.update(id, { title }).catch(() => {});
  }
}

export function browserPlatform(): Platform {
  return {
    db: openDb(),
    deviceKeys: dexieDeviceKeyStore(),
    local: area(browser.storage.local),
    session: area(browser.storage.session),
    // Firefox without policies, and older Chromes without a schema, reject: unmanaged.
    managed: () => browser.storage.managed.get().catch(() => ({})),
    fetch: (input, init) => fetch(input, init),
    tabs: {
      async active() {
        // The popup's own window, when it is one, is not a page to summarise.
        const win = await browser.windows.getLastFocused({ windowTypes: ['normal'] });
        return (await browser.tabs.query({ active: true, windowId: win.id }))[0];
      },
      get: (tabId) => browser.tabs.get(tabId).catch(() => undefined),
      send: (tabId, request) => browser.tabs.sendMessage(tabId, request),
      navigate: (tabId, url) => openAddress(tabId, url),
      inject: async (tabId, script) => void (await browser.scripting.executeScript({ target: { tabId }, files: [scriptFiles[script]] })),
    },
    async setLocalOriginRule(baseUrl) {
      if (!browser.declarativeNetRequest) return;
      const extensionHost = new URL(browser.runtime.getURL('/')).hostname;
      await browser.declarativeNetRequest.updateDynamicRules(localOriginRuleUpdate(baseUrl, extensionHost));
    },
    readPdf,
    openPanel(tabId, opts = {}) {
      // Called within the gesture; what it returns settles later, and a refusal changes nothing we can do.
      if (browser.sidePanel) {
        // Both calls leave in this same task, in order: the tab's panel is on before it is opened.
        if (opts.thisTab) void browser.sidePanel.setOptions({ tabId, path: sidePanelPage, enabled: true }).catch(() => {});
        void browser.sidePanel.open({ tabId }).catch(() => {});
      } else if (!opts.ifChosen || firefoxPanelChosen()) {
        // Firefox's sidebar has no "off everywhere" to refuse a blind try: only a known choice opens it.
        void (browser as unknown as { sidebarAction?: { open(): Promise<void> } }).sidebarAction?.open().catch(() => {});
      }
    },
    setPanelEverywhere(on) {
      // Off, the panel shows only on tabs it was opened for (PDFs), and a blind open() is refused.
      if (browser.sidePanel) void browser.sidePanel.setOptions({ path: sidePanelPage, enabled: on }).catch(() => {});
      else globalThis.localStorage?.setItem(firefoxPanelKey, on ? 'on' : 'off');
    },
    openOptions: () => browser.runtime.openOptionsPage(),
    openWelcome: async () => void (await browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') })),
    async setMenu(items: MenuItem[]) {
      await browser.contextMenus.removeAll();
      const untranslated: { id: string; name: MessageName }[] = [];
      for (const { id, title, contexts } of items) {
        const name = 'messageName' in title ? (title.messageName as MessageName) : undefined;
        // Chrome's worker sometimes answers getMessage with "" (seen in 2 of 3 fresh profiles here),
        // and an item without a title is refused: English stands in, and the translation is tried again.
        const translated = name && browser.i18n.getMessage(name);
        if (name && !translated) untranslated.push({ id, name });
        const text = 'text' in title ? title.text : translated || englishMessages[name!]!.message;
        const props = { id, contexts: contexts as [MenuContext, ...MenuContext[]], title: text };
        const create = () => new Promise<boolean>((resolve) => browser.contextMenus.create(props, () => resolve(!browser.runtime.lastError)));
        // An item the clearing had not yet let go of ("duplicate id") is replaced rather than lost.
        if (!(await create())) await browser.contextMenus.remove(id).then(create, create);
      }
      if (untranslated.length) setTimeout(() => void retitle(untranslated), retitleAfterMs);
    },
    loadCounter() {
      // getURL's types list only the files WXT knows of; this one is added by a build hook.
      const url = (browser.runtime.getURL as (path: string) => string)(`/${rankTableAsset}`);
      counter ??= fetch(url)
        .then((res) => res.json() as Promise<RankTable>)
        .then(counterFromRanks);
      counter.catch(() => (counter = undefined));
      return counter;
    },
    keepAliveWhile(busy) {
      keepAliveTimer ??= setInterval(() => {
        if (busy()) void browser.runtime.getPlatformInfo();
        else keepAliveTimer = void clearInterval(keepAliveTimer);
      }, keepAliveMs);
    },
  };
}

export const asPortLike = (port: Browser.runtime.Port): PortLike => ({
  name: port.name,
  postMessage: (message) => port.postMessage(message),
  disconnect: () => port.disconnect(),
  onMessage: (listener) => port.onMessage.addListener(listener),
  onDisconnect: (listener) => port.onDisconnect.addListener(() => listener()),
});

/**
 * Firefox keeps no "panel everywhere" of its own, and its sidebar opens only within the gesture, before
 * any storage.local read could answer an event page the shortcut has just woken. The page's
 * localStorage answers at once, so the choice is mirrored there (Chrome's worker has none, nor needs it).
 */
const firefoxPanelKey = 'precis.panelEverywhere';
const firefoxPanelChosen = () => globalThis.localStorage?.getItem(firefoxPanelKey) === 'on';

/**
 * Sends a tab to `url`. Chrome's PDF viewer opens at the page an address names (#page=N) only when
 * it loads, and a change of fragment alone is no load: the tab is loaded again once its address is
 * the new one (reloading before would load the old one). The file comes back from the cache.
 * Firefox's viewer follows the fragment itself: no reload there.
 */
async function openAddress(tabId: number, url: string): Promise<void> {
  const before = (await browser.tabs.get(tabId)).url;
  if (import.meta.env.FIREFOX || !before || pageKey(before) !== pageKey(url)) return void (await browser.tabs.update(tabId, { url }));
  if (before === url) return browser.tabs.reload(tabId);
  const committed = new Promise<boolean>((resolve) => {
    const done = (arrived: boolean) => {
      browser.tabs.onUpdated.removeListener(onUpdated);
      clearTimeout(timer);
      resolve(arrived);
    };
    const onUpdated = (id: number, change: { url?: string }) => id === tabId && change.url === url && done(true);
    // A browser that reports no change of address (the fragment alone) must not hang the click.
    const timer = setTimeout(() => done(false), 2_000);
    browser.tabs.onUpdated.addListener(onUpdated);
  });
  await browser.tabs.update(tabId, { url });
  // Reloaded only at the new address: a reload before it would load the old page, or cancel the move.
  if (await committed) await browser.tabs.reload(tabId);
  else if ((await browser.tabs.get(tabId).catch(() => undefined))?.url === url) await browser.tabs.reload(tabId);
}
