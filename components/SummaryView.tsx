import { useCallback, useMemo, useState } from 'react';
import { cachedAge } from './cachedAge';
import { CitedAnswer, CoverageLine, type CitedSource } from './CitedAnswer';
import { CopyButton } from './CopyButton';
import { ErrorPanel } from './ErrorPanel';
import { FollowUp } from './FollowUp';
import { languageTag, t } from './i18n';
import { JobStatusLine, quietFor } from './JobStatusLine';
import { Markdown } from './markdown/Markdown';
import { sendRequest } from './sendRequest';
import { UsageLine } from './UsageLine';
import { useJob } from './useJob';
import { useNow } from './useNow';
import type { SidebarContent } from '../lib/app/page-access';
import { actionsFor } from '../lib/errors';
import { withoutCitations } from '../lib/jobs/citations';
import { isLive, type JobView } from '../lib/jobs/job-view';

const openOptions = () => void sendRequest({ type: 'options.open' });

/**
 * Asking again can finish what was cut short: an interrupted or stopped job, or one that failed in
 * a way time can fix. Not a wrong key or an empty account: the error panel says what to fix.
 */
const resumable = (job: JobView) =>
  job.status === 'interrupted' || job.status === 'stopped' || (job.status === 'error' && !!job.error && actionsFor(job.error.kind).includes('retry'));

interface SummaryViewProps {
  content: SidebarContent;
  /** The side panel: the tab it shows (the sidebar's frame acts for the tab it sits in). */
  tabId?: number;
  /** The sidebar closes; the side panel is closed by the browser. */
  onClose?(): void;
}

/** A summary and its follow-up thread: what the in-page sidebar and the side panel both show. */
export function SummaryView({ content, tabId, onClose }: SummaryViewProps) {
  const job = useJob('jobId' in content ? content.jobId : undefined);
  const [forgotten, setForgotten] = useState<string>();
  const error = 'error' in content ? content.error : job?.error;
  const active = job && isLive(job.status);
  const now = useNow(job?.cachedAt !== undefined, 60_000);
  const tick = useNow(!!active);
  const quiet = !!job && quietFor(job, tick) !== undefined;
  const forTab = tabId !== undefined ? { tabId } : {};

  // Resume asks the same question again: parts already answered come back from the cache, so it
  // costs only what was lost. Regenerate bypasses the cache.
  const again = (job: JobView, regenerate: boolean) =>
    void sendRequest({ type: 'summarise.thisTab', regenerate, ...(job.origin && { origin: job.origin }), ...forTab });
  // A video's times play it from there; a video without a transcript can have its description summarised.
  // Stable, like the source below: memoised follow-up turns do not render again with every render of this view.
  const seek = useCallback((seconds: number) => void sendRequest({ type: 'video.seek', seconds, ...(tabId !== undefined && { tabId }) }), [tabId]);
  // The PDF or video the summary (and its follow-ups) cite, for page citations and times.
  const [jobId, isVideo, seconds, pages, picked] = [job?.id, !!job?.video, job?.videoRef?.seconds, job?.pdf?.pages, job?.pdf?.picked];
  const source = useMemo<CitedSource | undefined>(
    () =>
      jobId === undefined || !(isVideo || pages)
        ? undefined
        : { jobId, ...(pages && { pdf: { pages, ...(picked && { picked }) } }), ...(isVideo && { video: { seconds, onTime: seek } }) },
    [jobId, isVideo, seconds, pages, picked, seek],
  );
  const summariseDescription = () => void sendRequest({ type: 'summarise.thisTab', regenerate: false, origin: { videoDescription: true }, ...forTab });

  async function forget(jobId: string) {
    await sendRequest({ type: 'job.forget', jobId });
    setForgotten(jobId);
  }

  return (
    <>
      <header>
        <span className="brand">{t('appName')}</span>
        {/* The page's title reads in the page's direction; the summary's language may be another. */}
        <span className="title" title={job?.title} dir={job?.titleDir ?? 'auto'}>
          {job?.title}
        </span>
        {onClose && (
          <button type="button" className="icon" onClick={onClose} aria-label={t('close')} title={t('close')}>
            ×
          </button>
        )}
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
            {job.citations || job.video || job.pdf ? (
              <CitedAnswer jobId={job.id} text={job.text} units={job.citations?.units} {...forTab} {...(source && { source })} />
            ) : (
              <Markdown text={job.text} />
            )}
          </div>
        )}
        {job?.status === 'done' && job.coverage && <CoverageLine coverage={job.coverage} locale={languageTag()} />}
        {job?.status === 'done' && <UsageLine usage={job.usage} />}
        {error && <ErrorPanel error={error} onOpenOptions={openOptions} onSummariseDescription={summariseDescription} />}
        {job?.status === 'done' && !job.offline && <FollowUp key={job.id} summaryJobId={job.id} {...forTab} {...(source && { source })} />}
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
    </>
  );
}
