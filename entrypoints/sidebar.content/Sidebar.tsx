import { useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { JobStatusLine } from '../../components/JobStatusLine';
import { t } from '../../components/i18n';
import { Markdown } from '../../components/markdown/Markdown';
import { sendRequest } from '../../components/sendRequest';
import { useJob } from '../../components/useJob';

export type SidebarContent = { jobId: string } | { error: { kind: string; message: string } };

const openOptions = () => void sendRequest({ type: 'options.open' });

export function Sidebar({ content, onClose }: { content: SidebarContent; onClose: () => void }) {
  const job = useJob('jobId' in content ? content.jobId : undefined);
  const [copied, setCopied] = useState(false);
  const error = 'error' in content ? content.error : job?.error;
  const active = job && ['queued', 'running', 'waiting'].includes(job.status);

  return (
    <aside className="panel" aria-label={t('appName')}>
      <header>
        <span className="brand">{t('appName')}</span>
        <span className="title" title={job?.title}>
          {job?.title}
        </span>
        <button type="button" className="icon" onClick={onClose} aria-label={t('close')} title={t('close')}>
          ×
        </button>
      </header>
      <div className="body">
        {job && <JobStatusLine job={job} />}
        {job?.text && (
          <div className="answer" data-testid="answer">
            <Markdown text={job.text} />
          </div>
        )}
        {error && <ErrorPanel error={error} onOpenOptions={openOptions} />}
      </div>
      {job && (
        <footer>
          {active && (
            <button type="button" onClick={() => void sendRequest({ type: 'job.stop', jobId: job.id })}>
              {t('stop')}
            </button>
          )}
          {!active && job.text && (
            <button
              type="button"
              onClick={() => void navigator.clipboard.writeText(job.text).then(() => setCopied(true))}
            >
              {copied ? t('copied') : t('copy')}
            </button>
          )}
        </footer>
      )}
    </aside>
  );
}
