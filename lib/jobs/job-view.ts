// A job as views see it, and the one list of which statuses are still in progress.
import type { ErrorView } from '../errors';
import type { JobUsage } from './usage';

export type JobStatus = 'queued' | 'running' | 'waiting' | 'done' | 'error' | 'stopped' | 'interrupted';

/** Statuses that mean "a worker is working on it": after a restart, nobody is. */
export const liveStatuses: readonly JobStatus[] = ['queued', 'running', 'waiting'];

export const isLive = (status: JobStatus): boolean => liveStatuses.includes(status);

/** What a summary job was asked to do, so Regenerate and Resume can ask again. */
export interface SummaryOrigin {
  /** Summarise the selection rather than the whole page. */
  selection?: boolean;
  /** Run this custom prompt rather than the summary prompt. */
  promptId?: string;
  /** On a video page without a transcript: the video's description, as what it is. */
  videoDescription?: boolean;
}

/** The job as a view renders it. */
export interface JobView {
  id: string;
  kind: 'summary' | 'chat';
  title: string;
  /** Direction of the title's text (the page's); unset: unknown. The summary's own may differ. */
  titleDir?: 'ltr' | 'rtl' | 'auto';
  status: JobStatus;
  text: string;
  /** When the job was started (epoch ms). */
  createdAt: number;
  /** When the status last changed (epoch ms): how long it has been waiting, or writing. Unset in jobs stored before it existed. */
  statusSince?: number;
  /** Counts restarts in place (a worker that died under the job): a view replaces its text when it changes. */
  run?: number;
  /**
   * Set while waiting or queued: when the next attempt may start (epoch ms), and why: a retry
   * (`rate_limited`, `server_error`, `network`, `circuit_open`), or the queue (`slots`: every
   * request slot is taken; `pacing`: keeping to the provider's rate).
   */
  waitUntil?: number;
  waitReason?: string;
  /** While queued for a slot: how many requests are under way, of how many allowed. */
  slots?: { running: number; limit: number };
  error?: ErrorView;
  /** Long pages: which part the job is on. */
  progress?: { phase: 'read' | 'map' | 'reduce'; done: number; total: number };
  /** Set when the answer was replayed from the cache: when it was first generated (epoch ms). */
  cachedAt?: number;
  origin?: SummaryOrigin;
  /** Tokens the answer took (or, from the cache, saved), when the server reports them. */
  usage?: JobUsage;
  /**
   * The page's units were numbered for citations: `key` names that extraction's text (the page
   * reader keeps its unit map under it), `units` how many there are. A citation outside 1..units is
   * dropped.
   */
  citations?: { key: string; units: number };
  /** Words of the page the summary was made from, of the page's words: a cut is never silent. */
  coverage?: { read: number; total: number };
  /** Of a video's transcript: the times in its text play the video from there. */
  video?: boolean;
  /** That video: its id (the page reader keeps its transcript under it, for a time's passage) and its length. */
  videoRef?: { id: string; seconds: number };
  /**
   * Of a PDF, once read: its page count (its page citations of pages 1..pages open the page), and,
   * for a file picked in the side panel, the blob: URL that panel made for it (no tab shows it).
   */
  pdf?: { pages: number; picked?: string };
  /** No provider is set up: written without one, by ranking the page's sentences or by the browser's own model. */
  offline?: 'extractive' | 'on-device';
}
