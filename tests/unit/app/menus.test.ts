import { describe, expect, it } from 'vitest';
import { menuItems, originOfMenuItem, promptsChanged } from '../../../lib/app/menus';

const prompt = { id: 'p1', name: 'Explain like I am five', template: 'Explain {{page}}' };

describe('context menu', () => {
  it('offers the page, the selection and one item per custom prompt, and each click asks for its own thing', () => {
    const items = menuItems([prompt]);
    expect(items.map((i) => [i.id, i.contexts])).toEqual([
      ['summarise-page', ['page']],
      ['summarise-selection', ['selection']],
      ['prompt:p1', ['page', 'selection']],
    ]);
    expect(items[2]!.title).toEqual({ text: 'Explain like I am five' });
    expect(items.map((i) => originOfMenuItem(i.id))).toEqual([{}, { selection: true }, { promptId: 'p1' }]);
    expect(originOfMenuItem('someone-elses-item')).toBeUndefined();
  });

  it('is rebuilt only when the prompts change', () => {
    expect(promptsChanged([prompt], [{ ...prompt }])).toBe(false);
    expect(promptsChanged([prompt], [{ ...prompt, name: 'ELI5' }])).toBe(true);
    expect(promptsChanged([], [prompt])).toBe(true);
  });
});
