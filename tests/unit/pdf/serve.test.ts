import { describe, expect, it } from 'vitest';
import type { PdfPortMessage } from '../../../lib/pdf/port';
import { servePdf } from '../../../lib/pdf/serve';
import { textPdf } from '../../support/pdfs';
import { loadPdfJs } from '../../support/pdfjs-node';

const serving = (body: Uint8Array | string, type: string) => (async () => new Response(body as BodyInit, { headers: { 'content-type': type } })) as typeof fetch;

describe('servePdf', () => {
  it('posts the file’s size and hash, then each page as it is read, then done', async () => {
    const messages: PdfPortMessage[] = [];
    await servePdf('https://x.example/r.pdf', (m) => messages.push(m), { pdfjs: await loadPdfJs(), fetch: serving(await textPdf(3), 'application/pdf') });
    expect(messages[0]).toMatchObject({ type: 'opened', pages: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(messages.slice(1).map((m) => (m.type === 'page' ? m.page : m.type))).toEqual([1, 2, 3, 'done']);
    expect(messages[1]).toMatchObject({ text: expect.stringContaining('Page 1: chapter 1 of the report') });
  });

  it('posts an error a view can show for an address that answers a web page', async () => {
    const messages: PdfPortMessage[] = [];
    await servePdf('https://x.example/r.pdf', (m) => messages.push(m), { pdfjs: await loadPdfJs(), fetch: serving('<html></html>', 'text/html; charset=utf-8') });
    expect(messages).toEqual([{ type: 'error', error: { kind: 'not_pdf', message: expect.stringContaining('a web page') } }]);
  });
});
