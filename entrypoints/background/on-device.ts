// The browser's built-in model runs in the page's content script (it is not exposed to workers);
// the background job waits here for the text it streams back over an `ondevice:<token>` port.
import { browser, type Browser } from 'wxt/browser';
import type { JobIo } from '../../lib/jobs/runner';
import { onDevicePortPrefix, type OnDevicePortMessage, type TabRequest } from '../../lib/messages';

interface Waiting {
  io: JobIo;
  settle: (err?: Error) => void;
}

const waiting = new Map<string, Waiting>();

export async function onDeviceReady(tabId: number): Promise<boolean> {
  const request: TabRequest = { type: 'ondevice.ready' };
  return browser.tabs.sendMessage(tabId, request).then(
    (ready) => ready === true,
    () => false,
  );
}

/** Resolves when the content script has streamed the whole summary into `io`. */
export function runOnDevice(tabId: number, io: JobIo): Promise<void> {
  const token = crypto.randomUUID();
  return new Promise<void>((resolve, reject) => {
    waiting.set(token, { io, settle: (err) => (waiting.delete(token), err ? reject(err) : resolve()) });
    const request: TabRequest = { type: 'ondevice.run', token };
    browser.tabs.sendMessage(tabId, request).catch((err: Error) => waiting.get(token)?.settle(err));
  });
}

/** Ports named `ondevice:<token>` from our content script; anything else is not ours to take. */
export function acceptOnDevicePort(port: Browser.runtime.Port): boolean {
  if (!port.name.startsWith(onDevicePortPrefix)) return false;
  const entry = waiting.get(port.name.slice(onDevicePortPrefix.length));
  if (!entry) {
    port.disconnect();
    return true;
  }
  port.onMessage.addListener((msg: OnDevicePortMessage) => {
    if (msg.type === 'delta' && typeof msg.text === 'string') entry.io.onDelta(msg.text);
    else if (msg.type === 'done') entry.settle();
    else if (msg.type === 'error') entry.settle(Object.assign(new Error(String(msg.message)), { kind: 'on_device' }));
  });
  port.onDisconnect.addListener(() => entry.settle(Object.assign(new Error('The page was closed before the summary was finished.'), { kind: 'stream_cut' })));
  return true;
}
