// The coverage line's numbers and the citation fields a summary job carries, through the core.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockLlm, type MockLlm } from '../../support/mock-llm';
import { follow, saveProviderAt, setUpCore } from './core-harness';
import { article, tab, tabSender } from './fake-platform';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm({ reply: 'Trains are back. ¶1' });
});
afterAll(() => mock.close());

describe('a summary job says how much of the page it read, and which units it may cite', () => {
  it('read all of a page that was extracted whole', async () => {
    const page = tab(1, 'https://news.example/trains', article('Night trains are back in Europe.\n\n- Vienna to Paris\n- Berlin to Brussels'));
    const { precis, value } = setUpCore([page]);
    await saveProviderAt(value, mock.baseUrl);
    const { jobId } = await value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: false }, tabSender(page));
    const job = await follow(precis, jobId);
    expect(job.coverage).toEqual({ read: 12, total: 12 });
    // Short paragraphs and items make one unit between them (see minUnitChars).
    expect(job.citations).toEqual({ key: 'extraction-1', units: 1 });
    expect(JSON.stringify(mock.completions().at(-1)!.body.messages)).toContain('¶1 Night trains are back in Europe.\\n\\n- Vienna to Paris\\n- Berlin to Brussels');
  });

  it('says so when extraction kept only the beginning of a long page', async () => {
    const page = tab(2, 'https://news.example/long', article('Night trains are back in Europe.', { truncated: true, totalWords: 250_000 }));
    const { precis, value } = setUpCore([page]);
    await saveProviderAt(value, mock.baseUrl);
    const { jobId } = await value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: false }, tabSender(page));
    expect((await follow(precis, jobId)).coverage).toEqual({ read: 6, total: 250_000 });
  });

  it('an offline summary cites too, and reads the whole page', async () => {
    const text = [
      'Night trains are back in Europe after decades of decline on most routes, and the operators that run them are adding carriages, sleeping cars and new destinations every season, from Brussels to Prague and from Zurich to Rome.',
      'Operators report that demand on the Vienna to Paris line exceeds the seats on offer on most nights of the week, and that tickets for the summer sell out within days of their release, even at higher fares.',
    ].join('\n\n');
    const page = tab(3, 'https://news.example/offline', article(text));
    const { precis, value } = setUpCore([page]);
    const { jobId } = await value<{ jobId: string }>({ type: 'summarise.thisTab', regenerate: false }, tabSender(page));
    const job = await follow(precis, jobId);
    expect(job.offline).toBe('extractive');
    expect(job.citations).toEqual({ key: 'extraction-3', units: 2 });
    expect(job.text).toMatch(/¶[12]/);
  });
});
