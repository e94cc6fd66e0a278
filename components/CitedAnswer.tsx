// A summary whose citations link to their sources: unit chips (the page's passages), a PDF's page
// citations and a video's times. Hovering or focusing one shows what it cites; clicking shows it: the
// passage in the page (the background asks the page reader of the view's own tab), the PDF's page,
// the video from that time.
import { useRef, useState, type FocusEvent, type MouseEvent } from 'react';
import { t } from './i18n';
import { Markdown } from './markdown/Markdown';
import { pickedFiles } from './picked-files';
import { sendRequest } from './sendRequest';

/** The PDF or video a summary (or a follow-up on it) cites, as its summary's job knows it. */
export interface CitedSource {
  /** The summary's job: it knows the PDF's pages, or the video. */
  jobId: string;
  pdf?: { pages: number; picked?: string };
  /** Times play the video from there; a time past `seconds` is not linked. */
  video?: { seconds?: number; onTime: (seconds: number) => void };
}

type Target = { kind: 'unit' | 'page' | 'time'; n: number; element: HTMLElement };

interface Quote {
  key: string;
  text: string;
  top: number;
  left: number;
}

/** The chip, page or time button an event came from, if any, and what it cites. */
function targetOf(event: { target: EventTarget }): Target | undefined {
  const element = event.target instanceof Element ? event.target.closest<HTMLElement>('button.cite, button.page, button.time') : null;
  if (!element) return undefined;
  const [kind, value] = element.classList.contains('cite')
    ? (['unit', element.dataset.unit] as const)
    : element.classList.contains('page')
      ? (['page', element.dataset.page] as const)
      : (['time', element.dataset.seconds] as const);
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? { kind, n, element } : undefined;
}

interface CitedAnswerProps {
  /** The answer's own job: its unit chips name units of its page. */
  jobId: string;
  text: string;
  units?: number;
  /** In the side panel, the tab it shows (the sidebar's frame acts for its own tab). */
  tabId?: number;
  source?: CitedSource;
}

export function CitedAnswer({ jobId, text, units, tabId, source }: CitedAnswerProps) {
  const forTab = tabId !== undefined ? { tabId } : {};
  const quotes = useRef(new Map<string, Promise<string>>());
  const [quote, setQuote] = useState<Quote>();
  const [notice, setNotice] = useState<string>();

  /**
   * What a target cites, in words: asked once per target of this job, then remembered. A failed
   * or empty answer is not remembered (the worker may be starting, the reader not yet there).
   */
  function quoteOf({ kind, n }: Target): Promise<string> {
    const key = `${jobId}:${kind}:${n}`;
    let pending = quotes.current.get(key);
    if (!pending) {
      const asked: Promise<string | undefined> =
        kind === 'unit'
          ? sendRequest({ type: 'citation.quote', jobId, unit: n, ...forTab })
          : kind === 'page' && source
            ? sendRequest({ type: 'pdf.quote', jobId: source.jobId, page: n }).then((text) => text ?? undefined)
            : source
              ? sendRequest({ type: 'video.quote', jobId: source.jobId, seconds: n, ...forTab })
              : Promise.resolve(undefined);
      const missing = kind === 'unit' ? t('citeMissing') : kind === 'page' ? t('pdfPageNoText', { page: n }) : t('videoQuoteMissing');
      pending = asked
        .catch(() => undefined)
        .then((text) => {
          if (!text) quotes.current.delete(key);
          return text || missing;
        });
      quotes.current.set(key, pending);
    }
    return pending;
  }

  function show(e: MouseEvent | FocusEvent) {
    const target = targetOf(e);
    if (!target) return;
    void quoteOf(target).then((text) => {
      if (!target.element.isConnected) return;
      const box = target.element.getBoundingClientRect();
      setQuote({ key: `${target.kind}:${target.n}`, text, top: box.bottom + 4, left: Math.max(8, Math.min(box.left, window.innerWidth - 288)) });
    });
  }

  function hide(e: MouseEvent | FocusEvent) {
    const target = targetOf(e);
    if (target) setQuote((q) => (q?.key === `${target.kind}:${target.n}` ? undefined : q));
  }

  function openPage(page: number) {
    const picked = source?.pdf?.picked;
    if (picked) {
      // The panel that picked the file opens it (a new tab, the browser's viewer at that page); a
      // later panel has no access to it and says so.
      if (pickedFiles.has(picked)) {
        window.open(`${picked}#page=${page}`, '_blank', 'noopener');
        setNotice(undefined);
      } else {
        setNotice(t('pdfPickAgain', { page }));
      }
      return;
    }
    void sendRequest({ type: 'pdf.open', jobId: source!.jobId, page, ...forTab }).then(
      (opened) => setNotice(opened ? undefined : t('pdfNotOpen')),
      () => setNotice(t('pdfNotOpen')),
    );
  }

  function open(e: MouseEvent) {
    const target = targetOf(e);
    // A time is played by the Markdown view's own handler.
    if (target?.kind === 'page' && source?.pdf) openPage(target.n);
    if (target?.kind !== 'unit') return;
    void sendRequest({ type: 'citation.show', jobId, unit: target.n, ...forTab }).then(
      (shown) => setNotice(shown ? undefined : t('citeMissing')),
      () => setNotice(t('citeMissing')),
    );
  }

  return (
    <div onClick={open} onMouseOver={show} onMouseOut={hide} onFocus={show} onBlur={hide}>
      <Markdown
        text={text}
        units={units}
        citeLabel={t('citeLabel', { n: '{n}' })}
        {...(source?.pdf && { pages: source.pdf.pages })}
        {...(source?.video && { onTime: source.video.onTime, videoSeconds: source.video.seconds })}
      />
      {quote && (
        <div className="cite-quote" role="tooltip" data-testid="cite-quote" style={{ top: quote.top, left: quote.left }}>
          {quote.text}
        </div>
      )}
      {notice !== undefined && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}

/** How much of the page the summary was made from: never a silent cut. */
export function CoverageLine({ coverage, locale }: { coverage: { read: number; total: number }; locale: string }) {
  const count = (n: number) => n.toLocaleString(locale);
  const text = coverage.read >= coverage.total ? t('coverageAll', { total: count(coverage.total) }) : t('coveragePart', { read: count(coverage.read), total: count(coverage.total) });
  return (
    <p className="coverage" data-testid="coverage">
      {text}
    </p>
  );
}
