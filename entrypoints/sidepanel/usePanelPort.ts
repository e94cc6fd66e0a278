// Once a chip in the side panel has painted a citation highlight in its tab, a port tells the
// background which tab that is: when the panel closes (or turns to another tab) the port closes, and
// the background clears the highlight there. Opened on a chip's click, not before: a panel that
// shows nothing to clear holds no port and never wakes the worker.
import { useCallback, useEffect, useRef } from 'react';
import { browser } from 'wxt/browser';
import { panelPortPrefix } from '../../lib/app/tab-protocol';

type Port = ReturnType<typeof browser.runtime.connect>;

/** Returns what to call when a chip may paint a highlight in tab `tabId`. */
export function usePanelPort(tabId: number | undefined): () => void {
  const port = useRef<Port>(undefined);
  useEffect(
    () => () => {
      port.current?.disconnect();
      port.current = undefined;
    },
    [tabId],
  );
  return useCallback(() => {
    if (port.current || tabId === undefined) return;
    const opened = browser.runtime.connect({ name: panelPortPrefix + tabId });
    // A worker that stopped took the port with it: the next chip opens another.
    opened.onDisconnect.addListener(() => port.current === opened && (port.current = undefined));
    port.current = opened;
  }, [tabId]);
}
