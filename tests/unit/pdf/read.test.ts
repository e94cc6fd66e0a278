import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../lib/errors';
import { looksLikePdf, pageText, readPdf, type PdfInfo, type PdfJs } from '../../../lib/pdf/read';
import { corpusPdfs, corruptPdf, hasCorpus, noCorpus, scannedPdf, textPdf } from '../../support/pdfs';
import { loadPdfJs } from '../../support/pdfjs-node';

let pdfjs: PdfJs;
beforeAll(async () => void (pdfjs = await loadPdfJs()));

const corpus = async (name: string) => new Uint8Array(await readFile(resolve(corpusPdfs, name)));

/** Reads a PDF, keeping what the sink was told, in order. */
async function read(data: Uint8Array) {
  const events: Array<PdfInfo | { page: number; text: string }> = [];
  await readPdf(pdfjs, data, { opened: (info) => events.push(info), page: (page, text) => events.push({ page, text }) });
  return events;
}

const kindOf = (err: unknown) => (isAppError(err) ? err.kind : String(err));

describe('readPdf', () => {
  if (!hasCorpus) console.warn(`Skipping the real-PDF tests: ${noCorpus}`);

  it.skipIf(!hasCorpus)('reads a real paper page by page, in order, after saying how many pages there are', async () => {
    const events = await read(await corpus('tracemonkey.pdf'));
    expect(events[0]).toEqual({ pages: 14 });
    const pages = events.slice(1) as Array<{ page: number; text: string }>;
    expect(pages.map((p) => p.page)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(pages[0]!.text).toMatch(/^Trace-based Just-in-Time Type Specialization for Dynamic\nLanguages/);
    expect(pages[13]!.text.length).toBeGreaterThan(500);
  });

  it('takes the title from the metadata', async () => {
    expect((await read(await textPdf(2, { title: 'Rail survey' })))[0]).toEqual({ pages: 2, title: 'Rail survey' });
  });

  it.skipIf(!hasCorpus)('reads right-to-left and accented text', async () => {
    const arabic = (await read(await corpus('ArabicCIDTrueType.pdf')))[1] as { text: string };
    expect(arabic.text).toMatch(/[\u0600-\u06ff]/);
    const french = (await read(await corpus('160F-2019.pdf'))) as Array<{ text?: string }>;
    expect(french.some((e) => e.text && /[éèà]/.test(e.text))).toBe(true);
  });

  it.skipIf(!hasCorpus)('a password-protected PDF gets its own error', async () => {
    expect(kindOf(await read(await corpus('issue6010_1.pdf')).catch((err: unknown) => err))).toBe('pdf_password');
  });

  it.each([
    ['a scan (only images)', () => scannedPdf(3), 'pdf_scanned'],
    ['a damaged file', async () => corruptPdf(), 'pdf_corrupt'],
    ['a web page', async () => new TextEncoder().encode('<!doctype html><html><title>Sign in</title></html>'), 'not_pdf'],
    ['an empty file', async () => new Uint8Array(0), 'not_pdf'],
  ])('%s gets its own error', async (_name, make, kind) => {
    expect(kindOf(await read(await make()).catch((err: unknown) => err))).toBe(kind);
  });

  it.skipIf(!hasCorpus)('never hangs on a truncated file: it reads what it can or says the file is damaged', async () => {
    const whole = await corpus('tracemonkey.pdf');
    for (const fraction of [0.05, 0.5, 0.9]) {
      const outcome = await read(whole.slice(0, Math.floor(whole.length * fraction))).then(
        (events) => `read ${events.length - 1} pages`,
        (err: unknown) => kindOf(err),
      );
      expect(outcome).toMatch(/^(read \d+ pages|pdf_corrupt|pdf_scanned)$/);
    }
  });

  it('stops between pages when asked', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const outcome = readPdf(pdfjs, await textPdf(20), { opened: () => {}, page: (n) => (seen.push(n), n === 3 && controller.abort()) }, controller.signal);
    await expect(outcome).rejects.toThrow();
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('pageText', () => {
  it('ends lines where pdf.js says and collapses runs of spaces', () => {
    expect(pageText([{ str: 'Hello  ', hasEOL: false }, { str: ' world', hasEOL: true }, { str: '', hasEOL: true }, { str: 'Next\u00a0line' }])).toBe('Hello world\nNext line');
  });

  it('knows a PDF by its header', () => {
    expect(looksLikePdf(new TextEncoder().encode('junk\n%PDF-1.4\n'))).toBe(true);
    expect(looksLikePdf(new TextEncoder().encode('<html>'))).toBe(false);
  });
});
