// DOMPurify needs a browser DOM: under linkedom it sets up but passes HTML through, so these check
// what our marked renderer makes of the source; the e2e suite sees the sanitised result in Chromium.
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';

let renderMarkdown: (src: string, opts?: { units?: number; citeLabel?: string; pages?: number; times?: boolean; videoSeconds?: number }) => string;
beforeAll(async () => {
  const { window } = parseHTML('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window });
  ({ renderMarkdown } = await import('../../../components/markdown/render'));
});

describe('renderMarkdown task items', () => {
  it('renders open and done tasks as ballot boxes, not form controls', () => {
    const html = renderMarkdown('- [ ] book the sleeper\n- [x] check the timetable\n- plain item');
    expect(html).not.toContain('<input');
    expect(html).toContain('<li><span class="task-box">☐</span> book the sleeper</li>');
    expect(html).toContain('<li><span class="task-box">☑</span> check the timetable</li>');
    expect(html).toContain('<li>plain item</li>');
  });

  it('marks tasks in a loose list (items in paragraphs) too', () => {
    const html = renderMarkdown('- [X] first\n\n- [ ] second');
    expect(html).toContain('<p><span class="task-box">☑</span> first</p>');
    expect(html).toContain('<p><span class="task-box">☐</span> second</p>');
  });

  it('leaves brackets that are not a task item as text', () => {
    expect(renderMarkdown('[ ] not a list')).toBe('<p>[ ] not a list</p>\n');
  });
});

describe('renderMarkdown citations', () => {
  it('turns citations of existing units into chips, after the point they source', () => {
    const html = renderMarkdown('- Fares fell by 12%. ¶3,¶8\n- Night trains returned ¶2.', { units: 10, citeLabel: 'Source {n}' });
    expect(html).toContain('Fares fell by 12%.<span class="cites"><button type="button" class="cite" data-unit="3" title="Source 3">3</button><button type="button" class="cite" data-unit="8" title="Source 8">8</button></span>');
    expect(html).toContain('Night trains returned<span class="cites"><button type="button" class="cite" data-unit="2" title="Source 2">2</button></span>.');
  });

  it('drops citations of units that do not exist, and all of them where nothing can be linked', () => {
    expect(renderMarkdown('Fares fell ¶3, ¶99.', { units: 10 })).toBe('<p>Fares fell<span class="cites"><button type="button" class="cite" data-unit="3">3</button></span>.</p>\n');
    expect(renderMarkdown('Fares fell ¶99.', { units: 10 })).toBe('<p>Fares fell.</p>\n');
    expect(renderMarkdown('Fares fell [¶3].')).toBe('<p>Fares fell.</p>\n');
  });

  it('leaves text without citations as it was, and code as code', () => {
    expect(renderMarkdown('Section [3] and ¶ alone.', { units: 10 })).toBe('<p>Section [3] and ¶ alone.</p>\n');
    expect(renderMarkdown('`see ¶3`', { units: 10 })).toBe('<p><code>see ¶3</code></p>\n');
  });
});

describe('renderMarkdown page citations of a PDF', () => {
  const pages = (html: string) => [...html.matchAll(/data-page="(\d+)"[^>]*>([^<]*)</g)].map(([, page, label]) => `${page}:${label}`);
  const text = (html: string) => html.replace(/<[^>]+>/g, '');

  it('links every form the model writes to the page it names, reading as written', () => {
    for (const [src, links, shown] of [
      ['Trains are faster (p. 3).', ['3:3'], 'Trains are faster (p. 3).'],
      ['Trains are faster [p. 3].', ['3:3'], 'Trains are faster [p. 3].'],
      ['Costs rose (pp. 4–6).', ['4:4–6'], 'Costs rose (pp. 4–6).'],
      ['Costs rose (pp. 4-6, 9).', ['4:4-6', '9:9'], 'Costs rose (pp. 4-6, 9).'],
      ['Costs rose (p. 2, p. 7).', ['2:2', '7:7'], 'Costs rose (p. 2, p. 7).'],
      ['票价上涨（第 2–3 页）。', ['2:2–3'], '票价上涨（第 2–3 页）。'],
      ['票价上涨(第4页)。', ['4:4'], '票价上涨(第4页)。'],
    ] as const) {
      const html = renderMarkdown(src, { pages: 10 });
      expect(pages(html), src).toEqual(links);
      expect(text(html).trim(), src).toBe(shown);
    }
  });

  it('drops pages the PDF does not have, and links nothing where the page count is unknown', () => {
    expect(text(renderMarkdown('A claim (p. 99).', { pages: 10 })).trim()).toBe('A claim.');
    expect(pages(renderMarkdown('A claim (p. 0).', { pages: 10 }))).toEqual([]);
    // In a list, only the pages that exist are linked.
    const html = renderMarkdown('Costs (p. 9, 40).', { pages: 10 });
    expect(pages(html)).toEqual(['9:9']);
    expect(text(html).trim()).toBe('Costs (p. 9, 40).');
    expect(text(renderMarkdown('票价（第 40 页）。', { pages: 10 })).trim()).toBe('票价。');
    expect(renderMarkdown('A claim (p. 3).')).toBe('<p>A claim (p. 3).</p>\n');
    // Not a citation: left alone.
    expect(pages(renderMarkdown('See (page 3) and (p.s. nothing).', { pages: 10 }))).toEqual([]);
  });
});

describe('renderMarkdown video times', () => {
  it('links times within the video and drops those past its end', () => {
    const html = renderMarkdown('- Back [0:12].\n- Prices [1:35].\n- Made up [12:00].', { times: true, videoSeconds: 100 });
    expect([...html.matchAll(/data-seconds="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([12, 95]);
    expect(html).not.toContain('12:00');
    expect(html).toContain('Made up.');
    expect(html).toContain('Back <button');
    // Length unknown: every time is linked.
    expect(renderMarkdown('Late [12:00].', { times: true })).toContain('data-seconds="720"');
  });
});
