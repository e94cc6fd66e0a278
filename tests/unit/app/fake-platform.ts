// A platform for the application core made of plain fakes: storage areas in memory, tabs that
// serve fixed pages, the database in fake-indexeddb. The network is real: tests point the provider
// at the mock LLM server on 127.0.0.1.
import 'fake-indexeddb/auto';
import type { MenuItem } from '../../../lib/app/menus';
import type { KeyValueArea, Platform, PortLike } from '../../../lib/app/ports';
import type { ContentScriptName, TabRequest } from '../../../lib/app/tab-protocol';
import { openDb } from '../../../lib/db';
import type { PageContent } from '../../../lib/extract/page-content';
import { loadTokenCounter } from '../../../lib/extract/tokens';
import type { DeviceKeyStore } from '../../../lib/security/vault';

export function memoryArea(): KeyValueArea & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => structuredClone(data.get(key)),
    set: async (key, value) => void data.set(key, structuredClone(value)),
    remove: async (key) => void data.delete(key),
  };
}

export function memoryDeviceKeys(): DeviceKeyStore {
  let key: CryptoKey | undefined;
  return { load: async () => key, save: async (k) => void (key = k) };
}

export interface FakeTab {
  id: number;
  url: string;
  /** What the reader extracts; a function to see whether the selection was asked for. */
  page?: PageContent | ((useSelection: boolean) => PageContent);
  scripts: Set<ContentScriptName>;
  /** Each time the background showed the sidebar (its frame then asks what to show: `sidebar.content`). */
  sidebarShown: number;
  /** Citation requests its page reader was sent. */
  cited?: TabRequest[];
}

export function fakeTabs(tabs: FakeTab[], activeId = tabs[0]?.id) {
  const byId = new Map(tabs.map((t) => [t.id, t]));
  const injected: { tabId: number; script: ContentScriptName }[] = [];
  return {
    injected,
    active: async () => (activeId === undefined ? undefined : byId.get(activeId)),
    get: async (tabId: number) => byId.get(tabId),
    async send(tabId: number, request: TabRequest): Promise<unknown> {
      const tab = byId.get(tabId);
      if (!tab) throw new Error('No tab with id: ' + tabId);
      switch (request.type) {
        case 'ping':
          if (!tab.scripts.has(request.script)) throw new Error('Could not establish connection. Receiving end does not exist.');
          return true;
        case 'page.extract': {
          if (!tab.scripts.has('reader')) throw new Error('Receiving end does not exist.');
          const page = typeof tab.page === 'function' ? tab.page(request.useSelection) : tab.page;
          // The reader names each extraction, as citations name the units of one.
          return page && { extraction: `extraction-${tabId}`, ...page };
        }
        case 'sidebar.show':
          tab.sidebarShown += 1;
          return true;
        case 'citation.show':
        case 'citation.quote':
          if (!tab.scripts.has('reader')) throw new Error('Receiving end does not exist.');
          (tab.cited ??= []).push(request);
          return request.type === 'citation.show' ? true : `unit ${request.unit} of ${request.key}`;
        case 'ondevice.ready':
          return false;
        case 'ondevice.run':
          throw new Error('no on-device model here');
      }
    },
    async navigate(tabId: number, url: string) {
      byId.get(tabId)!.url = url;
    },
    async inject(tabId: number, script: ContentScriptName) {
      const tab = byId.get(tabId)!;
      if (!/^https?:/.test(tab.url)) throw new Error('Cannot access contents of the page');
      injected.push({ tabId, script });
      tab.scripts.add(script);
    },
  };
}

export const tab = (id: number, url: string, page?: FakeTab['page']): FakeTab => ({ id, url, page, scripts: new Set(), sidebarShown: 0 });

export const article = (text: string, extra: Partial<PageContent> = {}): PageContent => ({
  url: 'https://news.example/trains',
  title: 'Night trains are back',
  text,
  source: 'article',
  ...extra,
});

export function fakePlatform(tabs: ReturnType<typeof fakeTabs>) {
  const menus: MenuItem[][] = [];
  const originRules: string[] = [];
  let optionsOpened = 0;
  let welcomeOpened = 0;
  /** Each keep-alive the core asked for, with whether jobs were busy when it did. */
  const keepAlives: boolean[] = [];
  const platform: Platform = {
    db: openDb(`app-test-${Math.random().toString(36).slice(2)}`),
    deviceKeys: memoryDeviceKeys(),
    local: memoryArea(),
    session: memoryArea(),
    tabs,
    fetch: (input, init) => fetch(input, init),
    setLocalOriginRule: async (baseUrl) => void originRules.push(baseUrl),
    openOptions: async () => void optionsOpened++,
    openWelcome: async () => void welcomeOpened++,
    setMenu: async (items) => void menus.push(items),
    loadCounter: loadTokenCounter,
    keepAliveWhile: (busy) => void keepAlives.push(busy()),
    readPdf: async () => {
      throw new Error('no PDF reader in this fake');
    },
  };
  return { platform, menus, originRules, keepAlives, optionsOpened: () => optionsOpened, welcomeOpened: () => welcomeOpened };
}

/** A port as the other end holds it: what the background posted, a way to send to it, and to close it. */
export function fakePort(name: string) {
  const posted: unknown[] = [];
  const onMessage: ((m: unknown) => void)[] = [];
  const onDisconnect: (() => void)[] = [];
  let disconnected = false;
  const port: PortLike = {
    name,
    postMessage: (m) => void posted.push(m),
    disconnect: () => void (disconnected = true),
    onMessage: (l) => void onMessage.push(l),
    onDisconnect: (l) => void onDisconnect.push(l),
  };
  return {
    port,
    posted,
    disconnected: () => disconnected,
    send: (m: unknown) => onMessage.forEach((l) => l(m)),
    close: () => onDisconnect.forEach((l) => l()),
  };
}

export const self = { id: 'precis-test-id', pagesOrigin: 'chrome-extension://precis-test-id/' };
export const pageSender = { id: self.id, url: `${self.pagesOrigin}popup.html` };
export const tabSender = (t: FakeTab) => ({ id: self.id, url: t.url, tab: { id: t.id, url: t.url } });
