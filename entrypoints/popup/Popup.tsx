import { useState } from 'react';
import { browser } from 'wxt/browser';
import { ChatView } from '../../components/ChatView';
import { ErrorPanel } from '../../components/ErrorPanel';
import { t } from '../../components/i18n';
import { sendRequest } from '../../components/sendRequest';
import type { SummariseOutcome } from '../../lib/app/protocol';

export function Popup() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<SummariseOutcome>();

  async function summarise() {
    setBusy(true);
    try {
      const result = await sendRequest({ type: 'summarise.activeTab' });
      setOutcome(result);
      // The summary streams into the page's sidebar; the popup has done its job.
      if (result.ok) window.close();
    } finally {
      setBusy(false);
    }
  }

  return (
    <main>
      <header className="popup-header">
        <h1>{t('appName')}</h1>
        <button type="button" className="primary" onClick={() => void summarise()} disabled={busy}>
          {busy ? t('summarising') : t('summarisePage')}
        </button>
        <button type="button" className="quiet" onClick={() => void browser.runtime.openOptionsPage()} aria-label={t('openOptions')} title={t('openOptions')}>
          ⚙
        </button>
      </header>
      {outcome && !outcome.ok && <ErrorPanel error={outcome} />}
      <ChatView />
    </main>
  );
}
