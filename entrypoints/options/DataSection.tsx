import { useEffect, useState } from 'react';
import { t } from '../../components/i18n';
import { sendRequest } from '../../components/sendRequest';
import type { CacheStats } from '../../lib/cache';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Cache statistics and the privacy controls: export and delete everything. */
export function DataSection() {
  const [stats, setStats] = useState<CacheStats>();
  const [notice, setNotice] = useState<string>();
  const refresh = () => void sendRequest({ type: 'cache.stats' }).then(setStats);
  useEffect(refresh, []);

  async function exportData() {
    const data = await sendRequest({ type: 'privacy.export' });
    download(`precis-data-${new Date().toISOString().slice(0, 10)}.json`, data);
  }

  async function deleteAll() {
    if (!confirm(t('deleteAllConfirm'))) return;
    await sendRequest({ type: 'privacy.deleteAll' });
    setNotice(t('deletedAll'));
    refresh();
  }

  return (
    <>
      <h2>{t('cacheSection')}</h2>
      {stats && (
        <p data-testid="cache-stats">
          {t('cacheStats', {
            hits: stats.hits,
            misses: stats.misses,
            rate: `${Math.round(stats.hitRate * 100)}%`,
            entries: stats.entries,
            size: formatBytes(stats.bytes),
          })}
          <br />
          {t('cacheSaved', {
            tokens: (stats.savedPromptTokens + stats.savedCompletionTokens).toLocaleString(),
            cost: stats.savedCostUsd.toFixed(4),
          })}
        </p>
      )}
      <h2>{t('privacySection')}</h2>
      <p className="help">{t('privacyHelp')}</p>
      <div className="row">
        <button type="button" onClick={() => void exportData()}>
          {t('exportData')}
        </button>
        <button type="button" onClick={() => void deleteAll()}>
          {t('deleteAll')}
        </button>
      </div>
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
    </>
  );
}
