// The e2e harness: real Chromium, the built extension, the mock LLM and fixture pages, all on 127.0.0.1.
import { test as base, expect, type BrowserContext, type Frame, type FrameLocator, type Locator, type Page, type Worker } from '@playwright/test';
import { resolve } from 'node:path';
import { BrowserPool } from '../support/browser-pool';
import { launchWithExtension } from '../support/chromium';
import { siteHosts, startFakeSites, type FakeSites } from '../support/fake-sites';
import { startFakeYouTube, youtubeHosts, type FakeYouTube } from '../support/fake-youtube';
import { startMockLlm, type MockLlm } from '../support/mock-llm';
import { startStaticServer } from '../support/static-server';
import { workerFixture } from '../support/worker-fixture';
import { longReport } from './pages/generate';
import { lastPolicyKey } from '../../lib/app/policy-source';
import { menuOpensIn, originOfMenuItem } from '../../lib/app/menus';
import { installPolicy } from './policy';

// Functions passed to `worker.evaluate` run inside the extension's service worker.
declare const chrome: any;

const extensionDir = resolve('.output/chrome-mv3-e2e');

export interface Extension {
  id: string;
  context: BrowserContext;
  /** The background service worker, restarted on demand by `restartWorker`. */
  worker(): Promise<Worker>;
  /** Points the extension at a provider through the same function the options page's Save calls. */
  configure(settings: { baseUrl: string; model: string; apiKey: string; presetId?: string; headers?: Record<string, string> }): Promise<void>;
  /** Calls the same handler the "Summarise page" menu item calls, for the tab showing `page`. */
  summariseFromMenu(page: Page): Promise<unknown>;
  /** Calls the handler behind a menu item (`summarise-page`, `summarise-selection`, `prompt:<id>`) for the tab showing `page`. */
  menu(page: Page, menuItemId: string): Promise<unknown>;
  /** Calls the keyboard shortcut's handler, as pressing it on `page` does. */
  shortcut(page: Page): Promise<unknown>;
  /** Saves preferences through the same path as the options page. */
  setPreferences(patch: Record<string, unknown>): Promise<void>;
  /** Stops the service worker, as Chrome does to an idle one. */
  stopWorker(page: Page): Promise<void>;
  openExtensionPage(path: string): Promise<Page>;
  /** The popup in a popup window of its own: automation cannot click the toolbar icon. */
  openPopupWindow(): Promise<Page>;
  /**
   * What a view does while nobody touches it, over `ms`: the messages and ports the background
   * receives (from any view), and the DOM mutations in `view` (a page, or the sidebar's frame).
   */
  activityAtRest(view: Page | Frame, opts?: { ms?: number }): Promise<{ messages: number; ports: number; mutations: number }>;
}

interface Fixtures {
  mock: MockLlm;
  extension: Extension;
  /**
   * The welcome tab that installing opens by itself: closed before the test (so it is never the
   * active tab a test summarises) unless the test keeps it (`test.use({ firstRunTab: 'keep' })`).
   */
  firstRunTab: 'close' | 'keep';
  /**
   * An administrator's policy for Precis, installed before Chromium starts (`test.use`); `{mock}` in
   * its values stands for the mock's base URL.
   */
  managedPolicy: Record<string, unknown> | undefined;
  /**
   * A browser of the test's own (`test.use({ freshBrowser: true })`), for a test that changes what a
   * reset cannot undo (chrome://extensions settings). A test that keeps the welcome tab or installs a
   * policy always has one: both happen only at a browser's first start.
   */
  freshBrowser: boolean;
}

/** A browser a passed test handed on (tests/support/browser-pool.ts), kept by locale. */
interface KeptBrowser {
  context: BrowserContext;
  id: string;
  close(): Promise<void>;
}

/** The welcome page that install opens, once it is there. */
export async function welcomeTab(context: BrowserContext, extensionId: string): Promise<Page> {
  const isWelcome = (page: Page) => page.url() === `chrome-extension://${extensionId}/welcome.html`;
  return context.pages().find(isWelcome) ?? context.waitForEvent('page', { predicate: isWelcome });
}

