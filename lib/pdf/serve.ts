// The reading side of the PDF port (lib/pdf/port.ts): fetch, hash, read page by page, post each
// page as it is read. Runs where pdf.js can (Chrome's offscreen document); tested in Node.
import { describeError } from '../errors';
import { contentHash, fetchPdf } from './fetch';
import type { PdfPortMessage } from './port';
import { readPdf, type PdfJs } from './read';

export interface ServeDeps {
  pdfjs: PdfJs;
  fetch: typeof fetch;
}

export async function servePdf(url: string, post: (msg: PdfPortMessage) => void, deps: ServeDeps, signal?: AbortSignal): Promise<void> {
  try {
    const bytes = await fetchPdf(deps.fetch, url, { signal });
    const hash = await contentHash(bytes);
    const size = bytes.byteLength;
    await readPdf(
      deps.pdfjs,
      bytes,
      {
        opened: (info) => post({ type: 'opened', ...info, hash, bytes: size }),
        page: (page, text) => post({ type: 'page', page, text }),
      },
      signal,
    );
    post({ type: 'done' });
  } catch (err) {
    if (!signal?.aborted) post({ type: 'error', error: describeError(err) });
  }
}
