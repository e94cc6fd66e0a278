// Context menu and keyboard shortcut: both end in summariseTab.
import { browser, type Browser } from 'wxt/browser';
import { summariseTab } from './summarise';

export const menuIds = { summarisePage: 'summarise-page' } as const;

export async function onMenuClicked(info: Browser.contextMenus.OnClickData, tab?: Browser.tabs.Tab) {
  if (info.menuItemId === menuIds.summarisePage) return summariseTab(tab);
}

export async function onCommand(command: string, tab?: Browser.tabs.Tab) {
  if (command !== 'summarise-page') return;
  // Firefox passes no tab to commands listeners.
  const target = tab ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  return summariseTab(target);
}

export function setupMenus() {
  // Menus persist across worker restarts; (re)create them only when the extension is installed or updated.
  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.removeAll(() => {
      browser.contextMenus.create({
        id: menuIds.summarisePage,
        title: browser.i18n.getMessage('menuSummarisePage'),
        contexts: ['page'],
      });
    });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClicked(info, tab));
  browser.commands.onCommand.addListener((command, tab) => void onCommand(command, tab));
}
