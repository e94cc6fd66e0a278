// One protocol for every channel into and out of the background. The runtime schemas that
// guard the background's door live in security/schemas.ts.
// Types only: views import this file, and must not pull the schema library into their bundles.
export type { BackgroundRequest, SettingsInput } from './security/schemas';

/** Our two content scripts: the page reader, and the sidebar's UI. */
export type ContentScriptName = 'reader' | 'sidebar';

/** What the background says to the content scripts in a tab. */
export type TabRequest =
  /** Is this content script already in the tab? Answered only by the one named. */
  | { type: 'ping'; script: ContentScriptName }
  | { type: 'ondevice.ready' }
  /** Run the on-device model on the page and stream the text back on port `ondevice:<token>`. */
  | { type: 'ondevice.run'; token: string }
  | { type: 'page.extract'; useSelection: boolean }
  | { type: 'sidebar.show'; jobId: string }
  | { type: 'sidebar.show'; error: { kind: string; message: string } };

export interface PageContent {
  url: string;
  title: string;
  text: string;
  lang?: string;
  byline?: string;
  siteName?: string;
  /** Where `text` came from: Readability's article, the page's visible text, the selection, a text/plain page. */
  source?: 'article' | 'page' | 'selection' | 'plain';
  /** The page was longer than extraction keeps: `text` is its beginning. */
  truncated?: boolean;
}


/** Settings as views see them: never the key itself. */
export interface PublicSettings {
  presetId: string;
  baseUrl: string;
  model: string;
  kind?: 'openai' | 'anthropic';
  azure?: { resource: string; deployment: string; apiVersion?: string };
  /** Names of the extra headers; their values, which may be credentials, stay in the background. */
  headerNames: string[];
  /** Whether a provider was ever saved (until then summaries are made offline). */
  configured: boolean;
  hasKey: boolean;
  keyMask: string;
  /** The key is sealed under the user's passphrase. */
  passphraseProtected: boolean;
  /** …and not unlocked in this browser session, so requests cannot use it yet. */
  locked: boolean;
}

export type SummariseOutcome = { ok: true; jobId: string } | { ok: false; kind: string; message: string };

export type Verdict = { ok: true; detail: string } | { ok: false; kind: string; message: string };

export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** What a summary job was asked to do, so Regenerate and Resume can ask again. */
export interface SummaryOrigin {
  /** Summarise the selection rather than the whole page. */
  selection?: boolean;
  /** Run this custom prompt rather than the summary prompt. */
  promptId?: string;
}

/** Ports are named by purpose: `job:<id>` streams one job to one view. */
export const jobPortPrefix = 'job:';
/** `ondevice:<token>`: the content script streams an on-device summary to the background job. */
export const onDevicePortPrefix = 'ondevice:';

export type OnDevicePortMessage = { type: 'delta'; text: string } | { type: 'done' } | { type: 'error'; message: string };

export type JobPortMessage =
  | { type: 'snapshot'; job: JobView }
  | { type: 'delta'; text: string }
  | { type: 'status'; job: JobView };

export type JobStatus = 'queued' | 'running' | 'waiting' | 'done' | 'error' | 'stopped' | 'interrupted';

/** The job as a view renders it. */
export interface JobView {
  id: string;
  kind: 'summary' | 'chat';
  title: string;
  status: JobStatus;
  text: string;
  /** Set while waiting: when the next attempt may start (epoch ms), and why. */
  waitUntil?: number;
  waitReason?: string;
  error?: { kind: string; message: string };
  /** Long pages: which part the job is on. */
  progress?: { phase: 'map' | 'reduce'; done: number; total: number };
  /** Set when the answer was replayed from the cache: when it was first generated (epoch ms). */
  cachedAt?: number;
  origin?: SummaryOrigin;
  /** No provider is set up: written without one, by ranking the page's sentences or by the browser's own model. */
  offline?: 'extractive' | 'on-device';
}
