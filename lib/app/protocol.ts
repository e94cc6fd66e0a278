// The one protocol into the background: for each message type, its request schema, its reply type
// and who may send it. Request types are inferred from the schemas; the background's handler table
// must return each type's reply (checked at compile time), and views' `sendRequest` is typed by it.
// Views import this file for types only (`import type`), so the schema library stays out of them.
import { z } from 'zod';
import type { CacheStats } from '../cache/stats';
import type { Conversation } from '../chat/conversation';
import type { ConversationSummary } from '../chat/store';
import type { ErrorView } from '../errors';
import type { Preferences } from '../preferences';
import { preferencesPatch } from '../preferences';
import type { AuditRecord } from '../privacy/records';
import { minPassphraseLength } from '../security/vault';
import type { ForgetResult } from '../privacy/forget';
import type { UserDataExport } from '../privacy/export';
import type { LibraryItem } from '../library/entry';
import type { LibraryListing, MarkdownFile } from '../library/library';
import type { SidebarContent } from './page-access';
import type { Locks } from './policy';

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const passphrase = z.string().min(minPassphraseLength, `a passphrase needs at least ${minPassphraseLength} characters`).max(1000);

const headerName = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid header name');

export const settingsInput = z.object({
  presetId: z.string().trim().min(1).max(40),
  /** Empty: the preset's own base URL. */
  baseUrl: z.union([httpUrl, z.literal('')]),
  /** Empty: the preset's default model (Azure: the deployment is the model). */
  model: z.string().trim().max(200),
  /** Only for the custom preset: which API the endpoint speaks. */
  kind: z.enum(['openai', 'anthropic']).optional(),
  azure: z.object({ resource: z.string().trim().max(500), deployment: z.string().trim().max(200), apiVersion: z.string().trim().max(40).optional() }).optional(),
  /** Extra headers for gateways (team proxies); their values are sealed like the key. Omitted: keep. */
  headers: z.record(headerName, z.string().max(2000)).refine((h) => Object.keys(h).length <= 20, 'at most 20 headers').optional(),
  /** Omitted: keep the stored key. Empty string: delete it. */
  apiKey: z.string().trim().max(500).optional(),
  /** With a new key: seal it under this passphrase instead of the device key. */
  passphrase: passphrase.optional(),
});
export type SettingsInput = z.infer<typeof settingsInput>;

const id = z.string().min(1).max(64);
/** `summary:<job id>` or `chat:<conversation id>`. */
const entryId = z.string().regex(/^(summary|chat):.{1,64}$/, 'not a library entry');
/** The tab the side panel shows (an extension page names it; a content script's own tab wins). */
const tabId = z.number().int().nonnegative();
const surface = z.enum(['sidebar', 'panel']);
const citedUnit = z.number().int().min(1).max(10_000_000);
const origin = z.object({ selection: z.boolean().optional(), promptId: z.string().max(40).optional(), videoDescription: z.boolean().optional() });

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
  /** What the administrator fixed, when the browser is managed: those fields are read-only. */
  managed?: Locks;
}

export type SummariseOutcome = { ok: true; jobId: string } | ({ ok: false } & ErrorView);
export type Verdict = { ok: true; detail: string } | ({ ok: false } & ErrorView);
export interface ChatStarted {
  conversationId: string;
  jobId: string;
}

/**
 * Who may send a message. `page`: extension pages only (popup, options). `tab`: also a content
 * script, acting on the tab it runs in (the sidebar).
 */
export type Audience = 'page' | 'tab';

interface MessageSpec {
  audience: Audience;
  /** The request's fields besides `type`. */
  shape: z.ZodRawShape;
  /** Type only: what the handler answers. */
  reply: unknown;
}

/** Names a reply type; the value is never read. */
const replies = <R>() => undefined as R;

