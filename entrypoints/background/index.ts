import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { setupHousekeeping, warmUp } from './housekeeping';
import { onCommand, onMenuClicked, setupMenus } from './menus';
import { setupMessages } from './messages';
import { jobRunner, setupPreferenceSync } from './services';
import { saveSettings } from './settings';
import { summariseTab } from './summarise';

export default defineBackground(() => {
  // Every listener is registered synchronously, before any await, so an event that wakes the
  // worker is never missed.
  setupMenus();
  setupMessages();
  setupHousekeeping();
  setupPreferenceSync();
  void jobRunner().markInterrupted();
  void warmUp();
  if (import.meta.env.MODE === 'e2e' || import.meta.env.MODE === 'demo') {
    // Automation cannot click a context-menu item: e2e tests and the demo call the very handlers the clicks call.
    Object.assign(globalThis, { precisTest: { onMenuClicked, onCommand, summariseTab, saveSettings, browser } });
  }
});
