// The background's door: every message from a view or a content script is parsed here before
// anything acts on it. Unknown types and malformed payloads are rejected with a clear error.
import { z } from 'zod';
import { preferencesPatch } from '../preferences';

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

const passphrase = z.string().min(8, 'a passphrase needs at least 8 characters').max(1000);

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
const jobId = id;

/** Requests from extension pages (popup, options, sidebar) to the background. */
export const backgroundRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('settings.get') }),
  z.object({ type: z.literal('settings.save'), settings: settingsInput }),
  z.object({ type: z.literal('settings.test') }),
  z.object({ type: z.literal('vault.unlock'), passphrase }),
  z.object({ type: z.literal('vault.lock') }),
  z.object({ type: z.literal('summarise.activeTab') }),
  z.object({ type: z.literal('job.stop'), jobId }),
  z.object({ type: z.literal('job.forget'), jobId }),
  /** From the sidebar: summarise the tab it lives in again (Regenerate bypasses the cache). */
  z.object({
    type: z.literal('summarise.thisTab'),
    regenerate: z.boolean(),
    origin: z.object({ selection: z.boolean().optional(), promptId: z.string().max(40).optional() }).optional(),
  }),
  z.object({ type: z.literal('options.open') }),
  z.object({ type: z.literal('cache.stats') }),
  z.object({ type: z.literal('chat.list') }),
  z.object({ type: z.literal('chat.get'), conversationId: id }),
  z.object({
    type: z.literal('chat.send'),
    conversationId: id.optional(),
    text: z.string().trim().min(1).max(100_000),
    attachPage: z.boolean(),
    model: z.string().trim().max(200).optional(),
    /** From the sidebar: start the conversation with this summary job's question and answer. */
    afterSummaryJobId: id.optional(),
  }),
  z.object({ type: z.literal('chat.retry'), conversationId: id }),
  z.object({ type: z.literal('chat.delete'), conversationId: id }),
  z.object({ type: z.literal('models.list') }),
  z.object({ type: z.literal('prefs.get') }),
  z.object({ type: z.literal('prefs.save'), patch: preferencesPatch }),
  z.object({ type: z.literal('privacy.export') }),
  z.object({ type: z.literal('privacy.deleteAll') }),
]);
export type BackgroundRequest = z.infer<typeof backgroundRequest>;

export const pageContent = z.object({
  url: z.string().max(4096),
  title: z.string().max(2000),
  text: z.string(),
  lang: z.string().max(35).optional(),
  byline: z.string().max(500).optional(),
  siteName: z.string().max(500).optional(),
  source: z.enum(['article', 'page', 'selection', 'plain']).optional(),
  truncated: z.boolean().optional(),
});

export function parseRequest(raw: unknown): BackgroundRequest {
  const parsed = backgroundRequest.safeParse(raw);
  if (!parsed.success) throw new Error(`Rejected message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
