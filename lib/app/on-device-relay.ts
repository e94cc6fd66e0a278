// The browser's built-in model runs in the page's content script (it is not exposed to workers);
// the background job waits here for the text the page streams back over an `ondevice:<token>` port.
import { appErrors } from '../errors';
import type { JobIo } from '../jobs/runner';
import type { OnDeviceModel, PortLike, Tabs } from './ports';
import { onDevicePortPrefix, type OnDevicePortMessage } from './tab-protocol';

interface Waiting {
  /** The tab asked to run the model: only its content script may stream the answer. */
  tabId: number;
  io: JobIo;
  settle: (err?: Error) => void;
}

export function createOnDeviceRelay(tabs: Tabs, newToken: () => string = () => crypto.randomUUID()) {
  const waiting = new Map<string, Waiting>();
  const claimed = new Set<string>();

  const model: OnDeviceModel = {
    ready: (tabId) =>
      tabs.send(tabId, { type: 'ondevice.ready' }).then(
        (ready) => ready === true,
        () => false,
      ),
    run(tabId, io) {
      const token = newToken();
      return new Promise<void>((resolve, reject) => {
        const settle = (err?: Error) => {
          waiting.delete(token);
          claimed.delete(token);
          if (err) reject(err);
          else resolve();
        };
        waiting.set(token, { tabId, io, settle });
        tabs.send(tabId, { type: 'ondevice.run', token }).catch((err: Error) => waiting.get(token)?.settle(err));
      });
    },
  };

  /**
   * Takes a port named `ondevice:<token>`; false for any other port. Only the content script of the
   * tab that was asked, and only once per token: another tab, or a second port, is disconnected.
   */
  function accept(port: PortLike, fromTabId: number | undefined): boolean {
    if (!port.name.startsWith(onDevicePortPrefix)) return false;
    const token = port.name.slice(onDevicePortPrefix.length);
    const entry = waiting.get(token);
    if (!entry || entry.tabId !== fromTabId || claimed.has(token)) {
      port.disconnect();
      return true;
    }
    claimed.add(token);
    port.onMessage((raw) => {
      const msg = raw as OnDevicePortMessage;
      if (msg.type === 'delta' && typeof msg.text === 'string') entry.io.onDelta(msg.text);
      else if (msg.type === 'done') entry.settle();
      else if (msg.type === 'error') entry.settle(appErrors.onDevice(String(msg.message)));
    });
    port.onDisconnect(() => entry.settle(appErrors.pageClosed()));
    return true;
  }

  return { model, accept };
}
