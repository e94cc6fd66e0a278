// The "Summarise page" keyboard shortcut as the browser has it now. The manifest only suggests
// Alt+Shift+S: the user may have changed or removed it, or another extension may hold those keys.
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { summariseCommand } from '../lib/app/menus';

type CommandsApi = typeof browser.commands & { openShortcutSettings?: () => Promise<void> };
const commands = (): CommandsApi => browser.commands;

/** The shortcut, e.g. "Alt+Shift+S"; '' when none is set; undefined until the browser answers. */
export function useSummariseShortcut(): string | undefined {
  const [shortcut, setShortcut] = useState<string>();
  useEffect(() => {
    void commands()
      .getAll()
      .then(
        (all) => setShortcut(all.find((c) => c.name === summariseCommand)?.shortcut ?? ''),
        () => setShortcut(''),
      );
  }, []);
  return shortcut;
}

/** Firefox has an API for its shortcut editor; Chrome lets an extension page open its settings page. */
export const shortcutSettingsPlace = () => (commands().openShortcutSettings ? 'about:addons' : 'chrome://extensions/shortcuts');

export async function openShortcutSettings(): Promise<void> {
  const api = commands();
  if (api.openShortcutSettings) return api.openShortcutSettings();
  await browser.tabs.create({ url: shortcutSettingsPlace() });
}
