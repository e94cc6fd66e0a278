// Once a chip in the side panel has painted a citation highlight in its tab, the highlight must go
// when the panel closes (or turns to another tab). The panel tells the tab itself, and a port tells
// the background too: Chrome stops an idle worker (and the port with it) after 30 s, and a closing
// page's last message may not get out, so each covers what the other can miss. Opened on a chip's
// click, not before: a panel that shows nothing to clear holds no port and never wakes the worker.
import { useCallback, useEffect, useRef } from 'react';
import { browser } from 'wxt/browser';
import { panelPortPrefix, type TabRequest } from '../../lib/app/tab-protocol';

type Port = ReturnType<typeof browser.runtime.connect>;

/** Returns what to call when a chip may paint a highlight in tab `tabId`. */
export function usePanelPort(tabId: number | undefined): () => void {
  const port = useRef<Port>(undefined);
  // Whether a chip was clicked for this tab: kept when the port is gone with a stopped worker.
  const painted = useRef(false);
  useEffect(() => {
    if (tabId === undefined) return;
    const clear = () => {
      if (!painted.current) return;
      void browser.tabs.sendMessage(tabId, { type: 'citation.clear' } satisfies TabRequest).catch(() => undefined);
    };
    window.addEventListener('pagehide', clear);
    return () => {
      window.removeEventListener('pagehide', clear);
      clear();
      painted.current = false;
      port.current?.disconnect();
      port.current = undefined;
    };
  }, [tabId]);
  return useCallback(() => {
    painted.current = true;
    if (port.current || tabId === undefined) return;
    const opened = browser.runtime.connect({ name: panelPortPrefix + tabId });
    // A worker that stopped took the port with it: the next chip opens another.
    opened.onDisconnect.addListener(() => port.current === opened && (port.current = undefined));
    port.current = opened;
  }, [tabId]);
}
