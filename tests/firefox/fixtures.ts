// The Firefox e2e harness: Debian's Firefox ESR with the built add-on (.output/firefox-mv3-e2e),
// the mock LLM and the fixture pages on 127.0.0.1, driven over Marionette.
//
// The context menu is the real one, right-clicked and chosen as a user does. Automation reaches
// the rest by other ways where Firefox allows nothing else: extension pages open in tabs from the
// browser's chrome (as a link from about:addons does), and the event page is reached from one of them.
import { test as base, expect } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BrowserPool } from '../support/browser-pool';
import { addonId, addonOrigin, launchFirefox, type FirefoxSession } from '../support/firefox';
import { Keys, type ElementRef, type Marionette } from '../support/marionette';
import { startMockLlm, type MockLlm } from '../support/mock-llm';
import { startStaticServer } from '../support/static-server';
import { workerFixture } from '../support/worker-fixture';

const addonDir = resolve('.output/firefox-mv3-e2e');
const screenshotDir = resolve('test-results/screenshots');

/** What the e2e build's event page exposes (entrypoints/background/index.ts) that these tests use. */
export interface PrecisTest {
  saveSettings(settings: Record<string, unknown>): Promise<void>;
  /** Messages and ports the event page has received since it started. */
  traffic: { messages: number; ports: number };
}

export interface Settings {
  baseUrl: string;
  model: string;
  apiKey: string;
}

export interface Firefox {
  marionette: Marionette;
  /** The tab of the welcome page, which installing opened. */
  welcome: string;
  /**
   * Runs `fn` in an extension page with the event page's `precisTest` and the extension's `browser`
   * (woken if Firefox had stopped it). `fn` is sent as source: it sees only its arguments.
   */
  background<A extends unknown[], R>(fn: (precis: PrecisTest, browser: any, ...args: A) => R | Promise<R>, ...args: A): Promise<R>;
  /** Saves a provider through the same function the options page's Save calls. */
  configure(settings: Settings): Promise<void>;
  /** A new tab showing `url`, selected; its handle. */
  openTab(url: string): Promise<string>;
  /** An extension page (`options.html`) in a new selected tab, opened from the browser's chrome; its handle. */
  openExtensionPage(path: string): Promise<string>;
  /** Right-clicks the current tab, which shows `url`, and chooses Precis's item labelled `label` in the menu. */
  menu(url: string, label?: string): Promise<void>;
  /** Makes the tab `handle` current for commands (its top document); `select` also shows it. */
  use(handle: string, opts?: { select?: boolean }): Promise<void>;
  /** Makes the in-page sidebar of the tab `handle` current for commands, once it is there. */
  useSidebar(handle: string): Promise<void>;
  /** Stops the event page, as Firefox does to an idle one. */
  stopBackground(): Promise<void>;
  /** Presses the add-on's shortcut (Alt+Shift+S) in the browser window, on the current tab. */
  shortcut(): Promise<void>;
  /**
   * The current tab (its top document, frames included), or with `window` the whole browser window
   * with the side panel, into test-results/screenshots/`name`.png. The window's capture leaves out
   * what is translucent in an extension's frames (a disabled button at opacity 0.6): the tab's does not.
   */
  screenshot(name: string, opts?: { window?: boolean }): Promise<void>;
  /** Runs `fn` on the side panel's document (sent as source); undefined while the panel is not open. */
  inSidePanel<A extends unknown[], R>(fn: (doc: Document, ...args: A) => R, ...args: A): Promise<R | undefined>;
}

/** Polls `probe` until it returns something truthy (or `timeout` passes): that value. */
export async function waitFor<R>(probe: () => Promise<R>, what: string, timeout = 10_000): Promise<NonNullable<R>> {
  const deadline = Date.now() + timeout;
  let last: R | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (last) return last as NonNullable<R>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what} (last: ${JSON.stringify(last)}${lastError ? `, ${String(lastError)}` : ''})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The trimmed text of the first element matching `css` in the current document, or "". */
export function textOf(marionette: Marionette, css: string): Promise<string> {
  return marionette.execute((selector: string) => document.querySelector(selector)?.textContent?.trim() ?? '', css);
}

/** Waits until the current document's `css` element has text that `match` accepts; that text. */
export function waitForText(marionette: Marionette, css: string, match: string | RegExp, timeout?: number): Promise<string> {
  const accepts = (text: string) => (typeof match === 'string' ? text === match : match.test(text));
  return waitFor(async () => {
    const text = await textOf(marionette, css);
    return accepts(text) ? text : undefined;
  }, `${css} to read ${String(match)}`, timeout);
}

