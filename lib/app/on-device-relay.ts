// The browser's built-in model runs in the page's content script (it is not exposed to workers);
// the background job waits here for the text the page streams back over an `ondevice:<token>` port.
import { appErrors } from '../errors';
import type { JobIo } from '../jobs/runner';
import type { OnDeviceModel, PortLike, Tabs } from './ports';
import { onDevicePortPrefix, type OnDevicePortMessage } from './tab-protocol';

interface Waiting {
  io: JobIo;
  settle: (err?: Error) => void;
}

export function createOnDeviceRelay(tabs: Tabs, newToken = () => crypto.randomUUID()) {
  const waiting = new Map<string, Waiting>();

  const model: OnDeviceModel = {
    ready: (tabId) =>
      tabs.send(tabId, { type: 'ondevice.ready' }).then(
        (ready) => ready === true,
        () => false,
      ),
    run(tabId, io) {
      const token = newToken();
      return new Promise<void>((resolve, reject) => {
        waiting.set(token, { io, settle: (err) => (waiting.delete(token), err ? reject(err) : resolve()) });
        tabs.send(tabId, { type: 'ondevice.run', token }).catch((err: Error) => waiting.get(token)?.settle(err));
      });
    },
  };

  /** Takes a port named `ondevice:<token>` from our content script; false for any other port. */
  function accept(port: PortLike): boolean {
    if (!port.name.startsWith(onDevicePortPrefix)) return false;
    const entry = waiting.get(port.name.slice(onDevicePortPrefix.length));
    if (!entry) {
      port.disconnect();
      return true;
    }
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