export const test = base.extend<Fixtures, { site: { url: string }; youtube: FakeYouTube; sites: FakeSites; browserPool: BrowserPool<KeptBrowser> }>({
  firstRunTab: ['close', { option: true }],
  managedPolicy: [undefined, { option: true }],
  freshBrowser: [false, { option: true }],
  browserPool: workerFixture(() => new BrowserPool<KeptBrowser>()),
  site: workerFixture(() => startStaticServer(resolve('tests/e2e/pages'), { '/long.html': longReport(60) })),
  // www.youtube.com, served here: every launch maps the name to it (nothing else would answer anyway).
  youtube: workerFixture(startFakeYouTube),
  // news.ycombinator.com, github.com, en.wikipedia.org and the other sites with a reader of their
  // own (lib/extract/sites), served here from fixture pages (tests/support/fake-sites.ts).
  sites: workerFixture(startFakeSites),
  mock: async ({}, use) => {
    const mock = await startMockLlm();
    await use(mock);
    await mock.close();
  },
  // `locale` is Playwright's own option (`test.use({ locale: 'zh-CN' })`): it also sets the UI language.
  extension: async ({ locale: requested, firstRunTab, managedPolicy, freshBrowser, browserPool, mock, youtube, sites }, use, testInfo) => {
    const locale = requested ?? 'en-US';
    const shared = firstRunTab === 'close' && !managedPolicy && !freshBrowser;
    const reused = shared ? browserPool.take(locale) : undefined;
    const removePolicy = managedPolicy && (await installPolicy(JSON.parse(JSON.stringify(managedPolicy).replaceAll('{mock}', mock.baseUrl))));
    const hosts = Object.fromEntries([...youtubeHosts.map((host) => [host, youtube.port]), ...siteHosts.map((host) => [host, sites.port])]);
    const context =
      reused?.context ??
      (await launchWithExtension(extensionDir, { locale, hosts, developerMode: true }).catch(async (err: unknown) => {
        await removePolicy?.();
        throw err;
      }));
    // After a reset, the worker that answered it (Playwright may still list the old ones for a while).
    let current: Worker | undefined;
    const worker = async () => current ?? context.serviceWorkers().at(-1) ?? (await context.waitForEvent('serviceworker'));
    const id = reused?.id ?? new URL((await worker()).url()).host;
    if (reused) {
      current = await resetPrecis(context, id);
      current.once('close', () => (current = undefined));
    } else if (firstRunTab === 'close') await (await welcomeTab(context, id)).close();
    // Chrome answers storage.managed 2–5 s after it starts; a profile that has run before answers
    // from the policy it last read (lib/app/policy-source.ts). Tests start from such a profile,
    // unless they install a policy: those take the first-start path and wait for the real one.
    if (!managedPolicy) await (await worker()).evaluate(([key]) => chrome.storage.local.set({ [key]: {} }), [lastPolicyKey] as const);
    /** The context menu's item ids as the background last built them (recorded by the e2e build). */
    const menuIds = async () => (await (await worker()).evaluate(async () => (await chrome.storage.session.get('precisTestMenuIds')).precisTestMenuIds as string[] | undefined)) ?? [];
    const extension: Extension = {
      id,
      context,
      worker,
      async configure(settings) {
        await (await worker()).evaluate((s) => (globalThis as any).precisTest.saveSettings(s), { presetId: 'custom', ...settings });
      },
      summariseFromMenu: (page) => extension.menu(page, 'summarise-page'),
      async menu(page, menuItemId) {
        await page.bringToFront();
        // The item Chrome holds for what the test names: its id also says where it opens.
        const same = JSON.stringify(originOfMenuItem(menuItemId));
        const id = (await menuIds()).find((built) => JSON.stringify(originOfMenuItem(built)) === same) ?? menuItemId;
        return (await worker()).evaluate(
          async ([pageUrl, id]) => {
            const [tab] = await chrome.tabs.query({ url: pageUrl });
            return (globalThis as any).precisTest.onMenuClicked({ menuItemId: id }, tab);
          },
          [page.url(), id] as const,
        );
      },
      async shortcut(page) {
        await page.bringToFront();
        return (await worker()).evaluate(async (pageUrl) => {
          const [tab] = await chrome.tabs.query({ url: pageUrl });
          return (globalThis as any).precisTest.onCommand('summarise-page', tab);
        }, page.url());
      },
      async setPreferences(patch) {
        const options = await extension.openExtensionPage('options.html');
        await options.evaluate((p) => chrome.runtime.sendMessage({ type: 'prefs.save', patch: p }), patch);
        await options.close();
        // The menu is rebuilt for a new choice of surface: clicks after this find the new items.
        const opensIn = patch.summariseOpensIn;
        if (opensIn) await expect.poll(async () => (await menuIds()).some((id) => menuOpensIn(id) === opensIn)).toBe(true);
      },
      async stopWorker(page) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
        await cdp.detach();
      },
      async openPopupWindow() {
        const [popup] = await Promise.all([
          context.waitForEvent('page'),
          (await worker()).evaluate(() => chrome.windows.create({ url: chrome.runtime.getURL('popup.html'), type: 'popup' })),
        ]);
        return popup;
      },
      async activityAtRest(view, { ms = 3_000 } = {}) {
        const counts = async () => (await worker()).evaluate(() => ({ ...(globalThis as any).precisTest.traffic }) as { messages: number; ports: number });
        await view.evaluate(() => {
          const w = window as unknown as { precisMutations: number };
          w.precisMutations = 0;
          new MutationObserver((records) => (w.precisMutations += records.length)).observe(document, {
            subtree: true,
            childList: true,
            characterData: true,
            attributes: true,
          });
        });
        const before = await counts();
        // The measurement is the window itself: a view at rest does nothing in it.
        await new Promise((resolve) => setTimeout(resolve, ms));
        const after = await counts();
        const mutations = await view.evaluate(() => (window as unknown as { precisMutations: number }).precisMutations);
        return { messages: after.messages - before.messages, ports: after.ports - before.ports, mutations };
      },
      async openExtensionPage(path) {
        const page = await context.newPage();
        await page.goto(`chrome-extension://${id}/${path}`);
        return page;
      },
    };
    await use(extension);
    // A browser a failed test leaves may be in any state: only a passed test's is handed on.
    if (shared && testInfo.status === 'passed') await browserPool.keep(locale, { context, id, close: () => context.close() });
    else await context.close();
    await removePolicy?.();
  },
});

