import { useEffect, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import { ErrorPanel } from '../../components/ErrorPanel';
import { t } from '../../components/i18n';
import { sendRequest } from '../../components/sendRequest';
import { DataSection } from './DataSection';
import { PreferencesSection } from './PreferencesSection';
import type { PublicSettings, SettingsInput, Verdict } from '../../lib/messages';

type Notice = { ok: true; text: string } | { ok: false; kind: string; message: string };

/** The API's origin as a host-permission pattern: asked for at save time, not at install. */
function originPattern(baseUrl: string): string | undefined {
  try {
    return `${new URL(baseUrl).origin}/*`;
  } catch {
    return undefined;
  }
}

export function OptionsPage() {
  const [settings, setSettings] = useState<PublicSettings>();
  const [baseUrl, setBaseUrl] = useState('');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [models, setModels] = useState<string[]>([]);

  useEffect(() => {
    void sendRequest<PublicSettings>({ type: 'settings.get' }).then((s) => {
      setSettings(s);
      setBaseUrl(s.baseUrl);
      setModel(s.model);
    });
    // Offer the provider's own model list where it has one; typing any name still works.
    void sendRequest<string[]>({ type: 'models.list' }).then(setModels, () => setModels([]));
  }, []);

  async function save(input: SettingsInput) {
    setNotice(undefined);
    const pattern = originPattern(input.baseUrl);
    // permissions.request must run inside the click's user gesture: before any other await.
    const granted = pattern ? await browser.permissions.request({ origins: [pattern] }).catch(() => false) : false;
    if (!granted) {
      const origin = pattern?.slice(0, -2) ?? input.baseUrl;
      setNotice({ ok: false, kind: 'permission', message: t('permissionDenied', { origin }) });
      return;
    }
    try {
      const next = await sendRequest<PublicSettings>({ type: 'settings.save', settings: input });
      setSettings(next);
      setApiKey('');
      setPassphrase('');
      setNotice({ ok: true, text: t('saved') });
      void sendRequest<string[]>({ type: 'models.list' }).then(setModels, () => setModels([]));
    } catch (err) {
      setNotice({ ok: false, kind: 'bad_request', message: (err as Error).message });
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save({ baseUrl, model, apiKey: apiKey || undefined, passphrase: (apiKey && passphrase) || undefined });
  }

  async function vault(req: { type: 'vault.unlock'; passphrase: string } | { type: 'vault.lock' }) {
    setNotice(undefined);
    try {
      setSettings(await sendRequest<PublicSettings>(req));
      setPassphrase('');
      if (req.type === 'vault.unlock') setNotice({ ok: true, text: t('unlocked') });
    } catch (err) {
      setNotice({ ok: false, kind: 'locked', message: (err as Error).message });
    }
  }

  async function test() {
    setBusy(true);
    setNotice(undefined);
    try {
      const verdict = await sendRequest<Verdict>({ type: 'settings.test' });
      setNotice(verdict.ok ? { ok: true, text: verdict.detail } : verdict);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      {settings?.locked && (
        <form
          className="unlock"
          onSubmit={(e) => {
            e.preventDefault();
            void vault({ type: 'vault.unlock', passphrase });
          }}
        >
          <label htmlFor="unlock">{t('unlockTitle')}</label>
          <div className="row">
            <input id="unlock" type="password" required value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
            <button type="submit" className="primary">
              {t('unlock')}
            </button>
          </div>
        </form>
      )}
      {/* The form appears once the stored settings are in, so nothing typed is overwritten by them. */}
      {settings && (
      <form onSubmit={onSubmit}>
        <h2>{t('providerSection')}</h2>
        <label htmlFor="baseUrl">{t('baseUrl')}</label>
        <input id="baseUrl" type="url" required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
        <p className="help">{t('baseUrlHelp')}</p>
        <label htmlFor="model">{t('model')}</label>
        <input id="model" required list="models" value={model} onChange={(e) => setModel(e.target.value)} />
        <datalist id="models">
          {models.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <label htmlFor="apiKey">{t('apiKey')}</label>
        <input
          id="apiKey"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          placeholder={settings?.keyMask}
          onChange={(e) => setApiKey(e.target.value)}
        />
        <p className="help">{settings?.hasKey ? t('apiKeyStored', { mask: settings.keyMask }) : t('apiKeyNone')}</p>
        {apiKey && (
          <>
            <label htmlFor="passphrase">{t('passphrase')}</label>
            <input
              id="passphrase"
              type="password"
              autoComplete="new-password"
              minLength={8}
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
            <p className="help">{t('passphraseHelp')}</p>
          </>
        )}
        <div className="row">
          <button type="submit" className="primary">
            {t('save')}
          </button>
          <button type="button" onClick={() => void test()} disabled={busy || !settings}>
            {busy ? t('testing') : t('testConnection')}
          </button>
          {settings?.hasKey && (
            <button type="button" onClick={() => void save({ baseUrl, model, apiKey: '' })}>
              {t('deleteKey')}
            </button>
          )}
          {settings?.passphraseProtected && !settings.locked && (
            <button type="button" onClick={() => void vault({ type: 'vault.lock' })}>
              {t('lockNow')}
            </button>
          )}
        </div>
      </form>
      )}
      <div className="row" aria-live="polite">
        {notice?.ok && (
          <p className="ok" data-testid="notice">
            {notice.text}
          </p>
        )}
        {notice && !notice.ok && <ErrorPanel error={notice} />}
      </div>
      <PreferencesSection />
      <DataSection />
    </main>
  );
}
