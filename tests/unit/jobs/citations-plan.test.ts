// Citations through the plan: a page's units numbered in what the model reads, the instruction
// asked for, and on a long page carried from each part's notes to the final summary.
import { describe, expect, it } from 'vitest';
import { loadTokenCounter } from '../../../lib/extract/tokens';
import { splitUnits } from '../../../lib/extract/units';
import { citationsIn } from '../../../lib/jobs/citations';
import { readablePage, runSummary } from '../../../lib/jobs/summarise-plan';
import { promptTokens, promptSet } from '../../../lib/jobs/summary-prompt';
import type { ChatRequest, ChatResult } from '../../../lib/llm/types';
import type { PageContent } from '../../../lib/extract/page-content';

const system = (req: ChatRequest) => req.messages.find((m) => m.role === 'system')?.content ?? '';
const user = (req: ChatRequest) => req.messages.find((m) => m.role === 'user')?.content ?? '';

const topics = ['harbour', 'railway', 'library', 'orchard', 'bridge', 'market'];
/** Sections on distinct topics, so a test can tell which part of the page a unit came from. */
function longPage(paragraphsPerTopic: number): PageContent {
  const sections = topics.map((topic) =>
    [`## The ${topic}`, ...Array.from({ length: paragraphsPerTopic }, (_, i) => `The ${topic} fact ${i}: ${'the town council discussed it at length, '.repeat(6)}and agreed.`)].join('\n\n'),
  );
  return { url: 'https://example.com/town', title: 'Town report', text: sections.join('\n\n') };
}

describe('citations in the plan', () => {
  it('numbers units and asks for citations only when asked to cite', async () => {
    const long = 'Sleeper trains are back: after decades of decline, operators across Europe are adding routes, carriages and sleeping cars, and the Vienna to Paris line now runs three nights a week, with more planned.';
    const page: PageContent = { url: 'https://example.com/', title: 'T', text: `${long}\n\n- Vienna\n- Paris` };
    const cited = readablePage(page, { cite: true });
    // A paragraph long enough is a unit; the short items after it make one between them.
    expect(cited.units).toBe(2);
    expect(cited.readable).toBe(`¶1 ${long}\n\n¶2 - Vienna\n- Paris`);
    expect(readablePage(page).readable).toBe(page.text);
    const requests: ChatRequest[] = [];
    const chat = async (req: ChatRequest): Promise<ChatResult> => (requests.push(req), { text: 'ok', finishReason: 'stop' });
    await runSummary(cited, { chat, model: 'gpt-4o-mini', loadCounter: loadTokenCounter });
    await runSummary(readablePage(page), { chat, model: 'gpt-4o-mini', loadCounter: loadTokenCounter });
    expect(system(requests[0]!)).toMatch(/cite the paragraphs/);
    expect(user(requests[0]!)).toContain('¶2 - Vienna');
    expect(system(requests[1]!)).not.toMatch(/¶/);
  });

  it('keeps the instruction short: a small share of a 5,000-word page', async () => {
    const counter = await loadTokenCounter();
    const vars = { title: 'T', url: 'https://example.com/', language: 'English' };
    const extra = promptTokens(promptSet(vars, undefined, undefined, { cite: true }), 'summary', counter.count) - promptTokens(promptSet(vars), 'summary', counter.count);
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThan(60);
  });

  it('on a long page, carries each part’s units through the notes to the final summary', async () => {
    const page = readablePage(longPage(12), { cite: true });
    const unitTopic = new Map(splitUnits(page.text.trim()).map((u) => [u.n, topics.find((t) => page.text.slice(u.start, u.end).includes(t))]));
    let notes = 0;
    let final: ChatRequest | undefined;
    // A model that does as asked: a note per part citing the part's first unit of each topic; the
    // final summary repeats the notes' citations, point by point.
    const chat = async (req: ChatRequest): Promise<ChatResult> => {
      const body = user(req);
      if (/<part>/.test(body)) {
        notes++;
        const seen = new Map<string, number>();
        for (const [, n, topic] of body.matchAll(/¶(\d+) The (\w+) fact/g)) if (!seen.has(topic!)) seen.set(topic!, Number(n));
        return { text: [...seen].map(([topic, n]) => `- ${topic} was discussed ¶${n}`).join('\n'), finishReason: 'stop' };
      }
      if (/<notes>/.test(body) && /Merge/.test(body)) return { text: body.split('<notes>')[1]!.split('</notes>')[0]!.replace(/\n---\n/g, '\n'), finishReason: 'stop' };
      final = req;
      const points = [...body.matchAll(/- (\w+) was discussed (¶\d+)/g)].map(([, topic, cite]) => `- The ${topic}. ${cite}`);
      return { text: points.join('\n'), finishReason: 'stop' };
    };
    const result = await runSummary(page, { chat, model: 'gpt-4o-mini', loadCounter: loadTokenCounter, maxChunkTokens: 600, overlapTokens: 0 });
    expect(result.chunks).toBeGreaterThan(2);
    expect(notes).toBeGreaterThan(2);
    expect(system(final!)).toMatch(/notes cite the page's paragraphs/);
    const cited = citationsIn(result.text);
    expect(cited.length).toBeGreaterThanOrEqual(topics.length);
    // Every final citation names a unit of the page (not a part), about the topic the point is on.
    for (const line of result.text.split('\n')) {
      const [, topic] = /The (\w+)\./.exec(line)!;
      for (const n of citationsIn(line)) expect(unitTopic.get(n), line).toBe(topic);
    }
    expect(new Set([...cited].map((n) => unitTopic.get(n)))).toEqual(new Set(topics));
  });
});
