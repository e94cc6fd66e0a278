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
  // Keyed by id, so switching jobs never shows the previous job's text for a frame.
  const [state, setState] = useState<{ id: string; job?: JobView }>();
  useEffect(() => {
    if (!jobId) return;
    const port = browser.runtime.connect({ name: jobPortPrefix + jobId });
    // A fast model sends hundreds of deltas a second: render at most once per frame.
    let pending: JobPortMessage[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      setState((prev) => ({ id: jobId, job: batch.reduce(applyJobMessage, prev?.id === jobId ? prev.job : undefined) }));
    };
    port.onMessage.addListener((msg: JobPortMessage) => {
      pending.push(msg);
      frame ||= requestAnimationFrame(flush);
    });
    return () => {
      cancelAnimationFrame(frame);
      port.disconnect();
    };
  }, [jobId]);
  return jobId && state?.id === jobId ? state.job : undefined;
}
