import { useState } from 'react';
import { browser } from 'wxt/browser';
import { t } from '../../components/i18n';
import { ProviderSection } from '../../components/ProviderSection';
import { openShortcutSettings, shortcutSettingsPlace, useSummariseShortcut } from '../../components/shortcut';

/** "Alt+Shift+S" as keys; macOS names shortcuts without "+" ("⌥⇧S"), which stays one key. */
function Keys({ shortcut }: { shortcut: string }) {
  const keys = shortcut.split('+');
  return (
    <kbd data-testid="shortcut">
      {keys.map((key, i) => (
        <span key={i}>
          {i > 0 && '+'}
          <kbd>{key}</kbd>
        </span>
      ))}
    </kbd>
  );
}

export function WelcomePage() {
  const shortcut = useSummariseShortcut();
  const [saved, setSaved] = useState(false);

  return (
    <main className="welcome">
      <header className="hero">
        <img src="/icon/128.png" alt="" width={56} height={56} />
        <div>
          <h1>{t('welcomeTitle')}</h1>
          <p className="lead">{t('welcomeLead')}</p>
        </div>
        <button type="button" className="quiet" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('allSettings')}
        </button>
      </header>

      <div className="columns">
        <div className="column">
          <section className="card step" aria-labelledby="try-title">
            <h2 id="try-title">{t('tryTitle')}</h2>
            <p>{t('tryBody')}</p>
            <div className="shortcut">
              <span className="shortcut-label">{t('shortcutLabel')}</span>
              {shortcut ? <Keys shortcut={shortcut} /> : shortcut === '' && <span data-testid="shortcut">{t('shortcutNone')}</span>}
              <button type="button" onClick={() => void openShortcutSettings()}>
                {t('shortcutChange')}
              </button>
            </div>
            <p className="help">{t('shortcutChangeHelp', { where: shortcutSettingsPlace() })}</p>
            <p className="offline">{t('tryOffline')}</p>
          </section>

          <section className="card" aria-labelledby="private-title">
            <h2 id="private-title">{t('privacyTitle')}</h2>
            <ul className="private">
              <li>{t('privacyKey')}</li>
              <li>{t('privacyPages')}</li>
              <li>{t('privacyTelemetry')}</li>
            </ul>
          </section>
        </div>

        <section className="card step setup">
          <ProviderSection heading={t('setupTitle')} onSaved={() => setSaved(true)} />
          {saved && <p className="all-set">{t('setupDone')}</p>}
        </section>
      </div>
    </main>
  );
}