/**
 * Puts Precis back as a fresh install leaves it, in a browser a passed test used: its tabs closed;
 * the extension reloaded, which ends its worker, its pages and anything in flight; then, from a page
 * of the reloaded extension, its databases, storage and optional permissions cleared, and reloaded
 * again so that it starts on nothing, as after install (the update it sees rebuilds the menus and
 * the request rule from nothing). What the browser keeps outside the extension (chrome://extensions
 * settings) is not reset: a test that changes it asks for `freshBrowser`.
 *
 * Each reload is asked from a page of the extension (a worker the test stopped cannot be asked),
 * which first leaves a mark in storage.session: a reload empties it, so a page or worker that does
 * not see the mark belongs to the reloaded extension, not to the old one on its way out. The
 * worker returned is one Playwright did not list before the last reload: it may list the old
 * ones for seconds more.
 */
async function resetPrecis(context: BrowserContext, id: string): Promise<Worker> {
  const blank = await context.newPage();
  await Promise.all(context.pages().filter((page) => page !== blank).map((page) => page.close()));
  await context.clearCookies();
  await reloadFrom(await extensionDocument(context, id));
  const page = await extensionDocument(context, id);
  await page.evaluate(async () => {
    // The databases first: a worker that the storage change below wakes opens them empty. Dexie
    // closes its connection when asked to (versionchange), so nothing blocks the deletes.
    for (const { name } of await indexedDB.databases()) {
      await new Promise((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name!);
        request.onsuccess = resolve;
        request.onerror = () => reject(request.error);
      });
    }
    await Promise.all([chrome.storage.local.clear(), chrome.storage.session.clear(), chrome.storage.sync.clear()]);
    // Hosts granted at run time (a provider's), not those the manifest requires.
    const required = chrome.runtime.getManifest().host_permissions ?? [];
    const granted = ((await chrome.permissions.getAll()).origins ?? []).filter((origin: string) => !required.includes(origin));
    if (granted.length > 0) await chrome.permissions.remove({ origins: granted });
  });
  const old = new Set(context.serviceWorkers());
  await reloadFrom(page);
  let fresh: Worker | undefined;
  await expect
    .poll(async () => {
      for (const worker of context.serviceWorkers().filter((w) => !old.has(w))) {
        if (await worker.evaluate(reloadedWorker, resetMark).catch(() => false)) fresh = worker;
      }
      return fresh !== undefined;
    })
    .toBe(true);
  return fresh!;
}

