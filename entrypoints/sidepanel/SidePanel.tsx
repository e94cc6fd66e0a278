import { useRef, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { pickedFiles } from '../../components/picked-files';
import { languageTag, t } from '../../components/i18n';
import { sendRequest, viewOf } from '../../components/sendRequest';
import { SummaryView } from '../../components/SummaryView';
import type { ErrorView } from '../../lib/errors';
import { useActiveTab } from './useActiveTab';
import { usePanelContent } from './usePanelContent';
import { usePanelPort } from './usePanelPort';

/**
 * "Summarise a PDF file…": the file stays on this computer; the reader gets it as a blob: URL of
 * ours, kept alive until the next pick (the panel outlives the summary it starts).
 */
function PdfPicker({ tabId }: { tabId: number | undefined }) {
  const blobUrl = useRef<string>(undefined);
  const [error, setError] = useState<ErrorView>();
  async function pick(file: File | undefined) {
    if (!file || tabId === undefined) return;
    setError(undefined);
    if (blobUrl.current) {
      URL.revokeObjectURL(blobUrl.current);
      pickedFiles.delete(blobUrl.current);
    }
    blobUrl.current = URL.createObjectURL(file);
    pickedFiles.add(blobUrl.current);
    await sendRequest({ type: 'summarise.pdfFile', tabId, url: blobUrl.current, name: file.name }).catch((err: unknown) => setError(viewOf(err)));
  }
  return (
    <div className="picker">
      <label className="button">
        {t('panelPickPdf')}
        <input
          type="file"
          accept="application/pdf,.pdf"
          disabled={tabId === undefined}
          onChange={(e) => {
            void pick(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </label>
      {error && <ErrorPanel error={error} />}
    </div>
  );
}

export function SidePanel() {
  const tabId = useActiveTab();
  const content = usePanelContent(tabId);
  const highlighting = usePanelPort(tabId);
  return (
    // A chip's click may paint a highlight in the tab: from then on, the panel's closing clears it.
    <main className="panel" aria-label={t('appName')} lang={languageTag()} data-tab={tabId} onClickCapture={(e) => (e.target as Element).closest?.('button.cite') && highlighting()}>
      {content ? (
        // Keyed by tab: switching tabs starts the other tab's view afresh (its job, its thread).
        <SummaryView key={tabId} content={content} tabId={tabId} />
      ) : (
        <>
          <header>
            <span className="brand">{t('appName')}</span>
          </header>
          <div className="body">
            <p className="empty">{t('panelEmpty')}</p>
          </div>
        </>
      )}
      <PdfPicker tabId={tabId} />
    </main>
  );
}
