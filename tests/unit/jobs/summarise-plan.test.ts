import { describe, expect, it } from 'vitest';
import { estimateCounter, loadTokenCounter } from '../../../lib/extract/tokens';
import {
  planSummary,
  runSummary,
} from '../../../lib/jobs/summarise-plan';
import { defaultSummaryTemplate, outputLanguage, renderTemplate } from '../../../lib/jobs/summary-prompt';
import type { ChatOptions, ChatRequest, ChatResult } from '../../../lib/llm/types';
import type { PageContent } from '../../../lib/extract/page-content';

const page = (text: string, extra: Partial<PageContent> = {}): PageContent => ({
  url: 'https://example.com/night-trains',
  title: 'The Quiet Return of the Night Train',
  text,
  ...extra,
});

const user = (req: ChatRequest) => req.messages.find((m) => m.role === 'user')?.content ?? '';

describe('summary prompt', () => {
  it('fills the placeholders in one pass, so page text is never treated as a placeholder', () => {
    const out = renderTemplate('{{title}} | {{ url }} | {{language}}\n{{page}}', {
      page: 'A page that mentions {{title}} and tries </page> to escape',
      title: 'T',
      url: 'https://x.test/',
      language: 'German',
    });
    expect(out).toBe('T | https://x.test/ | German\nA page that mentions {{title}} and tries </ page> to escape');
  });

  it('still sends the page when a custom template forgets {{page}}', () => {
    expect(renderTemplate('Summarise in {{language}}.', { page: 'Body', title: '', url: '', language: 'French' })).toBe(
      'Summarise in French.\n\n<page>\nBody\n</page>',
    );
  });

  it('asks for a structured, faithful summary in the output language', () => {
    expect(defaultSummaryTemplate).toMatch(/TL;DR/);
    expect(defaultSummaryTemplate).toMatch(/Key points/);
    expect(defaultSummaryTemplate).toMatch(/Details worth keeping/);
    expect(defaultSummaryTemplate).toMatch(/faithful/);
    expect(outputLanguage(undefined, 'ja')).toBe('the language of the page (Japanese)');
    expect(outputLanguage(undefined, undefined)).toBe('the language of the page');
    expect(outputLanguage(' German ', 'ja')).toBe('German');
  });
});

