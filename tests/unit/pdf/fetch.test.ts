import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../lib/errors';
import { contentHash, fetchPdf } from '../../../lib/pdf/fetch';

const pdfBytes = new TextEncoder().encode('%PDF-1.7\n...');
const answer = (body: BodyInit | null, init: ResponseInit = {}) => (async () => new Response(body, init)) as typeof fetch;
const kindOf = (promise: Promise<unknown>) => promise.then(
  () => 'ok',
  (err: unknown) => (isAppError(err) ? err.kind : String(err)),
);

describe('fetchPdf', () => {
  it('returns the bytes of a PDF', async () => {
    expect(await fetchPdf(answer(pdfBytes, { headers: { 'content-type': 'application/pdf' } }), 'https://x.example/a.pdf')).toEqual(pdfBytes);
  });

  it('refuses a web page, an error status and a file over the limit, before reading it all', async () => {
    expect(await kindOf(fetchPdf(answer('<html></html>', { headers: { 'content-type': 'text/html' } }), 'https://x.example/a.pdf'))).toBe('not_pdf');
    expect(await kindOf(fetchPdf(answer('gone', { status: 404 }), 'https://x.example/a.pdf'))).toBe('not_pdf');
    expect(await kindOf(fetchPdf(answer(pdfBytes, { headers: { 'content-length': String(60 * 1024 * 1024) } }), 'https://x.example/a.pdf'))).toBe('pdf_too_large');
  });

  it('counts the bytes as they come when the size was not declared', async () => {
    const chunk = new Uint8Array(1024);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => void (sent++ < 100 ? c.enqueue(chunk) : c.close()) });
    expect(await kindOf(fetchPdf(answer(endless), 'https://x.example/a.pdf', { maxBytes: 10 * 1024 }))).toBe('pdf_too_large');
    expect(sent).toBeLessThan(20);
  });

  it('says so when nothing answers', async () => {
    const down = (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    expect(await kindOf(fetchPdf(down, 'https://x.example/a.pdf'))).toBe('not_pdf');
  });
});

describe('contentHash', () => {
  it('is the SHA-256 of the bytes, whatever address they came from', async () => {
    expect(await contentHash(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
