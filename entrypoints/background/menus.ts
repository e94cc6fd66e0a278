// Context menu and keyboard shortcut: all roads lead to summariseTab. The menu holds "Summarise
// page", "Summarise selection" and one item per custom prompt, rebuilt when the prompts change.
import { browser, type Browser } from 'wxt/browser';
import type { CustomPrompt } from '../../lib/preferences';
import { getPreferences, onPreferencesChanged } from './preferences';
import { summariseTab } from './summarise';

export const menuIds = { summarisePage: 'summarise-page', summariseSelection: 'summarise-selection' } as const;
const promptPrefix = 'prompt:';

export async function onMenuClicked(info: Browser.contextMenus.OnClickData, tab?: Browser.tabs.Tab) {
  const id = String(info.menuItemId);
  if (id === menuIds.summarisePage) return summariseTab(tab);
  if (id === menuIds.summariseSelection) return summariseTab(tab, { origin: { selection: true } });
  if (id.startsWith(promptPrefix)) return summariseTab(tab, { origin: { promptId: id.slice(promptPrefix.length) } });
}

export async function onCommand(command: string, tab?: Browser.tabs.Tab) {
  if (command !== 'summarise-page') return;
  // Firefox passes no tab to commands listeners.
  const target = tab ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  return summariseTab(target);
}

async function buildMenus(prompts: CustomPrompt[]) {
  await browser.contextMenus.removeAll();
  const item = (props: Browser.contextMenus.CreateProperties) =>
    new Promise<void>((resolve) => browser.contextMenus.create(props, () => resolve()));
  await item({ id: menuIds.summarisePage, title: browser.i18n.getMessage('menuSummarisePage'), contexts: ['page'] });
  await item({ id: menuIds.summariseSelection, title: browser.i18n.getMessage('menuSummariseSelection'), contexts: ['selection'] });
  for (const prompt of prompts) {
    await item({ id: promptPrefix + prompt.id, title: prompt.name, contexts: ['page', 'selection'] });
  }
}

export function setupMenus() {
  // Menus persist across worker restarts: build them at install, and again only when the prompts change.
  browser.runtime.onInstalled.addListener(() => void getPreferences().then((p) => buildMenus(p.customPrompts)));
  onPreferencesChanged((prefs, before) => {
    if (JSON.stringify(prefs.customPrompts) !== JSON.stringify(before.customPrompts)) void buildMenus(prefs.customPrompts);
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClicked(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void onCommand(command, tab));
}
