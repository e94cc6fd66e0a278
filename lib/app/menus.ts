// The context menu and the keyboard shortcut as data: which items exist (rebuilt when the custom
// prompts change) and what a click on each asks for. The background turns items into menus.
import type { SummaryOrigin } from '../jobs/job-view';
import type { CustomPrompt } from '../preferences';

export const menuIds = { summarisePage: 'summarise-page', summariseSelection: 'summarise-selection' } as const;
export const summariseCommand = 'summarise-page';
const promptPrefix = 'prompt:';

export interface MenuItem {
  id: string;
  /** A message name in _locales, or the user's own words. */
  title: { messageName: string } | { text: string };
  contexts: ('page' | 'selection')[];
}

export function menuItems(prompts: readonly CustomPrompt[]): MenuItem[] {
  return [
    { id: menuIds.summarisePage, title: { messageName: 'menuSummarisePage' }, contexts: ['page'] },
    { id: menuIds.summariseSelection, title: { messageName: 'menuSummariseSelection' }, contexts: ['selection'] },
    ...prompts.map((prompt): MenuItem => ({ id: promptPrefix + prompt.id, title: { text: prompt.name }, contexts: ['page', 'selection'] })),
  ];
}

/** What a click on menu item `id` summarises; undefined for an item that is not ours. */
export function originOfMenuItem(id: string): SummaryOrigin | undefined {
  if (id === menuIds.summarisePage) return {};
  if (id === menuIds.summariseSelection) return { selection: true };
  if (id.startsWith(promptPrefix)) return { promptId: id.slice(promptPrefix.length) };
  return undefined;
}

/** Whether the menu must be rebuilt after a preferences change. */
export const promptsChanged = (before: readonly CustomPrompt[], after: readonly CustomPrompt[]) =>
  JSON.stringify(before) !== JSON.stringify(after);
