import { describe, expect, it } from 'vitest';
import { chunkText } from '../../../lib/extract/chunk';
import { estimateCounter } from '../../../lib/extract/tokens';
import { fileNameOf, isPdfUrl, markedText, pageAt, pdfPageContent, withPageMarker } from '../../../lib/pdf/document';

describe('PDF text for the model', () => {
  it('marks where each page begins and leaves out pages without text, keeping the numbers true', () => {
    expect(markedText(['First page.', '', ' Third page. '])).toBe('[p. 1]\nFirst page.\n\n[p. 3]\nThird page.');
  });

  it('says nothing about where the file came from, so the same file anywhere asks the same', () => {
    const doc = { hash: 'h', pages: ['One.', 'Two.'] };
    expect(pdfPageContent(doc)).toEqual({ url: 'PDF, 2 pages', title: 'Untitled PDF', text: '[p. 1]\nOne.\n\n[p. 2]\nTwo.', source: 'pdf' });
    expect(pdfPageContent({ ...doc, title: 'Report' }).title).toBe('Report');
  });

  it('starts a chunk cut mid-page, or repeating the end of the previous one, with its page', () => {
    const source = markedText(Array.from({ length: 30 }, (_, i) => `Sentence ${i + 1} of the report is here. `.repeat(20)));
    const chunks = chunkText(source, { budget: 300, count: estimateCounter.count, overlapTokens: 30 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks.slice(1)) {
      const marked = withPageMarker(chunk, source);
      expect(marked).toMatch(/^\[p\. \d+(, continued)?\]/);
      const page = Number(/^\[p\. (\d+)/.exec(marked)![1]);
      // The first sentence in the chunk is on the page it names (or the next, for an overlap at a page's end).
      const first = Number(/Sentence (\d+)/.exec(chunk.text)![1]);
      expect(page === first || page === first - 1 || page === first + 1).toBe(true);
    }
    expect(pageAt(source, 0)).toBe(1);
    expect(pageAt(source, source.length)).toBe(30);
  });

  it('knows a PDF address by its path', () => {
    expect(isPdfUrl('https://x.example/papers/Trace%20Trees.PDF?download=1')).toBe(true);
    expect(isPdfUrl('file:///home/me/report.pdf')).toBe(true);
    expect(isPdfUrl('https://x.example/pdf-viewer')).toBe(false);
    expect(isPdfUrl('chrome://settings/x.pdf')).toBe(false);
    expect(isPdfUrl(undefined)).toBe(false);
    expect(fileNameOf('https://x.example/papers/Trace%20Trees.pdf')).toBe('Trace Trees.pdf');
  });
});
