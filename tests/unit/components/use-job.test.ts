import { describe, expect, it } from 'vitest';
import { applyJobMessage } from '../../../components/useJob';
import type { JobView } from '../../../lib/jobs/job-view';

const job = (text: string, status: JobView['status'] = 'running', run?: number): JobView => ({
  id: 'j',
  kind: 'summary',
  title: 'T',
  status,
  text,
  createdAt: 1,
  ...(run && { run }),
});

describe('applyJobMessage', () => {
  it('appends deltas and takes status from status messages while keeping the streamed text', () => {
    let view = applyJobMessage(undefined, { type: 'snapshot', job: job('Hel') });
    view = applyJobMessage(view, { type: 'delta', text: 'lo' });
    view = applyJobMessage(view, { type: 'status', job: job('', 'done') });
    expect(view).toMatchObject({ status: 'done', text: 'Hello' });
  });

  it('a snapshot after a worker restart that lags behind the screen does not take text away', () => {
    const shown = job('word0 word1 word2');
    expect(applyJobMessage(shown, { type: 'snapshot', job: job('word0 word1', 'interrupted') })).toMatchObject({
      status: 'interrupted',
      text: 'word0 word1 word2',
    });
  });

  it('a job started again in place (a new run) replaces the text shown, even a longer one', () => {
    expect(applyJobMessage(job('word0 word1 word2'), { type: 'snapshot', job: job('', 'queued', 1) })).toMatchObject({ text: '', status: 'queued', run: 1 });
  });

  it('a snapshot of different text replaces it', () => {
    expect(applyJobMessage(job('old answer'), { type: 'snapshot', job: job('new', 'done') })).toMatchObject({ text: 'new' });
  });
});
