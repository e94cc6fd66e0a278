// What the application core needs from the browser, as small interfaces the background implements
// with its APIs (and tests with plain fakes). Nothing here names a browser global.
import type { PrecisDb } from '../db';
import type { LlmClient } from '../llm';
import type { DeviceKeyStore } from '../security/vault';
import type { JobIo } from '../jobs/runner';
import type { TokenCounter } from '../extract/tokens';
import type { PdfReader } from '../pdf/collect';
import type { MenuItem } from './menus';
import type { ContentScriptName, TabRequest } from './tab-protocol';

/** A tab, as much of it as the core looks at. */
export interface TabRef {
  id?: number;
  url?: string;
}

/** One storage area (storage.local, storage.session): JSON values by key. */
export interface KeyValueArea {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface Tabs {
  /** The tab the user is looking at: the active tab of the last focused normal window. */
  active(): Promise<TabRef | undefined>;
  /** The tab with this id, or undefined when it was closed. */
  get(tabId: number): Promise<TabRef | undefined>;
  send(tabId: number, request: TabRequest): Promise<unknown>;
  /** Sends the tab to `url` (a PDF's own address with `#page=N`: its viewer opens that page). */
  navigate(tabId: number, url: string): Promise<void>;
  /** Injects a content script; rejects where the browser keeps extensions out. */
  inject(tabId: number, script: ContentScriptName): Promise<void>;
}

/** The browser's built-in model, which runs in the page (it is not exposed to workers). */
export interface OnDeviceModel {
  ready(tabId: number): Promise<boolean>;
  /** Resolves when the page has streamed the whole summary into `io`. */
  run(tabId: number, io: JobIo): Promise<void>;
}

export interface Platform {
  /** The administrator's policy (storage.managed), raw; absent or {} when the browser is unmanaged. */
  managed?(): Promise<unknown>;
  /** The one database (lib/db.ts); Dexie opens it on first use. */
  db: PrecisDb;
  /** Where the vault's device key lives. */
  deviceKeys: DeviceKeyStore;
  local: KeyValueArea;
  session: KeyValueArea;
  tabs: Tabs;
  /** The LLM client's `fetch`: the network. */
  fetch: typeof fetch;
  /** Points the Origin rewrite for local servers at this base URL ('' removes it). */
  setLocalOriginRule(baseUrl: string): Promise<void>;
  openOptions(): Promise<void>;
  /** Opens the welcome page (first run, and setup from the popup) in a new tab. */
  openWelcome(): Promise<void>;
  /** Replaces the context menu with these items (the core calls it one rebuild at a time). */
  setMenu(items: MenuItem[]): Promise<void>;
  /** Loads the token counter the first time a page is long. */
  loadCounter(): Promise<TokenCounter>;
  /** Reads a PDF's pages (Chrome: pdf.js in the offscreen document). */
  readPdf: PdfReader;
  /**
   * Opens the side panel in `tabId`'s window. Synchronous on purpose: the browser allows it only
   * within the user's gesture, so it is called before anything is awaited. `thisTab`: the page needs
   * the panel whatever the user chose (a PDF), so it is shown for this tab even where it is not
   * everywhere. `ifChosen`: a blind try before the choice is known; it shows only where the panel
   * is on everywhere (see `setPanelEverywhere`).
   */
  openPanel?(tabId: number, opts?: { thisTab?: boolean; ifChosen?: boolean }): void;
  /**
   * Whether the side panel is on for every tab: the user's choice of surface, kept across worker
   * restarts (by the browser in Chrome, in the event page's synchronous localStorage in Firefox),
   * where a worker that wakes in a gesture can use it without awaiting a read.
   */
  setPanelEverywhere?(on: boolean): void;
  /** Keeps the worker alive while `busy()` says jobs are streaming. */
  keepAliveWhile(busy: () => boolean): void;
  now?: () => number;
}

export type { LlmClient };

/** A runtime port, as much of it as the core uses. */
export interface PortLike {
  readonly name: string;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage(listener: (message: unknown) => void): void;
  onDisconnect(listener: () => void): void;
}
