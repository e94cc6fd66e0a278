// DOMPurify needs a browser DOM: under linkedom it sets up but passes HTML through, so these check
// what our marked renderer makes of the source; the e2e suite sees the sanitised result in Chromium.
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';

let renderMarkdown: (src: string) => string;
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
