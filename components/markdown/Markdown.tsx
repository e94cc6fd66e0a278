import { memo, useMemo } from 'react';
import { splitBlocks } from './blocks';
import { renderMarkdown } from './render';

// Each finished block keeps its props, so React skips it: only the growing last block re-renders.
const Block = memo(function Block({ src }: { src: string }) {
  const html = useMemo(() => renderMarkdown(src), [src]);
  // renderMarkdown escapes raw HTML and sanitises the result with DOMPurify.
  return <div className="md-block" dangerouslySetInnerHTML={{ __html: html }} />;
});

export function Markdown({ text, className }: { text: string; className?: string }) {
  const blocks = useMemo(() => splitBlocks(text), [text]);
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      {blocks.map((src, i) => (
        <Block key={i} src={src} />
      ))}
    </div>
  );
}