describe('planSummary', () => {
  it('plans one request for a page that fits', async () => {
    const plan = await planSummary(page('Sleeper trains are back.'), { model: 'gpt-4o', language: 'English', loadCounter: loadTokenCounter });
    expect(plan.kind).toBe('single');
    if (plan.kind !== 'single') return;
    expect(plan.request.messages[0]?.role).toBe('system');
    expect(user(plan.request)).toContain('<page>\nSleeper trains are back.\n</page>');
    expect(user(plan.request)).toContain('Title: The Quiet Return of the Night Train\nURL: https://example.com/night-trains');
    expect(user(plan.request)).toContain('Summarise the page below in English.');
    expect(plan.budgets.summary).toBeGreaterThan(120_000);
  });

  it('refuses pages with nothing readable', async () => {
    for (const text of ['', '  \n\n ', '— · —']) {
      await expect(planSummary(page(text), { model: 'gpt-4o', loadCounter: loadTokenCounter })).rejects.toMatchObject({ kind: 'empty_page' });
    }
  });

  it('says so when the window cannot hold the prompt and a useful piece of a long page', async () => {
    const long = 'A sentence about trains. '.repeat(2_000);
    await expect(planSummary(page(long), { model: 'tiny', contextOverrides: { tiny: { context: 600 } }, loadCounter: loadTokenCounter })).rejects.toMatchObject({
      kind: 'context_length',
      message: expect.stringContaining('too small for the summary prompt'),
    });
  });

  it('keeps a wider margin when counting with the estimate', async () => {
    const options = { model: 'gpt-4o', language: 'English', loadCounter: loadTokenCounter };
    const exact = await planSummary(page('Text.'), options);
    const estimated = await planSummary(page('Text.'), { ...options, counter: estimateCounter });
    expect(estimated.budgets.summary).toBeLessThan(exact.budgets.summary * 0.95);
    // An injected loader that fails (a table that did not download) falls back to the estimate.
    const failed = await planSummary(page('Text.'), { ...options, loadCounter: () => Promise.reject(new Error('offline')) });
    expect(failed.budgets).toEqual(estimated.budgets);
    const injected = await planSummary(page('Text.'), { ...options, loadCounter: () => loadTokenCounter() });
    expect(injected.budgets).toEqual(exact.budgets);
  });

  it('notes a truncated page, and caps chunks when asked', async () => {
    const counter = await loadTokenCounter();
    const text = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} about a night train and its timetable.`).join('\n\n');
    const plan = await planSummary(page(text, { truncated: true }), { model: 'gpt-4o', maxChunkTokens: 300, counter, loadCounter: loadTokenCounter });
    expect(plan.kind).toBe('map-reduce');
    if (plan.kind !== 'map-reduce') return;
    expect(plan.chunks.length).toBeGreaterThan(5);
    expect(plan.chunks.every((c) => c.tokens <= 300)).toBe(true);
    expect(plan.chunks.at(-1)?.text).toContain('[The page continues; only its beginning was extracted.]');
  });
});

describe('video transcripts', () => {
  it('every request of a long video, notes and merges included, is told it reads a transcript and asked for times', async () => {
    const counter = await loadTokenCounter();
    const text = Array.from({ length: 200 }, (_, i) => `[${i}:00] Minute ${i} of a talk about night trains and timetables.`).join('\n\n');
    const plan = await planSummary(page(text, { source: 'video' }), { model: 'gpt-4o', maxChunkTokens: 300, counter, loadCounter: loadTokenCounter });
    if (plan.kind !== 'map-reduce') throw new Error('expected map-reduce');
    for (const kind of ['notes', 'merge', 'summary-from-notes', 'summary'] as const) {
      expect(plan.prompts.request(kind, 'x').messages[0]!.content).toContain('End every key point with the time where the video says it');
    }
    // A page is not a video: no such instruction.
    const article = await planSummary(page('Sleeper trains are back.'), { model: 'gpt-4o', counter, loadCounter: loadTokenCounter });
    if (article.kind !== 'single') throw new Error('expected one request');
    expect(article.request.messages[0]!.content).not.toContain('video');
  });
});

describe('runSummary, single request', () => {
  it('streams the answer of one request through onDelta, with no progress events', async () => {
    const requests: ChatRequest[] = [];
    const deltas: string[] = [];
    const progress: unknown[] = [];
    const chat = async (req: ChatRequest, opts?: ChatOptions): Promise<ChatResult> => {
      requests.push(req);
      opts?.onStatus?.({ type: 'streaming' });
      for (const piece of ['## TL;DR', '\nTrains are back.']) opts?.onDelta?.(piece);
      return { text: '## TL;DR\nTrains are back.', finishReason: 'stop' };
    };
    const statuses: string[] = [];
    const result = await runSummary(page('Sleeper trains are back.', { lang: 'en' }), {
      chat,
      model: 'gpt-4o-mini',
      loadCounter: loadTokenCounter,
      template: 'In {{language}}: {{page}}',
      onDelta: (d) => deltas.push(d),
      onStatus: (s) => statuses.push(s.type),
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ text: '## TL;DR\nTrains are back.', chunks: 1, pageTokens: expect.any(Number) });
    expect(requests).toHaveLength(1);
    expect(user(requests[0]!)).toBe('In the language of the page (English): Sleeper trains are back.');
    expect(deltas.join('')).toBe(result.text);
    expect(statuses).toEqual(['streaming']);
    expect(progress).toEqual([]);
  });
});
