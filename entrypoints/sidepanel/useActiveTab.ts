// The tab the side panel follows: the active tab of its window. Opened as a tab of its own (tests,
// or a user who opens the page directly), it follows the active tab of whichever normal window is used.
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';

export function useActiveTab(): number | undefined {
  const [tabId, setTabId] = useState<number>();
  useEffect(() => {
    let cancelled = false;
    let follow: (info: { tabId: number; windowId: number }) => void = () => {};
    void (async () => {
      const own = await browser.tabs.getCurrent();
      const win = own ? await browser.windows.getLastFocused({ windowTypes: ['normal'] }) : await browser.windows.getCurrent();
      const [active] = await browser.tabs.query({ active: true, windowId: win.id });
      if (cancelled) return;
      if (active?.id !== undefined) setTabId(active.id);
      follow = own
        ? // In a tab of its own, only tabs of normal windows are pages to follow (not the popup, not itself).
          (info) =>
            info.tabId !== own.id &&
            void browser.windows.get(info.windowId).then(
              (w) => w.type === 'normal' && setTabId(info.tabId),
              () => undefined,
            )
        : (info) => info.windowId === win.id && setTabId(info.tabId);
    })();
    const onActivated = (info: { tabId: number; windowId: number }) => follow(info);
    browser.tabs.onActivated.addListener(onActivated);
    return () => {
      cancelled = true;
      browser.tabs.onActivated.removeListener(onActivated);
    };
  }, []);
  return tabId;
}
