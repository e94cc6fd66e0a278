import { describe, expect, it } from 'vitest';
import { estimateCounter } from '../../../lib/extract/tokens';
import { planSummary } from '../../../lib/jobs/summarise-plan';
import { pdfPageContent } from '../../../lib/pdf/document';

const pages = (n: number) => Array.from({ length: n }, (_, i) => `Page ${i + 1} reports ${i * 3} trains. `.repeat(60));
const options = { model: 'unknown-model', loadCounter: async () => estimateCounter, counter: estimateCounter };

describe('a PDF summary plan', () => {
  it('asks for page citations in every request', async () => {
    const plan = await planSummary(pdfPageContent({ hash: 'h', pages: pages(2) }), options);
    expect(plan.kind).toBe('single');
    if (plan.kind !== 'single') return;
    expect(plan.request.messages[0]!.content).toContain('cite the pages it comes from, as (p. N)');
    expect(plan.request.messages[1]!.content).toContain('[p. 2]\nPage 2 reports');
  });

  it('starts every map-reduce part with the page it begins on, and keeps within the budget', async () => {
    const plan = await planSummary(pdfPageContent({ hash: 'h', pages: pages(150) }), options);
    expect(plan.kind).toBe('map-reduce');
    if (plan.kind !== 'map-reduce') return;
    expect(plan.chunks.length).toBeGreaterThan(10);
    for (const chunk of plan.chunks) {
      expect(chunk.text).toMatch(/^\[p\. \d+(, continued)?\]/);
      expect(estimateCounter.count(chunk.text)).toBeLessThanOrEqual(plan.budgets.notes);
    }
    expect(plan.chunks.at(-1)!.text).toContain('Page 150 reports');
    const notes = plan.prompts.request('notes', plan.chunks[3]!.text);
    expect(notes.messages[0]!.content).toContain('"[p. N]" marks where its page N begins');
  });
});
