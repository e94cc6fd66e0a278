// A job as views see it, and the one list of which statuses are still in progress.
import type { ErrorView } from '../errors';

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
}

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
  error?: ErrorView;
  /** Long pages: which part the job is on. */
  progress?: { phase: 'map' | 'reduce'; done: number; total: number };
  /** Set when the answer was replayed from the cache: when it was first generated (epoch ms). */
  cachedAt?: number;
  origin?: SummaryOrigin;
  /** No provider is set up: written without one, by ranking the page's sentences or by the browser's own model. */
  offline?: 'extractive' | 'on-device';
}
