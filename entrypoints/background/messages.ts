// The background's doors: every message and port is checked before anything else happens.
import { browser, type Browser } from 'wxt/browser';
import { jobPortPrefix, type BackgroundRequest, type Reply } from '../../lib/messages';
import { parseRequest } from '../../lib/security/schemas';
import { jobRunner, llmClient } from './services';
import { getPublicSettings, saveSettings } from './settings';
import { summariseTab } from './summarise';
import { testConnection } from './test-connection';

function fromOurExtension(sender: Browser.runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id;
}

/** Extension pages (popup, options) may change settings; content scripts in web pages may not. */
function fromExtensionPage(sender: Browser.runtime.MessageSender): boolean {
  return fromOurExtension(sender) && !!sender.url?.startsWith(browser.runtime.getURL('/'));
}

async function handle(req: BackgroundRequest, sender: Browser.runtime.MessageSender): Promise<unknown> {
  const pageOnly = req.type.startsWith('settings.') || req.type === 'summarise.activeTab';
  if (pageOnly && !fromExtensionPage(sender)) throw new Error('Not allowed from a web page');
  switch (req.type) {
    case 'settings.get':
      return getPublicSettings();
    case 'settings.save':
      return saveSettings(req.settings);
    case 'settings.test':
      return testConnection(llmClient());
    case 'summarise.activeTab': {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      return summariseTab(tab);
    }
    case 'job.stop':
      return jobRunner().stop(req.jobId);
    case 'options.open':
      return browser.runtime.openOptionsPage();
  }
}

export function setupMessages() {
  browser.runtime.onMessage.addListener((raw: unknown, sender, sendResponse: (r: Reply<unknown>) => void) => {
    if (!fromOurExtension(sender)) return false;
    Promise.resolve()
      .then(() => handle(parseRequest(raw), sender))
      .then(
        (value) => sendResponse({ ok: true, value }),
        (err: Error) => sendResponse({ ok: false, error: err.message }),
      );
    return true; // answer asynchronously
  });

  browser.runtime.onConnect.addListener((port) => {
    if (!port.sender || !fromOurExtension(port.sender) || !port.name.startsWith(jobPortPrefix)) {
      port.disconnect();
      return;
    }
    const jobId = port.name.slice(jobPortPrefix.length);
    let unsubscribe: (() => void) | undefined;
    let closed = false;
    port.onDisconnect.addListener(() => {
      closed = true;
      unsubscribe?.();
    });
    jobRunner()
      .subscribe(jobId, (msg) => port.postMessage(msg))
      .then(
        (off) => (closed ? off() : (unsubscribe = off)),
        () => port.disconnect(),
      );
  });
}
