// The composition root: the application core built on the browser, and every listener registered
// synchronously, before any await, so an event that wakes the worker is never missed.
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createPrecis } from '../../lib/app/core';
import { asPortLike, browserPlatform } from './platform';

const pruneAlarm = 'precis-prune';

export default defineBackground(() => {
  const platform = browserPlatform();
  const precis = createPrecis(platform, { id: browser.runtime.id, pagesOrigin: browser.runtime.getURL('/') });

  browser.runtime.onMessage.addListener((raw: unknown, sender, sendResponse: (reply: unknown) => void) => {
    // A sender the core does not answer (not ours) gets an empty reply rather than a wait.
    void precis.handleMessage(raw, sender).then(sendResponse);
    return true; // answer asynchronously
  });
  browser.runtime.onConnect.addListener((port) => precis.connect(asPortLike(port), port.sender ?? {}));
  // Both handlers open the side panel (where it is the surface) before their first await: the
  // browser allows that only inside the gesture, synchronously.
  browser.contextMenus.onClicked.addListener((info, tab) => void precis.onMenuClicked(info.menuItemId, tab));
  browser.commands.onCommand.addListener((command, tab) => void precis.onCommand(command, tab));
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void browser.alarms.create(pruneAlarm, { periodInMinutes: 60 });
    void precis.onInstalled(reason);
  });
  browser.alarms.onAlarm.addListener((alarm) => alarm.name === pruneAlarm && void precis.prune());
  browser.storage.onChanged.addListener((changes, areaName) => areaName === 'local' && void precis.onLocalStorageChanged(changes));

  void precis.recover();
  void precis.warmUp();
  if (import.meta.env.MODE === 'e2e' || import.meta.env.MODE === 'demo') {
    // Automation cannot click a context-menu item: e2e tests and the demo call the very handlers the clicks call.
    // Nor can it make a gesture: each call counts as one, and every side panel opening records
    // whether it came while the handler was still running synchronously (inside the gesture).
    // A blind try (before the choice is known) is marked: the browser shows it only where chosen.
    const panelOpens: Array<{ tabId: number; inGesture: boolean; ifChosen?: true }> = [];
    let inGesture = false;
    const openPanel = platform.openPanel;
    platform.openPanel = (tabId, opts) => {
      panelOpens.push({ tabId, inGesture, ...(opts?.ifChosen && { ifChosen: true as const }) });
      openPanel?.(tabId, opts);
    };
    const gesture = <T,>(handler: () => T): T => {
      inGesture = true;
      try {
        return handler();
      } finally {
        inGesture = false;
      }
    };
    // The menu items' ids as last built, kept where Chrome keeps the items themselves (across worker
    // restarts): a test clicks the item that exists, as a user does.
    const setMenu = platform.setMenu;
    platform.setMenu = async (items) => {
      await setMenu(items);
      await browser.storage.session.set({ precisTestMenuIds: items.map((item) => item.id) });
    };
    // The side panel really opening: only a real gesture (a click in an extension page) can do it here.
    const realPanelOpens: Array<{ windowId: number }> = [];
    browser.sidePanel?.onOpened?.addListener(({ windowId }) => void realPanelOpens.push({ windowId }));
    const onMenuClicked = (info: { menuItemId: string | number }, tab?: Parameters<typeof precis.onMenuClicked>[1]) => gesture(() => precis.onMenuClicked(info.menuItemId, tab));
    const onCommand = (command: string, tab?: Parameters<typeof precis.onCommand>[1]) => gesture(() => precis.onCommand(command, tab));
    // What views send, counted, so tests can see that a view at rest sends nothing.
    const traffic = { messages: 0, ports: 0 };
    browser.runtime.onMessage.addListener(() => void traffic.messages++);
    browser.runtime.onConnect.addListener(() => void traffic.ports++);
    Object.assign(globalThis, {
      precisTest: { onMenuClicked, onCommand, panelOpens, realPanelOpens, summariseTab: precis.summariseTab, saveSettings: precis.saveSettings, browser, traffic },
    });
  }
});
