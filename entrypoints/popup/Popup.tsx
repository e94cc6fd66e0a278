import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { ChatView } from '../../components/ChatView';
import { ErrorPanel } from '../../components/ErrorPanel';
import { t } from '../../components/i18n';
import { sendRequest } from '../../components/sendRequest';
import { useSummariseShortcut } from '../../components/shortcut';
import type { SummariseOutcome } from '../../lib/app/protocol';
import { sidePanelPage, surfaceFor, type Surface } from '../../lib/app/surface';

/** Until a provider is saved: what works already (the offline summary) and the way to set one up. */
function SetupGuide() {
  const shortcut = useSummariseShortcut();
  return (
    <section className="setup-guide" aria-labelledby="setup-guide-title">
      <h2 id="setup-guide-title">{t('setupNeeded')}</h2>
      <p>{t('setupNeededBody')}</p>
      <button type="button" onClick={() => void sendRequest({ type: 'welcome.open' }).then(() => window.close())}>
        {t('setUpModel')}
      </button>
      {shortcut !== undefined && <p className="help">{shortcut ? t('popupHintShortcut', { shortcut }) : t('popupHint')}</p>}
    </section>
  );
}

export function Popup() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<SummariseOutcome>();
  const [configured, setConfigured] = useState<boolean>();

  // Where the summary will show, known before the click: the side panel can only be opened
  // synchronously inside it.
  const [target, setTarget] = useState<{ tabId?: number; surface?: Surface; panelEverywhere?: boolean }>();

  useEffect(() => {
    void sendRequest({ type: 'settings.get' }).then((s) => setConfigured(s.configured), () => undefined);
    void (async () => {
      const [prefs, win] = await Promise.all([sendRequest({ type: 'prefs.get' }), browser.windows.getLastFocused({ windowTypes: ['normal'] })]);
      const [tab] = await browser.tabs.query({ active: true, windowId: win.id });
      setTarget({ ...(tab?.id !== undefined && { tabId: tab.id }), surface: surfaceFor(tab?.url, prefs.summariseOpensIn), panelEverywhere: prefs.summariseOpensIn === 'sidepanel' });
      // Not knowing, the background decides.
    })().catch(() => setTarget({}));
  }, []);

  /** Within the click, no await before it: the browser opens the side panel only inside the gesture. */
  function openPanel(tabId: number): Promise<void> {
    // Where the panel is not on everywhere (the sidebar is chosen), this tab gets it first, in this same task.
    if (!target?.panelEverywhere) void browser.sidePanel?.setOptions({ tabId, path: sidePanelPage, enabled: true }).catch(() => undefined);
    return browser.sidePanel?.open({ tabId }).catch(() => undefined) ?? Promise.resolve();
  }

  async function summarise() {
    if (target?.surface === 'panel' && target.tabId !== undefined) void openPanel(target.tabId);
    setBusy(true);
    try {
      const result = await sendRequest({ type: 'summarise.activeTab', ...(target?.surface && { surface: target.surface }) });
      setOutcome(result);
      // The summary streams into the page's sidebar or the side panel; the popup has done its job.
      if (result.ok) window.close();
    } finally {
      setBusy(false);
    }
  }

  return (
    <main>
      <header className="popup-header">
        <h1>{t('appName')}</h1>
        {/* Enabled once it knows where the summary goes: a click before that could not open the side panel. */}
        <button type="button" className="primary" onClick={() => void summarise()} disabled={busy || !target}>
          {busy ? t('summarising') : t('summarisePage')}
        </button>
        <button type="button" className="quiet" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/library.html') }).then(() => window.close())}>
          {t('libraryOpen')}
        </button>
        {/* The side panel's own tools ("Summarise a PDF file…", the library link) on any tab, whatever "Summarise page" opens. */}
        {browser.sidePanel && target?.tabId !== undefined && (
          <button type="button" className="quiet icon" onClick={() => void openPanel(target.tabId!).then(() => window.close())} aria-label={t('openSidePanel')} title={t('openSidePanel')}>
            ◨
          </button>
        )}
        <button type="button" className="quiet icon" onClick={() => void browser.runtime.openOptionsPage()} aria-label={t('openOptions')} title={t('openOptions')}>
          ⚙
        </button>
      </header>
      {outcome && !outcome.ok && <ErrorPanel error={outcome} />}
      {configured === false && <SetupGuide />}
      <ChatView />
    </main>
  );
}
