import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../lib/errors';
import { collectPdf, type PdfReader } from '../../../lib/pdf/collect';
import type { PdfPortMessage } from '../../../lib/pdf/port';

/** A reader that sends `script` (at once) and records whether it was stopped. */
function scripted(script: PdfPortMessage[], opts: { gone?: boolean } = {}) {
  const state = { stopped: false, send: (_msg: PdfPortMessage) => {}, gone: () => {} };
  const read: PdfReader = async (_url, onMessage, onGone) => {
    state.send = onMessage;
    state.gone = onGone;
    queueMicrotask(() => {
      for (const msg of script) onMessage(msg);
      if (opts.gone) onGone();
    });
    return () => void (state.stopped = true);
  };
  return { read, state };
}

const kindOf = (err: unknown) => (isAppError(err) ? err.kind : String(err));

afterEach(() => void vi.useRealTimers());

describe('collectPdf', () => {
  it('gathers the pages with progress "page n of N" and stops the reader when done', async () => {
    const { read, state } = scripted([
      { type: 'opened', pages: 2, hash: 'abc', bytes: 10, title: 'T' },
      { type: 'page', page: 1, text: 'one' },
      { type: 'page', page: 2, text: 'two' },
      { type: 'done' },
    ]);
    const progress: string[] = [];
    const doc = await collectPdf(read, 'https://x/a.pdf', { onProgress: (done, total) => progress.push(`${done}/${total}`) });
    expect(doc).toEqual({ hash: 'abc', title: 'T', pages: ['one', 'two'] });
    expect(progress).toEqual(['0/2', '1/2', '2/2']);
    expect(state.stopped).toBe(true);
  });

  it("passes on the reader's error as its kind, and a reader gone mid-file as a damaged file", async () => {
    const failing = scripted([{ type: 'error', error: { kind: 'pdf_password', message: 'protected' } }]);
    expect(kindOf(await collectPdf(failing.read, 'u').catch((e: unknown) => e))).toBe('pdf_password');
    const gone = scripted([{ type: 'opened', pages: 3, hash: 'h', bytes: 1 }], { gone: true });
    expect(kindOf(await collectPdf(gone.read, 'u').catch((e: unknown) => e))).toBe('pdf_corrupt');
  });

  it('gives up on a reader that falls silent, instead of waiting for ever', async () => {
    vi.useFakeTimers();
    const { read, state } = scripted([{ type: 'opened', pages: 3, hash: 'h', bytes: 1 }]);
    const outcome = collectPdf(read, 'u', { idleMs: 1_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    state.send({ type: 'page', page: 1, text: 'x' });
    await vi.advanceTimersByTimeAsync(1_001);
    expect(kindOf(await outcome)).toBe('pdf_corrupt');
    expect(state.stopped).toBe(true);
  });

  it('stops reading when the job is stopped', async () => {
    const controller = new AbortController();
    const { read, state } = scripted([{ type: 'opened', pages: 3, hash: 'h', bytes: 1 }]);
    const outcome = collectPdf(read, 'u', { signal: controller.signal, onProgress: () => controller.abort() }).catch((e: unknown) => e);
    expect(await outcome).toBeInstanceOf(DOMException);
    await vi.waitFor(() => expect(state.stopped).toBe(true));
  });
});
