// The bad input that is about size and script: a 2,000-page PDF is read to the end, page by
// page, with one page's text objects alive at a time; a PDF in Chinese comes out as Chinese, with its
// page markers, counted and cut for the model as Chinese (no spaces to cut at). pdf.js runs in Node.
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateCounter } from '../../../lib/extract/tokens';
import { countWords } from '../../../lib/extract/units';
import { planSummary } from '../../../lib/jobs/summarise-plan';
import { collectPdf, type PdfReader } from '../../../lib/pdf/collect';
import { pdfPageContent } from '../../../lib/pdf/document';
import { servePdf } from '../../../lib/pdf/serve';
import type { PdfJs, PdfPage } from '../../../lib/pdf/read';
import { chineseFact, chineseHeading, chinesePdf, hasCjkFont, noCjkFont, textPdf } from '../../support/pdfs';
import { loadPdfJs } from '../../support/pdfjs-node';

let pdfjs: PdfJs;
beforeAll(async () => void (pdfjs = await loadPdfJs()));

/** pdf.js, watched: how many pages are open (fetched, not yet cleaned up) at most, and the order of events. */
function watched(inner: PdfJs) {
  const seen = { open: 0, mostOpen: 0, log: [] as string[] };
  const wrap: PdfJs = {
    getDocument(src) {
      const task = inner.getDocument(src);
      return {
        destroy: () => task.destroy(),
        promise: task.promise.then((doc) => ({
          numPages: doc.numPages,
          getMetadata: () => doc.getMetadata(),
          async getPage(n: number): Promise<PdfPage> {
            const page = await doc.getPage(n);
            seen.open++;
            seen.mostOpen = Math.max(seen.mostOpen, seen.open);
            seen.log.push(`get ${n}`);
            return { getTextContent: () => page.getTextContent(), cleanup: () => (seen.open--, page.cleanup()) };
          },
        })),
      };
    },
  };
  return { pdfjs: wrap, seen };
}

/** The offscreen document's side and the background's, joined in this process, for one file. */
function readerFor(bytes: Uint8Array, lib: PdfJs, log?: string[]): PdfReader {
  return async (url, onMessage) => {
    const controller = new AbortController();
    const fetchFile = (async () => new Response(bytes as BodyInit, { headers: { 'content-type': 'application/pdf' } })) as typeof fetch;
    const post = (msg: Parameters<typeof onMessage>[0]) => (msg.type === 'page' && log?.push(`sent ${msg.page}`), onMessage(msg));
    void servePdf(url, post, { pdfjs: lib, fetch: fetchFile }, controller.signal);
    return () => controller.abort();
  };
}

describe('a 2,000-page PDF', () => {
  it('is read to its last page with progress all the way, one page open at a time, each page sent as it is read', { timeout: 60_000 }, async () => {
    const pages = 2_000;
    const bytes = await textPdf(pages, { linesPerPage: 2, title: 'Timetables 1990–2026' });
    const { pdfjs: lib, seen } = watched(pdfjs);
    const progress: Array<[number, number]> = [];
    const doc = await collectPdf(readerFor(bytes, lib, seen.log), 'https://archive.example/timetables.pdf', {
      onProgress: (done, total) => progress.push([done, total]),
    });

    expect(doc.title).toBe('Timetables 1990–2026');
    expect(doc.pages).toHaveLength(pages);
    expect(doc.pages[1_999]).toContain('Page 2000');
    expect(doc.pages[999]).toContain('Fact 1000.2');
    // "page n of 2000", every page, in order, up to the last.
    expect(progress[0]).toEqual([0, pages]);
    expect(progress.at(-1)).toEqual([pages, pages]);
    expect(progress.every(([done], i) => done === i)).toBe(true);
    // Streamed: never two pages' text objects at once, and page n leaves before page n + 1 is read.
    expect(seen.mostOpen).toBe(1);
    expect(seen.log.slice(0, 4)).toEqual(['get 1', 'sent 1', 'get 2', 'sent 2']);

    // What the summary does with it: parts for map-reduce, each starting on its page, the whole file in them.
    const plan = await planSummary(pdfPageContent(doc), { model: 'gpt-4o-mini', loadCounter: async () => estimateCounter, counter: estimateCounter });
    expect(plan.kind).toBe('map-reduce');
    if (plan.kind !== 'map-reduce') return;
    for (const chunk of plan.chunks) expect(chunk.text).toMatch(/^\[p\. \d+(, continued)?\]/);
    expect(plan.chunks.at(-1)!.text).toContain('[p. 2000]');
  });
});

describe.skipIf(!hasCjkFont)('a PDF in Chinese', () => {
  if (!hasCjkFont) console.warn(`Skipping the Chinese PDF tests: ${noCjkFont}`);

  it('comes out in Chinese, page by page, with its Chinese title', async () => {
    const bytes = await chinesePdf(3, { title: '铁路调查报告', linesPerPage: 5 });
    const doc = await collectPdf(readerFor(bytes, pdfjs), 'https://rail.example.cn/report.pdf');
    expect(doc.title).toBe('铁路调查报告');
    expect(doc.pages).toHaveLength(3);
    const lines = doc.pages[1]!.split('\n');
    expect(lines[0]).toBe(chineseHeading(2));
    expect(lines.slice(1)).toEqual([1, 2, 3, 4, 5].map((line) => chineseFact(2, line)));
    // No stray spaces between ideographs, no replacement characters from an unmapped font.
    expect(doc.pages.join('')).not.toMatch(/[\p{Script=Han}] [\p{Script=Han}]|\ufffd/u);
  });

  it('counts as Chinese is counted, and is cut for the model within its budget with each part on its page', async () => {
    const pages = 40;
    const doc = await collectPdf(readerFor(await chinesePdf(pages), pdfjs), 'https://rail.example.cn/long.pdf');
    const page = pdfPageContent(doc);
    // One word per ideograph, as CJK word counts go: a page of 20 lines of ~25 ideographs is hundreds, not a handful.
    const ideographs = (doc.pages[0]!.match(/\p{Script=Han}/gu) ?? []).length;
    expect(countWords(doc.pages[0]!)).toBeGreaterThanOrEqual(ideographs);
    expect(ideographs).toBeGreaterThan(300);

    // A small window (8k) makes map-reduce of 40 pages of Chinese, which has no spaces to cut at.
    const plan = await planSummary(page, { model: 'test-8k', contextOverrides: { 'test-8k': { context: 8_192 } }, loadCounter: async () => estimateCounter, counter: estimateCounter });
    expect(plan.kind).toBe('map-reduce');
    if (plan.kind !== 'map-reduce') return;
    expect(plan.chunks.length).toBeGreaterThan(2);
    for (const chunk of plan.chunks) {
      expect(chunk.text).toMatch(/^\[p\. \d+(, continued)?\]\n/);
      expect(estimateCounter.count(chunk.text)).toBeLessThanOrEqual(plan.budgets.notes);
    }
    // Every page's text reaches some part, in Chinese.
    const all = plan.chunks.map((c) => c.text).join('\n');
    for (let n = 1; n <= pages; n++) expect(all).toContain(chineseHeading(n));
  });
});
