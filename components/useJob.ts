// Subscribes a view to one job over a `job:<id>` port: a snapshot, then deltas and status changes.
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { jobPortPrefix, type JobPortMessage, type JobView } from '../lib/messages';

export function applyJobMessage(job: JobView | undefined, msg: JobPortMessage): JobView | undefined {
  switch (msg.type) {
    case 'snapshot':
      return msg.job;
    case 'delta':
      return job && { ...job, text: job.text + msg.text };
    case 'status':
      // Status messages carry the full text too; keep ours, which already has every delta.
      return job ? { ...msg.job, text: job.text } : msg.job;
  }
}

export function useJob(jobId: string | undefined): JobView | undefined {
  const [job, setJob] = useState<JobView>();
  useEffect(() => {
    if (!jobId) return;
    setJob(undefined);
    const port = browser.runtime.connect({ name: jobPortPrefix + jobId });
    port.onMessage.addListener((msg: JobPortMessage) => setJob((prev) => applyJobMessage(prev, msg)));
    return () => port.disconnect();
  }, [jobId]);
  return job;
}
