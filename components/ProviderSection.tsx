import { useEffect, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import { ErrorPanel } from './ErrorPanel';
import { t, type MessageKey } from './i18n';
import { sendRequest, viewOf } from './sendRequest';
import type { ErrorView } from '../lib/errors';
import { minPassphraseLength } from '../lib/security/vault';
import type { PublicSettings, SettingsInput } from '../lib/app/protocol';
import type { LockedField } from '../lib/app/policy';
import { PRESETS, presetById, providerProblems, resolveProvider, type ProviderSettings } from '../lib/providers';

type Notice = { ok: true; text: string } | ({ ok: false } & ErrorView);
type HeaderRow = { name: string; value: string };

/**
 * The API's origin as a host-permission pattern: asked for at save time, not at install. Firefox
 * does not count a pattern with a port as covered by its host's grant (it prompted for
 * `http://127.0.0.1:41765/*` with `http://127.0.0.1/*` granted, and Save waited on the prompt), so
 * there the port is left out; Chrome keeps it, and with it access to that one local service only.
 */
function originPattern(baseUrl: string): string | undefined {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${import.meta.env.FIREFOX ? url.hostname : url.host}/*`;
  } catch {
    return undefined;
  }
}

/** The provider form of the options page and the welcome page; `heading` names it where it sits. */
export function ProviderSection({ heading = t('providerSection'), onSaved }: { heading?: string; onSaved?: () => void }) {
  const [settings, setSettings] = useState<PublicSettings>();
  const [presetId, setPresetId] = useState('openai');
  const [baseUrl, setBaseUrl] = useState('');
  const [model, setModel] = useState('');
  const [kind, setKind] = useState<'openai' | 'anthropic'>('openai');
  const [azure, setAzure] = useState({ resource: '', deployment: '', apiVersion: '' });
  const [apiKey, setApiKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  // Header values are never read back from the background: edited rows replace all headers on save.
  const [headers, setHeaders] = useState<HeaderRow[]>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [unlockError, setUnlockError] = useState<ErrorView>();
  const [models, setModels] = useState<string[]>([]);
  const preset = presetById(presetId);
  // What the administrator fixed: shown, read-only, with their reason.
  const locks = settings?.managed;
  const locked = (field: LockedField) => !!locks?.fields.includes(field);
  const lockedProps = (field: LockedField) => (locked(field) ? { disabled: true, 'aria-describedby': 'managed' } : {});

  const loadModels = () => void sendRequest({ type: 'models.list' }).then(setModels, () => setModels([]));
  useEffect(() => {
    void sendRequest({ type: 'settings.get' }).then((s) => {
      setSettings(s);
      setPresetId(s.presetId);
      setBaseUrl(s.baseUrl);
      setModel(s.model);
      if (s.kind) setKind(s.kind);
      if (s.azure) setAzure({ ...s.azure, apiVersion: s.azure.apiVersion ?? '' });
    });
    // Offer the provider's own model list where it has one; typing any name still works.
    loadModels();
  }, []);

  function choosePreset(id: string) {
    setPresetId(id);
    // The preset's own URL and model apply unless the user types others.
    setBaseUrl('');
    setModel('');
    setModels(presetById(id)?.suggestedModels ?? []);
  }

  function input(extra: Partial<SettingsInput> = {}): SettingsInput {
    return {
      presetId,
      baseUrl: baseUrl.trim(),
      model: model.trim(),
      ...(presetId === 'custom' && { kind }),
      ...(preset?.kind === 'azure' && { azure: { resource: azure.resource, deployment: azure.deployment, ...(azure.apiVersion && { apiVersion: azure.apiVersion }) } }),
      ...(headers && { headers: Object.fromEntries(headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value])) }),
      ...(apiKey && { apiKey }),
      ...(apiKey && passphrase && { passphrase }),
      ...extra,
    };
  }

  async function save(next: SettingsInput) {
    setNotice(undefined);
    const asSettings: ProviderSettings = { ...next, apiKey: next.apiKey ?? (settings?.hasKey ? 'stored' : '') };
    const problem = providerProblems(asSettings)[0];
    if (problem) {
      setNotice({ ok: false, kind: 'bad_request', message: t(`problem_${problem}` as MessageKey) });
      return;
    }
    if (next.passphrase && next.passphrase.length < minPassphraseLength) {
      setNotice({ ok: false, kind: 'invalid_message', message: t('passphraseTooShort', { min: minPassphraseLength }) });
      return;
    }
    const pattern = originPattern(resolveProvider(asSettings).baseUrl);
    // permissions.request must run inside the click's user gesture: before any other await.
    const granted = pattern ? await browser.permissions.request({ origins: [pattern] }).catch(() => false) : false;
    if (!granted) {
      const origin = pattern?.slice(0, -2) ?? next.baseUrl;
      setNotice({ ok: false, kind: 'permission', message: t('permissionDenied', { origin }) });
      return;
    }
    try {
      setSettings(await sendRequest({ type: 'settings.save', settings: next }));
      setApiKey('');
      setPassphrase('');
      setHeaders(undefined);
      setNotice({ ok: true, text: t('saved') });
      loadModels();
      onSaved?.();
    } catch (err) {
      setNotice({ ok: false, ...viewOf(err) });
    }
  }

  async function vault(req: { type: 'vault.unlock'; passphrase: string } | { type: 'vault.lock' }) {
    setNotice(undefined);
    setUnlockError(undefined);
    // Said here, by the box, before the background would refuse it in its own words.
    if (req.type === 'vault.unlock' && req.passphrase.length < minPassphraseLength) {
      setUnlockError({ kind: 'wrong_passphrase', message: t('passphraseTooShort', { min: minPassphraseLength }) });
      return;
    }
    try {
      setSettings(await sendRequest(req));
      setPassphrase('');
      if (req.type === 'vault.unlock') setNotice({ ok: true, text: t('unlocked') });
    } catch (err) {
      setUnlockError(viewOf(err));
    }
  }

  async function test() {
    setBusy(true);
    setNotice(undefined);
    try {
      const verdict = await sendRequest({ type: 'settings.test' });
      setNotice(verdict.ok ? { ok: true, text: verdict.detail } : verdict);
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save(input());
  }

  if (!settings) return null;
  const headerRows = headers ?? settings.headerNames.map((name) => ({ name, value: '' }));
  const editHeaders = (rows: HeaderRow[]) => setHeaders(rows);

  return (
    <>
      {settings.locked && (
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
          {unlockError && <ErrorPanel error={unlockError} />}
        </form>
      )}
      {/* The form appears once the stored settings are in, so nothing typed is overwritten by them. */}
      <form onSubmit={onSubmit}>
        <h2>{heading}</h2>
        {locks && (
          <p id="managed" className="help" role="note">
            {t('managedBy', { reason: locks.reason })}
          </p>
        )}
        <label htmlFor="preset">{t('provider')}</label>
        <select id="preset" value={presetId} onChange={(e) => choosePreset(e.target.value)} {...lockedProps('presetId')}>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        {preset?.notes && <p className="help">{preset.notes}</p>}
        {preset?.keyUrl && (
          <p className="help">
            <a href={preset.keyUrl} target="_blank" rel="noopener noreferrer">
              {t('getKey')}
            </a>
          </p>
        )}

        {preset?.kind === 'azure' ? (
          <div className="grid">
            <label>
              {t('azureResource')}
              <input value={azure.resource} onChange={(e) => setAzure({ ...azure, resource: e.target.value })} placeholder="my-resource" />
            </label>
            <label>
              {t('azureDeployment')}
              <input value={azure.deployment} onChange={(e) => setAzure({ ...azure, deployment: e.target.value })} />
            </label>
            <label>
              {t('azureApiVersion')}
              <input value={azure.apiVersion} onChange={(e) => setAzure({ ...azure, apiVersion: e.target.value })} placeholder={preset.apiVersion} />
            </label>
          </div>
        ) : (
          <>
            <label htmlFor="baseUrl">{t('baseUrl')}</label>
            <input
              id="baseUrl"
              type="url"
              value={baseUrl}
              placeholder={preset?.baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              required={!preset?.baseUrl}
              {...lockedProps('baseUrl')}
            />
            <p className="help">{presetId === 'custom' ? t('baseUrlHelp') : t('baseUrlPresetHelp')}</p>
            <label htmlFor="model">{t('model')}</label>
            <input
              id="model"
              list="models"
              value={model}
              placeholder={preset?.defaultModel}
              onChange={(e) => setModel(e.target.value)}
              required={!preset?.defaultModel}
              {...lockedProps('model')}
            />
            <datalist id="models">
              {(locks?.models ?? (models.length ? models : (preset?.suggestedModels ?? []))).map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </>
        )}
        {presetId === 'custom' && (
          <>
            <label htmlFor="kind">{t('apiKind')}</label>
            <select id="kind" value={kind} onChange={(e) => setKind(e.target.value as 'openai' | 'anthropic')}>
              <option value="openai">OpenAI-compatible</option>
              <option value="anthropic">Anthropic Messages API</option>
            </select>
          </>
        )}

        <label htmlFor="apiKey">{preset?.needsKey === false ? t('apiKeyOptional') : t('apiKey')}</label>
        <input
          id="apiKey"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          placeholder={settings.keyMask}
          onChange={(e) => setApiKey(e.target.value)}
        />
        <p className="help">{settings.hasKey ? t('apiKeyStored', { mask: settings.keyMask }) : t('apiKeyNone')}</p>
        {apiKey && (
          <>
            <label htmlFor="passphrase">{t('passphrase')}</label>
            <input
              id="passphrase"
              type="password"
              autoComplete="new-password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
            <p className="help">{t('passphraseHelp')}</p>
          </>
        )}

        {locked('headers') ? (
          <p className="help">{t('managedHeaders')}</p>
        ) : (
        <details open={headerRows.length > 0}>
          <summary>{t('headersTitle')}</summary>
          <p className="help">{t('headersHelp')}</p>
          {headerRows.map((h, i) => (
            <div className="header-row" key={i}>
              <input aria-label={t('headerName')} placeholder={t('headerName')} value={h.name} onChange={(e) => editHeaders(headerRows.map((r, j) => (i === j ? { ...r, name: e.target.value } : r)))} />
              <input
                aria-label={t('headerValue')}
                type="password"
                placeholder={headers ? t('headerValue') : '••••••'}
                value={h.value}
                onChange={(e) => editHeaders(headerRows.map((r, j) => (i === j ? { ...r, value: e.target.value } : r)))}
              />
              <button type="button" onClick={() => editHeaders(headerRows.filter((_, j) => j !== i))}>
                {t('remove')}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => editHeaders([...headerRows, { name: '', value: '' }])}>
            {t('addHeader')}
          </button>
        </details>
        )}

        <div className="row">
          <button type="submit" className="primary">
            {t('save')}
          </button>
          <button type="button" onClick={() => void test()} disabled={busy || !settings.configured}>
            {busy ? t('testing') : t('testConnection')}
          </button>
          {settings.hasKey && (
            <button type="button" onClick={() => void save(input({ apiKey: '' }))}>
              {t('deleteKey')}
            </button>
          )}
          {settings.passphraseProtected && !settings.locked && (
            <button type="button" onClick={() => void vault({ type: 'vault.lock' })}>
              {t('lockNow')}
            </button>
          )}
        </div>
      </form>
      <div className="row" aria-live="polite">
        {notice?.ok && (
          <p className="ok" data-testid="notice">
            {notice.text}
          </p>
        )}
        {notice && !notice.ok && <ErrorPanel error={notice} />}
      </div>
    </>
  );
}
