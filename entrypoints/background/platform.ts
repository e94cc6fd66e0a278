// The browser behind the application core's ports (lib/app/ports.ts): storage, tabs and scripting,
// menus, the Origin rule for local servers, the packaged tokenizer, keeping the worker awake.
import { browser, type Browser } from 'wxt/browser';
import type { Platform, PortLike } from '../../lib/app/ports';
import type { MenuItem } from '../../lib/app/menus';
import type { ContentScriptName } from '../../lib/app/tab-protocol';
import { openDb } from '../../lib/db';
import { counterFromRanks, rankTableAsset, type RankTable } from '../../lib/extract/tokenizer-ranks';
import type { TokenCounter } from '../../lib/extract/tokens';
import { localOriginRuleUpdate } from '../../lib/providers';
import { dexieDeviceKeyStore } from '../../lib/security/device-key-store';

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
      inject: async (tabId, script) => void (await browser.scripting.executeScript({ target: { tabId }, files: [scriptFiles[script]] })),
    },
    async setLocalOriginRule(baseUrl) {
      if (!browser.declarativeNetRequest) return;
      const extensionHost = new URL(browser.runtime.getURL('/')).hostname;
      await browser.declarativeNetRequest.updateDynamicRules(localOriginRuleUpdate(baseUrl, extensionHost));
    },
    openOptions: () => browser.runtime.openOptionsPage(),
    openWelcome: async () => void (await browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') })),
    async setMenu(items: MenuItem[]) {
      await browser.contextMenus.removeAll();
      for (const { id, title, contexts } of items) {
        const props = { id, contexts: contexts as [MenuContext, ...MenuContext[]], title: 'text' in title ? title.text : browser.i18n.getMessage(title.messageName as MessageName) };
        const create = () => new Promise<boolean>((resolve) => browser.contextMenus.create(props, () => resolve(!browser.runtime.lastError)));
        // An item the clearing had not yet let go of ("duplicate id") is replaced rather than lost.
        if (!(await create())) await browser.contextMenus.remove(id).then(create, create);
      }
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
