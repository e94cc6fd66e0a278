import { memo, useMemo, type MouseEvent } from 'react';
import { splitBlocks } from './blocks';
import { renderMarkdown } from './render';

// Each finished block keeps its props, so React skips it: only the growing last block re-renders.
interface BlockProps {
  src: string;
  times: boolean;
  units?: number;
  citeLabel?: string;
  pages?: number;
  videoSeconds?: number;
}
const Block = memo(function Block({ src, times, units, citeLabel, pages, videoSeconds }: BlockProps) {
  const html = useMemo(() => renderMarkdown(src, { times, units, citeLabel, pages, videoSeconds }), [src, times, units, citeLabel, pages, videoSeconds]);
  // renderMarkdown escapes raw HTML and sanitises the result with DOMPurify.
  return <div className="md-block" dangerouslySetInnerHTML={{ __html: html }} />;
});

interface MarkdownProps {
  text: string;
  className?: string;
  /** The text is a video's summary; a click on one of its times asks to play from there. */
  onTime?: (seconds: number) => void;
  /** How many units the text may cite (chips; see renderMarkdown), and a chip's title. */
  units?: number;
  citeLabel?: string;
  /** A PDF's page count: its page citations open the page (see renderMarkdown). */
  pages?: number;
  /** With `onTime`, the video's length: a time past it is not linked. */
  videoSeconds?: number;
}

export function Markdown({ text, className, onTime, units, citeLabel, pages, videoSeconds }: MarkdownProps) {
  const blocks = useMemo(() => splitBlocks(text), [text]);
  // One listener for every time button, however many blocks there are.
  const onClick = (e: MouseEvent) => {
    const time = (e.target as Element).closest?.('button.time');
    if (time instanceof HTMLElement && onTime) onTime(Number(time.dataset.seconds));
  };
  return (
    <div className={className ? `markdown ${className}` : 'markdown'} onClick={onTime && onClick}>
      {blocks.map((src, i) => (
        <Block key={i} src={src} times={!!onTime} units={units} citeLabel={citeLabel} pages={pages} videoSeconds={videoSeconds} />
      ))}
    </div>
  );
}
