// What the side panel shows for a tab: asked of the background (which checks the tab still shows
// the page the summary was made of), and asked again when the background stores something new for
// the tab or the tab goes to another page. Nothing is polled: a panel at rest sends nothing.
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { sendRequest } from '../../components/sendRequest';
import { shownKey, type SidebarContent } from '../../lib/app/page-access';

export function usePanelContent(tabId: number | undefined): SidebarContent | undefined {
  const [shown, setShown] = useState<{ tabId: number; content?: SidebarContent; json: string }>();
  useEffect(() => {
    if (tabId === undefined) return;
    let current = true;
    const ask = () =>
      void sendRequest({ type: 'panel.content', tabId }).then(
        (content) =>
          current &&
          // The same content again must not re-render (nor drop a half-typed question).
          setShown((prev) => (prev?.tabId === tabId && prev.json === JSON.stringify(content ?? null) ? prev : { tabId, content, json: JSON.stringify(content ?? null) })),
        () => undefined,
      );
    const onStorage = (changes: Record<string, unknown>, area: string) => area === 'session' && shownKey(tabId) in changes && ask();
    const onUpdated = (id: number, change: { url?: string; status?: string }) => id === tabId && (change.url !== undefined || change.status === 'complete') && ask();
    browser.storage.onChanged.addListener(onStorage);
    browser.tabs.onUpdated.addListener(onUpdated);
    ask();
    return () => {
      current = false;
      browser.storage.onChanged.removeListener(onStorage);
      browser.tabs.onUpdated.removeListener(onUpdated);
    };
  }, [tabId]);
  return shown && shown.tabId === tabId ? shown.content : undefined;
}
