import { memo, useMemo } from 'react';
import { splitBlocks } from './blocks';
import { renderMarkdown } from './render';

// Each finished block keeps its props, so React skips it: only the growing last block re-renders.
const Block = memo(function Block({ src, units, citeLabel }: { src: string; units?: number; citeLabel?: string }) {
  const html = useMemo(() => renderMarkdown(src, { units, citeLabel }), [src, units, citeLabel]);
  // renderMarkdown escapes raw HTML and sanitises the result with DOMPurify.
  return <div className="md-block" dangerouslySetInnerHTML={{ __html: html }} />;
});

/** `units`: how many units the text may cite (chips); see renderMarkdown. */
export function Markdown({ text, className, units, citeLabel }: { text: string; className?: string; units?: number; citeLabel?: string }) {
  const blocks = useMemo(() => splitBlocks(text), [text]);
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      {blocks.map((src, i) => (
        <Block key={i} src={src} units={units} citeLabel={citeLabel} />
      ))}
    </div>
  );
}
