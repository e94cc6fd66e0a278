import type { JobView } from '../lib/jobs/job-view';
import { t, type MessageKey } from './i18n';
import { useNow } from './useNow';

const waitText: Record<string, MessageKey> = {
  rate_limited: 'waitRateLimited',
  server_error: 'waitServerError',
  network: 'waitNetwork',
  circuit_open: 'waitCircuitOpen',
};

const statusText: Partial<Record<JobView['status'], MessageKey>> = {
  queued: 'statusQueued',
  running: 'statusRunning',
  done: 'statusDone',
  stopped: 'statusStopped',
  interrupted: 'statusInterrupted',
};

export function JobStatusLine({ job }: { job: JobView }) {
  const now = useNow(job.status === 'waiting');
  let text = '';
  if (job.status === 'waiting' && job.waitUntil) {
    const seconds = Math.max(0, Math.ceil((job.waitUntil - now) / 1000));
    text = t(waitText[job.waitReason ?? ''] ?? 'waitServerError', { seconds });
  } else if (job.progress && !job.text && ['queued', 'running'].includes(job.status)) {
    // Long pages only: parts first, then the notes are combined; once text streams, "Writing…".
    const { phase, done, total } = job.progress;
    text = phase === 'map' ? t('progressMap', { done, total }) : t('progressReduce');
  } else {
    const key = statusText[job.status];
    text = key ? t(key) : '';
  }
  if (!text) return null;
  return (
    <p className="status" role="status" aria-live="polite" data-status={job.status}>
      {text}
    </p>
  );
}