const resetMark = 'precisResetMark';

const marked = async (mark: string) => (await chrome.storage.session.get(mark))[mark] === true;

/**
 * A worker of the reloaded extension, and done with its update: it has no mark, and has built the
 * menus (the e2e build records their ids in storage.session). A worker of the old extension on its
 * way out, asked after the reload emptied storage.session, saw neither (seen here: it then died).
 */
async function reloadedWorker(mark: string) {
  const session = await chrome.storage.session.get([mark, 'precisTestMenuIds']);
  return !!(globalThis as any).precisTest && session[mark] !== true && Array.isArray(session.precisTestMenuIds);
}

/** A document of the reloaded extension (its manifest: nothing to render), once it is loaded. */
async function extensionDocument(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  // Between a reload and the extension's return, its addresses are refused.
  await expect(async () => {
    await page.goto(`chrome-extension://${id}/manifest.json`);
    expect(await page.evaluate(marked, resetMark)).toBe(false);
  }).toPass();
  return page;
}

/** Reloads the extension from one of its documents; back once Chrome has closed that document. */
async function reloadFrom(page: Page) {
  await page.evaluate((mark) => chrome.storage.session.set({ [mark]: true }), resetMark);
  await Promise.all([page.waitForEvent('close'), page.evaluate(() => chrome.runtime.reload()).catch(() => {})]);
}

/** Fills in and saves the provider form of the options page, as a user does. */
export async function saveProviderInOptions(options: Page, fields: { baseUrl: string; model: string; apiKey: string; passphrase?: string }) {
  await options.getByLabel('Base URL').fill(fields.baseUrl);
  await options.getByLabel('Model', { exact: true }).fill(fields.model);
  await options.getByLabel('API key').fill(fields.apiKey);
  if (fields.passphrase) await options.getByLabel('Passphrase (optional)').fill(fields.passphrase);
  await options.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(options.getByTestId('notice')).toHaveText('Saved.');
}

/**
 * The sidebar's frame, inside its host's shadow root (closed in a real build; the e2e build opens it
 * so that Playwright's CSS locators can find the frame, whose content is another origin either way).
 */
export function sidebar(page: Page) {
  return page.locator('precis-sidebar iframe').contentFrame();
}

/** The sidebar's frame as a Frame, once it is there (for `evaluate` inside it). */
export async function sidebarFrame(page: Page): Promise<Frame> {
  await expect(sidebar(page).locator('aside')).toHaveCount(1);
  return page.frames().find((f) => f.url().endsWith('/sidebar-frame.html'))!;
}

/**
 * The side panel's page in a window of its own, following the active tab of the normal window:
 * automation cannot open the real panel (no gesture), and headless Chromium may not render one.
 */
export async function openPanel(extension: Extension, activeTab: Page): Promise<Page> {
  await activeTab.bringToFront();
  const [panel] = await Promise.all([
    extension.context.waitForEvent('page'),
    (await extension.worker()).evaluate(() => chrome.windows.create({ url: chrome.runtime.getURL('sidepanel.html'), type: 'popup', width: 420, height: 760 })),
  ]);
  await expect(panel.locator('main.panel')).toHaveAttribute('data-tab', /\d+/);
  return panel;
}

/** Asks a follow-up in the sidebar as a user does; the thread, to wait for the answer in. */
export async function askFollowUp(panel: Locator | FrameLocator, question: string): Promise<Locator> {
  const ask = panel.getByRole('textbox', { name: 'Ask a follow-up about this page…' });
  await ask.fill(question);
  await ask.press('Enter');
  return panel.getByRole('region', { name: 'Ask a follow-up about this page…' });
}

export { expect };
