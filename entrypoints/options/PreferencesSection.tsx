import { useEffect, useState, type FormEvent } from 'react';
import { t } from '../../components/i18n';
import { sendRequest } from '../../components/sendRequest';
import type { Locks } from '../../lib/app/policy';
import type { CustomPrompt, Preferences } from '../../lib/preferences';
import { PriceTable } from './PriceTable';

const newPrompt = (): CustomPrompt => ({ id: crypto.randomUUID().slice(0, 8), name: '', template: '' });

export function PreferencesSection() {
  const [prefs, setPrefs] = useState<Preferences>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  // What the administrator fixed (the provider section shows the rest); undefined when unmanaged.
  const [locks, setLocks] = useState<Locks>();
  useEffect(() => {
    // Together, so a locked field never shows as editable for a moment.
    void Promise.all([sendRequest({ type: 'prefs.get' }), sendRequest({ type: 'settings.get' })]).then(([p, s]) => {
      setLocks(s.managed);
      setPrefs(p);
    });
  }, []);
  if (!prefs) return null;
  const retentionLocked = !!locks?.fields.includes('cacheRetention');

  const set = <K extends keyof Preferences>(key: K, value: Preferences[K]) => setPrefs({ ...prefs, [key]: value });
  const setPrompt = (i: number, patch: Partial<CustomPrompt>) =>
    set('customPrompts', prefs.customPrompts.map((p, j) => (i === j ? { ...p, ...patch } : p)));

  async function save(e: FormEvent) {
    e.preventDefault();
    try {
      const customPrompts = prefs!.customPrompts.filter((p) => p.name.trim() && p.template.trim());
      setPrefs(await sendRequest({ type: 'prefs.save', patch: { ...prefs!, customPrompts } }));
      setNotice({ ok: true, text: t('saved') });
      // The interface language applies on the next page load, like every other view's.
      if (prefs!.uiLocale !== 'auto') document.documentElement.lang = prefs!.uiLocale;
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
  }

  return (
    <form onSubmit={(e) => void save(e)}>
      <h2>{t('prefsSection')}</h2>
      <label htmlFor="uiLocale">{t('uiLanguage')}</label>
      <select id="uiLocale" value={prefs.uiLocale} onChange={(e) => set('uiLocale', e.target.value as Preferences['uiLocale'])}>
        <option value="auto">{t('uiLanguageAuto')}</option>
        <option value="en">English</option>
        <option value="zh_CN">简体中文</option>
      </select>
      <label htmlFor="outputLanguage">{t('outputLanguage')}</label>
      <input id="outputLanguage" value={prefs.outputLanguage} onChange={(e) => set('outputLanguage', e.target.value)} />
      <p className="help">{t('outputLanguageHelp')}</p>
      <label htmlFor="summaryTemplate">{t('summaryTemplate')}</label>
      <textarea id="summaryTemplate" rows={4} value={prefs.summaryTemplate} onChange={(e) => set('summaryTemplate', e.target.value)} />
      <p className="help">{t('summaryTemplateHelp')}</p>

      <fieldset>
        <legend>{t('customPrompts')}</legend>
        <p className="help">{t('customPromptsHelp')}</p>
        {prefs.customPrompts.map((prompt, i) => (
          <div className="prompt" key={prompt.id}>
            <input aria-label={t('promptName')} placeholder={t('promptName')} value={prompt.name} onChange={(e) => setPrompt(i, { name: e.target.value })} />
            <textarea
              aria-label={t('promptTemplate')}
              placeholder={t('promptTemplate')}
              rows={3}
              value={prompt.template}
              onChange={(e) => setPrompt(i, { template: e.target.value })}
            />
            <button type="button" onClick={() => set('customPrompts', prefs.customPrompts.filter((_, j) => j !== i))}>
              {t('remove')}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => set('customPrompts', [...prefs.customPrompts, newPrompt()])}>
          {t('addPrompt')}
        </button>
      </fieldset>

      <div className="grid">
        <label>
          {t('maxConcurrency')}
          <input type="number" min={1} max={32} value={prefs.maxConcurrency} onChange={(e) => set('maxConcurrency', Number(e.target.value))} />
        </label>
        <label>
          {t('attemptLimit')}
          <input type="number" min={0} max={8} value={prefs.attemptLimit} onChange={(e) => set('attemptLimit', Number(e.target.value))} />
        </label>
        <label>
          {t('summaryTtlDays')}
          <input
            type="number"
            min={0}
            max={365}
            value={prefs.summaryTtlDays}
            onChange={(e) => set('summaryTtlDays', Number(e.target.value))}
            {...(retentionLocked && { disabled: true, 'aria-describedby': 'managed-retention' })}
          />
        </label>
      </div>
      {retentionLocked && (
        <p id="managed-retention" className="help" role="note">
          {t('managedRetention', { reason: locks!.reason })}
        </p>
      )}
      <PriceTable prices={prefs.prices} onChange={(prices) => set('prices', prices)} />
      <label className="check">
        <input type="checkbox" checked={prefs.cacheChatAnswers} onChange={(e) => set('cacheChatAnswers', e.target.checked)} />
        {t('cacheChatAnswers')}
      </label>
      <div className="row">
        <button type="submit" className="primary">
          {t('savePrefs')}
        </button>
        {notice && (
          <span className={notice.ok ? 'ok' : 'error'} role="status">
            {notice.text}
          </span>
        )}
      </div>
    </form>
  );
}
