// The context menu and the keyboard shortcut as data: which items exist (rebuilt when the custom
// prompts or the choice of surface change) and what a click on each asks for. The background turns
// items into menus.
import type { SummaryOrigin } from '../jobs/job-view';
import type { CustomPrompt, Preferences } from '../preferences';

export const menuIds = { summarisePage: 'summarise-page', summariseSelection: 'summarise-selection' } as const;
export const summariseCommand = 'summarise-page';
const promptPrefix = 'prompt:';
/**
 * Items built while the user chose the side panel carry it in their ids. A click that wakes the
 * worker must open the panel synchronously, before the preferences could be read; the id it is
 * handed is the one thing it knows at once. Chrome keeps the items (and so the choice) across
 * worker restarts.
 */
const panelPrefix = 'panel:';

export interface MenuItem {
  id: string;
  /** A message name in _locales, or the user's own words. */
  title: { messageName: string } | { text: string };
  contexts: ('page' | 'selection')[];
}

export function menuItems(prompts: readonly CustomPrompt[], opensIn: Preferences['summariseOpensIn'] = 'sidebar'): MenuItem[] {
  const prefix = opensIn === 'sidepanel' ? panelPrefix : '';
  const items: MenuItem[] = [
    { id: menuIds.summarisePage, title: { messageName: 'menuSummarisePage' }, contexts: ['page'] },
    { id: menuIds.summariseSelection, title: { messageName: 'menuSummariseSelection' }, contexts: ['selection'] },
    ...prompts.map((prompt): MenuItem => ({ id: promptPrefix + prompt.id, title: { text: prompt.name }, contexts: ['page', 'selection'] })),
  ];
  return items.map((item) => ({ ...item, id: prefix + item.id }));
}

/** Where the menu item `id` was built to open the summary (items from before this knew nothing). */
export function menuOpensIn(id: string): Preferences['summariseOpensIn'] {
  return id.startsWith(panelPrefix) ? 'sidepanel' : 'sidebar';
}

/** What a click on menu item `id` summarises; undefined for an item that is not ours. */
export function originOfMenuItem(menuItemId: string): SummaryOrigin | undefined {
  const id = menuItemId.startsWith(panelPrefix) ? menuItemId.slice(panelPrefix.length) : menuItemId;
  if (id === menuIds.summarisePage) return {};
  if (id === menuIds.summariseSelection) return { selection: true };
  if (id.startsWith(promptPrefix)) return { promptId: id.slice(promptPrefix.length) };
  return undefined;
}

/** Whether the menu must be rebuilt after a preferences change. */
export const promptsChanged = (before: readonly CustomPrompt[], after: readonly CustomPrompt[]) =>
  JSON.stringify(before) !== JSON.stringify(after);

/** Whether a preferences change changes the menu's items: its prompts, or where a click opens. */
export const menuChanged = (before: Preferences, after: Preferences) =>
  promptsChanged(before.customPrompts, after.customPrompts) || before.summariseOpensIn !== after.summariseOpensIn;