/** The control labelled `label`, the way a user finds a field. */
export function byLabel(marionette: Marionette, label: string): Promise<ElementRef> {
  return waitFor(
    () =>
      marionette.execute((text: string) => {
        const labelled = [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
        return (labelled?.control ?? [...document.querySelectorAll("input, textarea, select")].find((f) => f.getAttribute("aria-label") === text || f.getAttribute("placeholder") === text)) as unknown as ElementRef | null;
      }, label),
    `a field labelled "${label}"`,
  );
}

/** The button whose accessible text is `name`. */
export function button(marionette: Marionette, name: string): Promise<ElementRef> {
  return waitFor(
    () =>
      marionette.execute(
        (text: string) => [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === text) as unknown as ElementRef | null,
        name,
      ),
    `a button "${name}"`,
  );
}

/** Types `text` into the field, replacing what it held, and optionally presses Enter. */
export async function fill(marionette: Marionette, field: ElementRef, text: string, { enter = false } = {}) {
  await marionette.clear(field);
  await marionette.type(field, enter ? text + Keys.enter : text);
}

export const test = base.extend<
  { firefox: Firefox; mock: MockLlm; firefoxColorScheme: 'light' | 'dark' },
  { site: { url: string; close(): Promise<void> }; firefoxPool: BrowserPool<FirefoxSession> }
>({
  firefoxColorScheme: ['light', { option: true }],
  // The worker's Firefox, by colour scheme (a launch preference): the next test reinstalls the add-on in it.
  firefoxPool: workerFixture(() => new BrowserPool<FirefoxSession>()),
  site: workerFixture(() => startStaticServer(resolve('tests/e2e/pages'))),
  mock: async ({}, use) => {
    const mock = await startMockLlm();
    await use(mock);
    await mock.close();
  },
  firefox: async ({ firefoxColorScheme, firefoxPool }, use, testInfo) => {
    const reused = firefoxPool.take(firefoxColorScheme);
    const session = reused ?? (await launchFirefox(addonDir, { colorScheme: firefoxColorScheme }));
    let handedOn = false;
    // Whatever fails before or after the test, Firefox and its profile go; only a passed test's Firefox is handed on.
    try {
      if (reused) await session.reinstallAddon();
      const m = session.marionette;
      // Installing opens the welcome page; the harness keeps it as its way into the event page.
      const welcome = `${addonOrigin}/welcome.html`;
      const driver = await waitFor(async () => {
        for (const handle of await m.handles()) {
          await m.switchToWindow(handle, { focus: false });
          // Its address is set before its document has loaded: the extension's globals come with the document.
          if ((await m.url()) === welcome && (await m.execute(() => document.readyState === 'complete' && typeof (globalThis as any).browser === 'object'))) return handle;
        }
        return undefined;
      }, 'the welcome page that install opens');
      let current = driver;

      const firefox: Firefox = {
        marionette: m,
        welcome: driver,
        async background(fn, ...args) {
          const back = current;
          await m.switchToWindow(driver, { focus: false });
          try {
            return await m.executeScript(`const [fn, args] = [${fn.toString()}, arguments[0]];
              return browser.runtime.getBackgroundPage().then((page) => fn(page.precisTest, browser, ...args));`, [args]);
          } finally {
            await m.switchToWindow(back, { focus: false });
          }
        },
        configure: (settings) => firefox.background((precis, _browser, s) => precis.saveSettings(s), { presetId: 'custom', ...settings }),
        async openTab(url) {
          current = await m.newTab();
          await m.navigate(url);
          return current;
        },
        async openExtensionPage(path) {
          const before = new Set(await m.handles());
          await m.inChrome((url: string) => {
            const w = window as any;
            w.gBrowser.selectedTab = w.gBrowser.addTab(url, { triggeringPrincipal: w.Services.scriptSecurityManager.getSystemPrincipal() });
          }, `${addonOrigin}/${path}`);
          current = await waitFor(async () => (await m.handles()).find((h) => !before.has(h)), `the tab of ${path}`);
          await m.switchToWindow(current);
          await waitFor(async () => (await m.url()).endsWith(path) && (await m.execute(() => document.readyState === 'complete')), `${path} to load`);
          return current;
        },
        async menu(url, label = 'Summarise page') {
          await m.switchToFrame(null);
          const shown = await m.url();
          if (shown !== url) throw new Error(`menu: the current tab shows ${shown}, not ${url}`);
          // A real right-click on the page, then a real choice of the item: Firefox makes the
          // activeTab grant and counts the user gesture as it does for a user.
          const target = await m.execute(() => document.body as unknown as ElementRef);
          await m.command('WebDriver:PerformActions', {
            actions: [
              {
                type: 'pointer',
                id: 'mouse',
                parameters: { pointerType: 'mouse' },
                actions: [{ type: 'pointerMove', origin: target, x: 0, y: 0 }, { type: 'pointerDown', button: 2 }, { type: 'pointerUp', button: 2 }],
              },
            ],
          });
          await m.command('WebDriver:ReleaseActions');
          const idPrefix = `${addonId.replace(/[^a-z0-9_-]/gi, '_')}-menuitem-`;
          await waitFor(
            () =>
              m.inChrome(
                (prefix: string, text: string) => {
                  const menu = document.getElementById('contentAreaContextMenu') as any;
                  const item = [...menu.querySelectorAll('menuitem')].find((i: any) => i.id.startsWith(prefix) && i.getAttribute('label') === text && !i.hidden);
                  if (menu.state !== 'open' || !item) return false;
                  menu.activateItem(item);
                  return true;
                },
                idPrefix,
                label,
              ),
            `the context menu with "${label}"`,
          );
        },
        async use(handle, { select = false } = {}) {
          current = handle;
          await m.switchToWindow(handle, { focus: select });
        },
        async useSidebar(handle) {
          await firefox.use(handle);
          // The frame's host has an open shadow root in the e2e build (closed in a real one).
          const frame = await waitFor(async () => {
            await m.switchToFrame(null);
            if (!(await m.execute(() => !!document.querySelector('precis-sidebar')))) return undefined;
            return m.find('iframe', await m.shadowRoot(await m.find('precis-sidebar')));
          }, 'the sidebar');
          await m.switchToFrame(frame);
          await waitFor(() => m.execute(() => document.readyState === 'complete' && !!document.querySelector('aside')), 'the sidebar to render');
        },
        stopBackground: () =>
          m.inChrome(async (id: string) => {
            const { ExtensionParent } = (globalThis as any).ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
            await ExtensionParent.GlobalManager.getExtension(id).terminateBackground();
          }, addonId),
        async shortcut() {
          // Marionette's key actions go to the page and never reach the browser's shortcuts, so the
          // command event is sent to the <key> Firefox built for the add-on's shortcut: the same
          // handler a keystroke runs, as user input (what lets the add-on open the sidebar).
          const pressed = await m.inChrome(() => {
            const key = [...document.querySelectorAll('keyset[id^="ext-keyset-id-"] key')].find(
              (k) => k.getAttribute('key') === 'S' && k.getAttribute('modifiers') === 'alt,shift',
            );
            if (!key) return false;
            const event = document.createEvent('XULCommandEvent') as Event & { initCommandEvent(...args: unknown[]): void };
            event.initCommandEvent('command', true, true, window, 0, false, false, false, false, 0, null, 0);
            key.dispatchEvent(event);
            return true;
          });
          if (!pressed) throw new Error('No Alt+Shift+S key for the add-on in the browser window');
        },
        async screenshot(name, { window = false } = {}) {
          await mkdir(screenshotDir, { recursive: true });
          if (!window) {
            await m.switchToFrame(null);
            await writeFile(resolve(screenshotDir, `${name}.png`), await m.screenshot());
            return;
          }
          await m.setContext('chrome');
          try {
            await writeFile(resolve(screenshotDir, `${name}.png`), await m.screenshot());
          } finally {
            await m.setContext('content');
          }
        },
        async inSidePanel(fn, ...args) {
          const back = current;
          await m.switchToWindow(driver, { focus: false });
          try {
            // The panel's document is another extension view, reachable from an extension page.
            return await m.executeScript(`const [fn, args] = [${fn.toString()}, arguments[0]];
              const [view] = browser.extension.getViews({ type: 'sidebar' });
              return view && view.document.readyState === 'complete' ? fn(view.document, ...args) : undefined;`, [args]);
          } finally {
            await m.switchToWindow(back, { focus: false });
          }
        },
      };
      await use(firefox);
      if (testInfo.status !== testInfo.expectedStatus) {
        await m.switchToWindow(current).catch(() => {});
        const shot = await m.screenshot().catch(() => undefined);
        if (shot) await testInfo.attach('screenshot', { body: shot, contentType: 'image/png' });
      } else if (testInfo.status === 'passed') {
        await firefoxPool.keep(firefoxColorScheme, session);
        handedOn = true;
      }
    } finally {
      if (!handedOn) await session.close();
    }
  },
});

export { expect };
