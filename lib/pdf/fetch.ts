// The bytes of a PDF at an address, within a size we are willing to read. An address that answers
// a web page (a login wall, an error page) is told apart here, before pdf.js sees it.
import { appErrors } from '../errors';

/** The largest PDF we read: beyond it the text alone could outgrow what a summary can use. */
export const maxPdfBytes = 50 * 1024 * 1024;
export const maxPdfMegabytes = maxPdfBytes / (1024 * 1024);

/** Reads `url` (http(s), blob:) with `fetchFn`, refusing early what is too large or plainly HTML. */
export async function fetchPdf(fetchFn: typeof fetch, url: string, opts: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<Uint8Array> {
  const maxBytes = opts.maxBytes ?? maxPdfBytes;
  const tooLarge = () => appErrors.pdfTooLarge(Math.round(maxBytes / (1024 * 1024)));
  const res = await fetchFn(url, { signal: opts.signal, credentials: 'include' }).catch((err: unknown) => {
    if (opts.signal?.aborted) throw err;
    throw appErrors.notPdf(`no answer (${(err as Error).message})`);
  });
  if (!res.ok) throw appErrors.notPdf(`an error (HTTP ${res.status})`);
  const type = res.headers.get('content-type') ?? '';
  if (/text\/html|application\/xhtml/i.test(type)) {
    await res.body?.cancel().catch(() => {});
    throw appErrors.notPdf('a web page');
  }
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  // Counted as it arrives: a server may send more than it declared, or declare nothing.
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}

/** SHA-256 of the bytes, hex: the same PDF from any address is the same document. */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
