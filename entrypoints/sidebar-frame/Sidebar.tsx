import { useLayoutEffect, useRef, useState } from 'react';
import { cachedAge } from '../../components/cachedAge';
import { CitedAnswer, CoverageLine } from '../../components/CitedAnswer';
import { CopyButton } from '../../components/CopyButton';
import { UsageLine } from '../../components/UsageLine';
import { actionsFor } from '../../lib/errors';
import { ErrorPanel } from '../../components/ErrorPanel';
import { JobStatusLine, quietFor } from '../../components/JobStatusLine';
import { languageTag, t } from '../../components/i18n';
import { Markdown } from '../../components/markdown/Markdown';
import { sendRequest } from '../../components/sendRequest';
import { useJob } from '../../components/useJob';
import { useNow } from '../../components/useNow';
import { FollowUp } from './FollowUp';
import { useResizableWidth } from './useResizableWidth';
import type { SidebarContent } from '../../lib/app/page-access';
import { withoutCitations } from '../../lib/jobs/citations';
import { isLive, type JobView } from '../../lib/jobs/job-view';

const openOptions = () => void sendRequest({ type: 'options.open' });
const seek = (seconds: number) => void sendRequest({ type: 'video.seek', seconds });
const summariseDescription = () => void sendRequest({ type: 'summarise.thisTab', regenerate: false, origin: { videoDescription: true } });
// Resume asks the same question again: parts already answered come back from the cache, so it
// costs only what was lost. Regenerate bypasses the cache.
const again = (job: JobView, regenerate: boolean) =>
  void sendRequest({ type: 'summarise.thisTab', regenerate, ...(job.origin && { origin: job.origin }) });

/**
 * Asking again can finish what was cut short: an interrupted or stopped job, or one that failed in
 * a way time can fix. Not a wrong key or an empty account: the error panel says what to fix.
 */
const resumable = (job: JobView) =>
  job.status === 'interrupted' || job.status === 'stopped' || (job.status === 'error' && !!job.error && actionsFor(job.error.kind).includes('retry'));

interface SidebarProps {
  content: SidebarContent;
  onClose(): void;
  /** The host sizes the frame: a width to apply, and a drag of the edge to follow. */
  onWidth(width: number): void;
  onDrag(): void;
}

export function Sidebar({ content, onClose, onWidth, onDrag }: SidebarProps) {
  const job = useJob('jobId' in content ? content.jobId : undefined);
  const [forgotten, setForgotten] = useState<string>();
  const error = 'error' in content ? content.error : job?.error;
  const active = job && isLive(job.status);
  const now = useNow(job?.cachedAt !== undefined, 60_000);
  const tick = useNow(!!active);
  const quiet = !!job && quietFor(job, tick) !== undefined;

  async function forget(jobId: string) {
    await sendRequest({ type: 'job.forget', jobId });
    setForgotten(jobId);
  }

  const { width, startDrag, onKey } = useResizableWidth(onWidth, onDrag);
  const panel = useRef<HTMLElement>(null);
  // Each show takes focus, so keyboard and screen reader users land in the summary they asked for.
  useLayoutEffect(() => {
    panel.current?.focus({ preventScroll: true });
  }, [content]);

  return (
    <aside
      ref={panel}
      className="panel"
      aria-label={t('appName')}
      lang={languageTag()}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.nativeEvent.isComposing) onClose();
      }}
    >
      <div
        className="resize"
        role="separator"
        aria-orientation="vertical"
        aria-label={t('resize')}
        aria-valuenow={width}
        tabIndex={0}
        onPointerDown={startDrag}
        onKeyDown={(e) => onKey(e.key)}
      />
      <header>
        <span className="brand">{t('appName')}</span>
        {/* The page's title reads in the page's direction; the summary's language may be another. */}
        <span className="title" title={job?.title} dir={job?.titleDir ?? 'auto'}>
          {job?.title}
        </span>
        <button type="button" className="icon" onClick={onClose} aria-label={t('close')} title={t('close')}>
          ×
        </button>
      </header>
      <div className="body">
        {job && <JobStatusLine job={job} />}
        {job?.cachedAt !== undefined && (
          <p className="cached" data-testid="cached">
            {cachedAge(job.cachedAt, now)}
          </p>
        )}
        {job?.offline && (
          <div className="offline-note" role="note">
            <strong>{t(job.offline === 'on-device' ? 'onDeviceTitle' : 'offlineTitle')}</strong>{' '}
            {t(job.offline === 'on-device' ? 'onDeviceBody' : 'offlineBody')}{' '}
            <button type="button" onClick={openOptions}>
              {t('openOptions')}
            </button>
          </div>
        )}
        {job?.origin?.videoDescription && (
          <p className="offline-note" role="note">
            {t('descriptionNote')}
          </p>
        )}
        {job?.text && (
          <div className="answer" data-testid="answer">
            {job.citations ? (
              <CitedAnswer jobId={job.id} text={job.text} units={job.citations.units} />
            ) : (
              <Markdown text={job.text} {...(job.video && { onTime: seek })} />
            )}
          </div>
        )}
        {job?.status === 'done' && job.coverage && <CoverageLine coverage={job.coverage} locale={languageTag()} />}
        {job?.status === 'done' && <UsageLine usage={job.usage} />}
        {error && <ErrorPanel error={error} onOpenOptions={openOptions} onSummariseDescription={summariseDescription} />}
        {job?.status === 'done' && !job.offline && <FollowUp key={job.id} summaryJobId={job.id} {...(job.video && { onTime: seek })} />}
        {job && forgotten === job.id && (
          <p className="notice" role="status">
            {t('forgotten')}
          </p>
        )}
      </div>
      {job && (
        <footer>
          {active ? (
            <>
              <button type="button" onClick={() => void sendRequest({ type: 'job.stop', jobId: job.id })}>
                {t('stop')}
              </button>
              {/* A stream gone quiet may never resume by itself: ask again (parts already read come from the cache). */}
              {quiet && (
                <button type="button" className="primary" onClick={() => void sendRequest({ type: 'job.stop', jobId: job.id }).then(() => again(job, false))}>
                  {t('resume')}
                </button>
              )}
            </>
          ) : (
            <>
              {job.text && <CopyButton text={withoutCitations(job.text)} />}
              {job.offline ? null : resumable(job) ? (
                <button type="button" className="primary" onClick={() => again(job, false)}>
                  {t('resume')}
                </button>
              ) : (
                job.status === 'done' && (
                  <button type="button" onClick={() => again(job, true)}>
                    {t('regenerate')}
                  </button>
                )
              )}
              {/* Only a finished summary left answers in the cache to forget. */}
              {job.status === 'done' && !job.offline && forgotten !== job.id && (
                <button type="button" onClick={() => void forget(job.id)}>
                  {t('forgetPage')}
                </button>
              )}
            </>
          )}
        </footer>
      )}
    </aside>
  );
}
