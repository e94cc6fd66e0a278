import { describe, expect, it } from 'vitest';
import { menuChanged, menuItems, menuOpensIn, originOfMenuItem, promptsChanged } from '../../../lib/app/menus';
import { readPreferences } from '../../../lib/preferences';

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

  it('built while the side panel is chosen, says so in every id, and each click still asks for its own thing', () => {
    const sidebar = menuItems([prompt], 'sidebar');
    const panel = menuItems([prompt], 'sidepanel');
    expect(new Set(panel.map((i) => i.id)).size).toBe(3);
    expect(panel.map((i) => menuOpensIn(i.id))).toEqual(['sidepanel', 'sidepanel', 'sidepanel']);
    expect(sidebar.map((i) => menuOpensIn(i.id))).toEqual(['sidebar', 'sidebar', 'sidebar']);
    expect(panel.map((i) => originOfMenuItem(i.id))).toEqual(sidebar.map((i) => originOfMenuItem(i.id)));
    expect(panel.map((i) => [i.title, i.contexts])).toEqual(sidebar.map((i) => [i.title, i.contexts]));
    expect(originOfMenuItem('panel:someone-elses-item')).toBeUndefined();
  });

  it('is rebuilt when the prompts or the choice of surface change, and only then', () => {
    const prefs = readPreferences({ customPrompts: [prompt] });
    expect(menuChanged(prefs, readPreferences({ customPrompts: [{ ...prompt }] }))).toBe(false);
    expect(menuChanged(prefs, readPreferences({ customPrompts: [prompt], summariseOpensIn: 'sidepanel' }))).toBe(true);
    expect(menuChanged(prefs, readPreferences({ customPrompts: [prompt], outputLanguage: 'French' }))).toBe(false);
  });

  it('is rebuilt only when the prompts change', () => {
    expect(promptsChanged([prompt], [{ ...prompt }])).toBe(false);
    expect(promptsChanged([prompt], [{ ...prompt, name: 'ELI5' }])).toBe(true);
    expect(promptsChanged([], [prompt])).toBe(true);
  });
});
