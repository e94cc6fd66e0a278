// Subscribes a view to one job over a `job:<id>` port: a snapshot, then deltas and status changes.
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { browser, type Browser } from 'wxt/browser';
import { jobPortPrefix, type JobPortMessage } from '../lib/app/tab-protocol';
import { isLive, type JobView } from '../lib/jobs/job-view';

export function applyJobMessage(job: JobView | undefined, msg: JobPortMessage): JobView | undefined {
  switch (msg.type) {
    case 'snapshot':
      // After a worker restart the store may be a few tokens behind what this view already shows:
      // within one run the text only ever grows, so keep the longer one. A new run starts over.
      return job?.id === msg.job.id && job.run === msg.job.run && job.text.startsWith(msg.job.text) ? { ...msg.job, text: job.text } : msg.job;
    case 'delta':
      return job && { ...job, text: job.text + msg.text };
    case 'status':
      // Status messages carry the full text too; keep ours, which already has every delta.
      return job ? { ...msg.job, text: job.text } : msg.job;
  }
}


/** A job as a view follows it: with when the background last said anything about it. */
export type FollowedJob = JobView & { heardAt: number };

export function useJob(jobId: string | undefined): FollowedJob | undefined {
  // Keyed by id, so switching jobs never shows the previous job's text for a frame.
  const [state, setState] = useState<{ id: string; job?: JobView; heardAt: number }>();
  useEffect(() => {
    if (!jobId) return;
    let port: Browser.runtime.Port | undefined;
    let closed = false;
    let lastStatus: JobView['status'] | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    // A fast model sends hundreds of deltas a second: render at most once per frame.
    let pending: JobPortMessage[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      // flushSync: commit inside this frame's callbacks, so the text is painted in this frame, not the next.
      flushSync(() =>
        setState((prev) => ({ id: jobId, job: batch.reduce(applyJobMessage, prev?.id === jobId ? prev.job : undefined), heardAt: Date.now() })),
      );
    };
    const connect = () => {
      try {
        port = browser.runtime.connect({ name: jobPortPrefix + jobId });
      } catch {
        return; // the extension was updated or removed: this page's script is orphaned
      }
      port.onMessage.addListener((msg: JobPortMessage) => {
        attempts = 0;
        if (msg.type !== 'delta') lastStatus = msg.job.status;
        pending.push(msg);
        frame ||= requestAnimationFrame(flush);
      });
      // The worker was stopped mid-job (Chrome stops idle workers): connecting again wakes it, and
      // its snapshot says what survived.
      port.onDisconnect.addListener(() => {
        if (closed || (lastStatus && !isLive(lastStatus)) || attempts >= 8) return;
        retry = setTimeout(connect, Math.min(2_000, 100 * 2 ** attempts++));
      });
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      cancelAnimationFrame(frame);
      port?.disconnect();
    };
  }, [jobId]);
  return jobId && state?.id === jobId && state.job ? { ...state.job, heardAt: state.heardAt } : undefined;
}