const chatSend = {
  conversationId: id.optional(),
  text: z.string().trim().min(1).max(100_000),
  attachPage: z.boolean(),
  model: z.string().trim().max(200).optional(),
  /** From the sidebar: start the conversation with this summary job's question and answer. */
  afterSummaryJobId: id.optional(),
  /** From the side panel: the tab whose page the thread is about. */
  tabId: tabId.optional(),
};

/** Every message the background accepts. */
export const protocol = {
  'settings.get': { audience: 'page', shape: {}, reply: replies<PublicSettings>() },
  'settings.save': { audience: 'page', shape: { settings: settingsInput }, reply: replies<PublicSettings>() },
  /** One real, tiny request and a precise verdict. */
  'settings.test': { audience: 'page', shape: {}, reply: replies<Verdict>() },
  'vault.unlock': { audience: 'page', shape: { passphrase }, reply: replies<PublicSettings>() },
  'vault.lock': { audience: 'page', shape: {}, reply: replies<PublicSettings>() },
  /** From the popup: summarise the tab the user is looking at. */
  /** `surface`: the popup opened the side panel in the click, so the summary goes there. */
  'summarise.activeTab': { audience: 'page', shape: { surface: surface.optional() }, reply: replies<SummariseOutcome>() },
  /** From the sidebar: summarise the tab it lives in again (Regenerate bypasses the cache); from the side panel, the tab it shows. */
  'summarise.thisTab': { audience: 'tab', shape: { regenerate: z.boolean(), origin: origin.optional(), tabId: tabId.optional() }, reply: replies<SummariseOutcome>() },
  /** From the side panel: a PDF file the user picked, as a `blob:` URL of our own origin, shown for tab `tabId`. */
  'summarise.pdfFile': {
    audience: 'page',
    shape: { tabId, url: z.string().max(200).startsWith('blob:'), name: z.string().trim().min(1).max(300) },
    reply: replies<SummariseOutcome>(),
  },
  /** From the side panel: what it shows for tab `tabId` (a job, or an error). */
  'panel.content': { audience: 'page', shape: { tabId }, reply: replies<SidebarContent | undefined>() },
  'job.stop': { audience: 'tab', shape: { jobId: id }, reply: replies<boolean>() },
  /** "Forget this page": the cached answers behind a summary. */
  'job.forget': { audience: 'tab', shape: { jobId: id }, reply: replies<ForgetResult>() },
  'options.open': { audience: 'tab', shape: {}, reply: replies<void>() },
  /** From the sidebar: play its tab's video from a time its summary cites. */
  'video.seek': { audience: 'tab', shape: { seconds: z.number().min(0).max(7 * 24 * 3600), tabId: tabId.optional() }, reply: replies<boolean>() },
  /** From the sidebar's frame: what its tab's sidebar shows (a job, or an error). */
  'sidebar.content': { audience: 'tab', shape: {}, reply: replies<SidebarContent | undefined>() },
  /**
   * From the sidebar's frame: show where unit `unit` of a summary's page is (scroll and highlight
   * it in the page), or quote it. Only for a summary of the sender's own tab; the background asks
   * that tab's page reader, so the page itself never sees nor can forge the request.
   */
  'citation.show': { audience: 'tab', shape: { jobId: id, unit: citedUnit, tabId: tabId.optional() }, reply: replies<boolean>() },
  'citation.quote': { audience: 'tab', shape: { jobId: id, unit: citedUnit, tabId: tabId.optional() }, reply: replies<string | undefined>() },
  /**
   * From the side panel (PDFs are shown nowhere else), a PDF summary's page citation: open page `page` of the PDF in the tab the summary was made in
   * (false when that tab no longer shows it), or the page's opening words (from the job: no tab needed).
   */
  'pdf.open': { audience: 'page', shape: { jobId: id, page: citedUnit, tabId: tabId.optional() }, reply: replies<boolean>() },
  'pdf.quote': { audience: 'page', shape: { jobId: id, page: citedUnit }, reply: replies<string | undefined>() },
  /** A video summary's time: what the transcript says there, asked of the page reader that read it. */
  'video.quote': { audience: 'tab', shape: { jobId: id, seconds: z.number().min(0).max(7 * 24 * 3600), tabId: tabId.optional() }, reply: replies<string | undefined>() },
  /** From the popup, until a provider is set up: the guided setup. */
  'welcome.open': { audience: 'page', shape: {}, reply: replies<void>() },
  'cache.stats': { audience: 'page', shape: {}, reply: replies<CacheStats>() },
  'chat.list': { audience: 'page', shape: {}, reply: replies<ConversationSummary[]>() },
  'chat.get': { audience: 'tab', shape: { conversationId: id }, reply: replies<Conversation | undefined>() },
  /** A question; from the sidebar always about the tab it lives in. */
  'chat.send': { audience: 'tab', shape: chatSend, reply: replies<ChatStarted>() },
  /** From a sidebar: only its own page's thread. */
  'chat.retry': { audience: 'tab', shape: { conversationId: id }, reply: replies<ChatStarted>() },
  /** From a sidebar: its page's follow-up thread, to show again under the summary. */
  'chat.forPage': { audience: 'tab', shape: { tabId: tabId.optional() }, reply: replies<Conversation | undefined>() },
  'chat.delete': { audience: 'page', shape: { conversationId: id }, reply: replies<void>() },
  'models.list': { audience: 'page', shape: {}, reply: replies<string[]>() },
  'prefs.get': { audience: 'tab', shape: {}, reply: replies<Preferences>() },
  'prefs.save': { audience: 'page', shape: { patch: preferencesPatch }, reply: replies<Preferences>() },
  /** The library page: summaries and chats, newest first, by words of the title, URL or text. */
  'library.list': {
    audience: 'page',
    shape: { text: z.string().max(500).optional(), kind: z.enum(['summary', 'chat']).optional(), site: z.string().max(300).optional() },
    reply: replies<LibraryListing>(),
  },
  'library.get': { audience: 'page', shape: { id: entryId }, reply: replies<LibraryItem | undefined>() },
  'library.delete': { audience: 'page', shape: { id: entryId }, reply: replies<void>() },
  /** One entry, or (no id) the whole library, as a Markdown file. */
  'library.markdown': { audience: 'page', shape: { id: entryId.optional() }, reply: replies<MarkdownFile | undefined>() },
  'privacy.export': { audience: 'page', shape: {}, reply: replies<UserDataExport>() },
  'privacy.deleteAll': { audience: 'page', shape: {}, reply: replies<AuditRecord>() },
} satisfies Record<string, MessageSpec>;

