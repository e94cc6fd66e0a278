import { useLayoutEffect, useRef } from 'react';
import { languageTag, t } from '../../components/i18n';
import { SummaryView } from '../../components/SummaryView';
import { useResizableWidth } from './useResizableWidth';
import type { SidebarContent } from '../../lib/app/page-access';

interface SidebarProps {
  content: SidebarContent;
  onClose(): void;
  /** The host sizes the frame: a width to apply, and a drag of the edge to follow. */
  onWidth(width: number): void;
  onDrag(): void;
}

export function Sidebar({ content, onClose, onWidth, onDrag }: SidebarProps) {
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
      <SummaryView content={content} onClose={onClose} />
    </aside>
  );
}
