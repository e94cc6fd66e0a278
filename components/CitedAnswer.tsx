// A summary whose citations are chips: hovering or focusing one shows the passage it cites, clicking
// it shows the passage in the page (the background asks the page reader of the view's own tab).
import { useRef, useState, type FocusEvent, type MouseEvent } from 'react';
import { t } from './i18n';
import { Markdown } from './markdown/Markdown';
import { sendRequest } from './sendRequest';

interface Quote {
  unit: number;
  text: string;
  top: number;
  left: number;
}

/** The chip an event came from, if any, and the unit it cites. */
function chipOf(target: EventTarget): { chip: HTMLElement; unit: number } | undefined {
  const chip = target instanceof Element ? target.closest<HTMLElement>('button.cite') : null;
  const unit = Number(chip?.dataset.unit);
  return chip && Number.isInteger(unit) && unit > 0 ? { chip, unit } : undefined;
}

/** `tabId`: in the side panel, the tab it shows (the sidebar's frame acts for its own tab). */
export function CitedAnswer({ jobId, text, units, tabId }: { jobId: string; text: string; units: number; tabId?: number }) {
  const forTab = tabId !== undefined ? { tabId } : {};
  const quotes = useRef(new Map<number, Promise<string | undefined>>());
  const [quote, setQuote] = useState<Quote>();
  const [missing, setMissing] = useState<number>();

  function show(e: MouseEvent | FocusEvent) {
    const found = chipOf(e.target);
    if (!found) return;
    const { chip, unit } = found;
    let pending = quotes.current.get(unit);
    if (!pending) {
      pending = sendRequest({ type: 'citation.quote', jobId, unit, ...forTab }).catch(() => undefined);
      quotes.current.set(unit, pending);
    }
    void pending.then((text) => {
      if (!chip.isConnected) return;
      const box = chip.getBoundingClientRect();
      setQuote({ unit, text: text ?? t('citeMissing'), top: box.bottom + 4, left: Math.max(8, Math.min(box.left, window.innerWidth - 288)) });
    });
  }

  function hide(e: MouseEvent | FocusEvent) {
    const found = chipOf(e.target);
    if (found) setQuote((q) => (q?.unit === found.unit ? undefined : q));
  }

  function open(e: MouseEvent) {
    const found = chipOf(e.target);
    if (!found) return;
    void sendRequest({ type: 'citation.show', jobId, unit: found.unit, ...forTab }).then(
      (shown) => setMissing(shown ? undefined : found.unit),
      () => setMissing(found.unit),
    );
  }

  return (
    <div onClick={open} onMouseOver={show} onMouseOut={hide} onFocus={show} onBlur={hide}>
      <Markdown text={text} units={units} citeLabel={t('citeLabel', { n: '{n}' })} />
      {quote && (
        <div className="cite-quote" role="tooltip" data-testid="cite-quote" style={{ top: quote.top, left: quote.left }}>
          {quote.text}
        </div>
      )}
      {missing !== undefined && (
        <p className="notice" role="status">
          {t('citeMissing')}
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