type Protocol = typeof protocol;
export type RequestType = keyof Protocol;
/** A message with no fields but its type has an empty shape, which zod would type as `Record<string, never>`. */
type FieldsOf<S extends z.ZodRawShape> = keyof S extends never ? unknown : z.infer<z.ZodObject<S>>;
export type RequestOf<T extends RequestType> = { type: T } & FieldsOf<Protocol[T]['shape']>;
export type ReplyOf<T extends RequestType> = Protocol[T]['reply'];
export type BackgroundRequest = { [T in RequestType]: RequestOf<T> }[RequestType];

/** What crosses back to the sender: the reply, or the error as data. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorView };

const requestSchema = z.discriminatedUnion(
  'type',
  Object.entries(protocol).map(([type, spec]) => z.object({ type: z.literal(type), ...spec.shape })) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export const audienceOf = (type: RequestType): Audience => protocol[type].audience;

/** Parses a raw message; the problem, in words, when it is not one of ours. */
export function parseRequest(raw: unknown): { ok: true; request: BackgroundRequest } | { ok: false; problem: string } {
  const parsed = requestSchema.safeParse(raw);
  if (parsed.success) return { ok: true, request: parsed.data as BackgroundRequest };
  return { ok: false, problem: parsed.error.issues[0]?.message ?? 'invalid' };
}
