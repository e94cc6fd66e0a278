import { isLive, type JobView } from '../lib/jobs/job-view';
import { t, type MessageKey } from './i18n';
import type { FollowedJob } from './useJob';
import { useNow } from './useNow';

const waitText: Record<string, MessageKey> = {
  rate_limited: 'waitRateLimited',
  server_error: 'waitServerError',
  network: 'waitNetwork',
  circuit_open: 'waitCircuitOpen',
};

const statusText: Partial<Record<JobView['status'], MessageKey>> = {
  running: 'statusRunning',
  done: 'statusDone',
  stopped: 'statusStopped',
  interrupted: 'statusInterrupted',
};

/** Silence this long in the middle of an answer is worth saying: a stream rarely pauses for seconds. */
export const quietAfterMs = 5_000;

/** How long a writing job has heard nothing, once that is long enough to tell the user; else undefined. */
export function quietFor(job: FollowedJob, now: number): number | undefined {
  if (job.status !== 'running' || !job.text) return undefined;
  const silent = now - job.heardAt;
  return silent >= quietAfterMs ? silent : undefined;
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** What the job is doing, in words, with the time it has been doing it where waiting is involved. */
function describe(job: FollowedJob, now: number): string {
  const elapsed = { seconds: seconds(now - (job.statusSince ?? job.createdAt)) };
  if (job.status === 'waiting' && job.waitUntil) {
    return t(waitText[job.waitReason ?? ''] ?? 'waitServerError', { seconds: Math.ceil(Math.max(0, job.waitUntil - now) / 1000) });
  }
  if (job.status === 'queued') {
    if (job.waitReason === 'pacing' && job.waitUntil) return t('queuedPacing', { seconds: Math.ceil(Math.max(0, job.waitUntil - now) / 1000) });
    if (job.slots) return t('queuedSlots', { ...job.slots, ...elapsed });
    return t('statusQueued', elapsed);
  }
  if (job.status === 'running' && !job.text) {
    // Long pages: parts first, then the notes are combined. Otherwise nothing has come back yet.
    if (job.progress?.phase === 'read') return t('progressPages', job.progress);
    if (job.progress) return job.progress.phase === 'map' ? t('progressMap', job.progress) : t('progressReduce');
    return t('waitingForModel', elapsed);
  }
  const quiet = quietFor(job, now);
  if (quiet !== undefined) return t('providerQuiet', { seconds: seconds(quiet) });
  const key = statusText[job.status];
  return key ? t(key) : '';
}

export function JobStatusLine({ job }: { job: FollowedJob }) {
  // Ticks only while the job is live: a finished view does nothing.
  const now = useNow(isLive(job.status));
  const text = describe(job, now);
  if (!text) return null;
  return (
    <p className="status" role="status" aria-live="polite" data-status={job.status} data-quiet={quietFor(job, now) !== undefined || undefined}>
      {text}
    </p>
  );
}
