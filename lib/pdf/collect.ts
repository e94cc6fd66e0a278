// The background's side of reading a PDF: the pages as they arrive, progress as "page n of N", and
// a deadline between messages, so a reader that dies or a pdf.js that stalls on a broken file
// ends the job with a message instead of a hang.
import { AppError, appErrors, isAppError } from '../errors';
import type { PdfText } from './document';
import type { PdfPortMessage } from './port';

/** Starts reading `url` and calls `onMessage` with each message; the returned function stops it. */
export type PdfReader = (url: string, onMessage: (msg: PdfPortMessage) => void, onGone: () => void) => Promise<() => void>;

export interface CollectOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Longest silence between two messages (default 30 s). */
  idleMs?: number;
}

export function collectPdf(read: PdfReader, url: string, opts: CollectOptions = {}): Promise<PdfText> {
  const idleMs = opts.idleMs ?? 30_000;
  return new Promise<PdfText>((resolve, reject) => {
    let doc: PdfText | undefined;
    let stop: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      stop?.();
      if (err !== undefined) reject(err);
      else resolve(doc!);
    };
    const onAbort = () => finish(opts.signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    const alive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(appErrors.pdfCorrupt('reading it stopped answering')), idleMs);
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    alive();
    const onMessage = (msg: PdfPortMessage) => {
      if (settled) return;
      alive();
      if (msg.type === 'opened') {
        doc = { hash: msg.hash, pages: [], ...(msg.title && { title: msg.title }) };
        opts.onProgress?.(0, msg.pages);
        total = msg.pages;
      } else if (msg.type === 'page' && doc) {
        doc.pages[msg.page - 1] = msg.text;
        opts.onProgress?.(msg.page, total);
      } else if (msg.type === 'done' && doc) {
        finish();
      } else if (msg.type === 'error') {
        finish(new AppError(msg.error.kind, msg.error.message));
      }
    };
    let total = 0;
    read(url, onMessage, () => finish(appErrors.pdfCorrupt('the PDF reader closed before the end'))).then(
      (stopReading) => (settled ? stopReading() : (stop = stopReading)),
      (err: unknown) => finish(isAppError(err) ? err : appErrors.pdfCorrupt((err as Error).message)),
    );
  });
}
