// One protocol for every channel into and out of the background, with runtime schemas at the door.
// Views send these; the background parses them with `parseRequest` before doing anything.
import { z } from 'zod';

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

export const settingsInput = z.object({
  baseUrl: httpUrl,
  model: z.string().trim().min(1).max(200),
  /** Omitted: keep the stored key. Empty string: delete it. */
  apiKey: z.string().trim().max(500).optional(),
});
export type SettingsInput = z.infer<typeof settingsInput>;

/** Requests from extension pages (popup, options, sidebar) to the background. */
export const backgroundRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('settings.get') }),
  z.object({ type: z.literal('settings.save'), settings: settingsInput }),
  z.object({ type: z.literal('settings.test') }),
  z.object({ type: z.literal('summarise.activeTab') }),
  z.object({ type: z.literal('job.stop'), jobId: z.string().min(1).max(64) }),
  z.object({ type: z.literal('options.open') }),
]);
export type BackgroundRequest = z.infer<typeof backgroundRequest>;

/** What the background says to the content script in a tab. */
export type TabRequest =
  | { type: 'page.extract' }
  | { type: 'sidebar.show'; jobId: string }
  | { type: 'sidebar.show'; error: { kind: string; message: string } };

export interface PageContent {
  url: string;
  title: string;
  text: string;
  lang?: string;
}

export const pageContent = z.object({
  url: z.string().max(4096),
  title: z.string().max(2000),
  text: z.string(),
  lang: z.string().max(35).optional(),
});

/** Settings as views see them: never the key itself. */
export interface PublicSettings {
  baseUrl: string;
  model: string;
  hasKey: boolean;
  keyMask: string;
}

export type SummariseOutcome = { ok: true; jobId: string } | { ok: false; kind: string; message: string };

export type Verdict = { ok: true; detail: string } | { ok: false; kind: string; message: string };

export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** Ports are named by purpose: `job:<id>` streams one job to one view. */
export const jobPortPrefix = 'job:';

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
}

export function parseRequest(raw: unknown): BackgroundRequest {
  const parsed = backgroundRequest.safeParse(raw);
  if (!parsed.success) throw new Error(`Rejected message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
