// The background's doors: every message and port is checked before anything else happens.
import { browser, type Browser } from 'wxt/browser';
import { jobPortPrefix, type BackgroundRequest, type Reply } from '../../lib/messages';
import { DEFAULT_PRICES } from '../../lib/cache';
import { deleteAllData, exportUserData } from '../../lib/privacy';
import { parseRequest } from '../../lib/security/schemas';
import { database, jobRunner, llmClient, responseCache } from './services';
import { acceptOnDevicePort } from './on-device';
import { deleteChat, getChat, listChats, retryChat, sendChat } from './chat';
import { getPreferences, savePreferences } from './preferences';
import { getPublicSettings, lockVault, saveSettings, unlockVault } from './settings';
import { summariseTab } from './summarise';
import { testConnection } from './test-connection';

function fromOurExtension(sender: Browser.runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id;
}

/** Extension pages (popup, options) may do anything; content scripts in web pages only a few things. */
function fromExtensionPage(sender: Browser.runtime.MessageSender): boolean {
  return fromOurExtension(sender) && !!sender.url?.startsWith(browser.runtime.getURL('/'));
}

const allowedFromContentScripts = new Set<BackgroundRequest['type']>([
  'job.stop',
  'job.forget',
  'summarise.thisTab',
  'options.open',
  'prefs.get',
  // The sidebar's follow-up questions, always about the tab it lives in.
  'chat.send',
  'chat.get',
]);

async function forgetJob(jobId: string) {
  const job = await jobRunner().get(jobId);
  if (!job) throw new Error('That summary no longer exists.');
  return responseCache().forget(job.requestHashes, 'user: forget this page');
}

async function handle(req: BackgroundRequest, sender: Browser.runtime.MessageSender): Promise<unknown> {
  if (!allowedFromContentScripts.has(req.type) && !fromExtensionPage(sender)) throw new Error('Not allowed from a web page');
  switch (req.type) {
    case 'settings.get':
      return getPublicSettings();
    case 'settings.save':
      return saveSettings(req.settings);
    case 'settings.test':
      return testConnection(llmClient());
    case 'vault.unlock':
      return unlockVault(req.passphrase);
    case 'vault.lock':
      return lockVault();
    case 'summarise.activeTab': {
      // The tab the user is looking at: the active tab of the last focused normal window (the
      // popup's own window, when it is one, is not a page to summarise).
      const win = await browser.windows.getLastFocused({ windowTypes: ['normal'] });
      const [tab] = await browser.tabs.query({ active: true, windowId: win.id });
      return summariseTab(tab);
    }
    case 'summarise.thisTab':
      // A content script may only act on the tab it runs in.
      return summariseTab(sender.tab, { regenerate: req.regenerate, origin: req.origin });
    case 'job.stop':
      return jobRunner().stop(req.jobId);
    case 'job.forget':
      return forgetJob(req.jobId);
    case 'options.open':
      return browser.runtime.openOptionsPage();
    case 'chat.list':
      return listChats();
    case 'chat.get':
      return getChat(req.conversationId);
    case 'chat.send':
      return sendChat(req, fromExtensionPage(sender) ? undefined : sender.tab);
    case 'chat.retry':
      return retryChat(req.conversationId);
    case 'chat.delete':
      return deleteChat(req.conversationId);
    case 'models.list':
      return llmClient().listModels();
    case 'prefs.get':
      return getPreferences();
    case 'prefs.save':
      return savePreferences(req.patch);
    case 'cache.stats': {
      const { prices } = await getPreferences();
      return responseCache().stats({ prices: { ...DEFAULT_PRICES, ...prices } });
    }
    case 'privacy.export':
      return exportUserData(database());
    case 'privacy.deleteAll':
      return deleteAllData(database(), { memory: [responseCache()], reason: 'user: delete all data' });
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
    if (port.sender && fromOurExtension(port.sender) && acceptOnDevicePort(port)) return;
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
