import { useEffect, useState, type PointerEvent } from 'react';
import { browser } from 'wxt/browser';
import { defaultSidebarWidth, sidebarWidth, sidebarWidthKey as storageKey } from '../../lib/sidebar-frame';

/**
 * The sidebar's width: dragged from its left edge, remembered for every site. The frame is as wide
 * as the sidebar, so the host sizes it: keyboard widths go to `apply`, and a drag is the host's to
 * follow (the pointer leaves the frame at once), which stores the width it ends at.
 */
export function useResizableWidth(apply: (width: number) => void, drag: () => void) {
  const [width, setWidth] = useState(defaultSidebarWidth);
  useEffect(() => {
    const take = (value: unknown) => typeof value === 'number' && setWidth(sidebarWidth(value));
    void browser.storage.local.get(storageKey).then((got) => take(got[storageKey]));
    const changed = (changes: Record<string, { newValue?: unknown }>) => changes[storageKey] && take(changes[storageKey].newValue);
    browser.storage.local.onChanged.addListener(changed);
    return () => browser.storage.local.onChanged.removeListener(changed);
  }, []);
  useEffect(() => apply(width), [apply, width]);

  function startDrag(e: PointerEvent<HTMLElement>) {
    e.preventDefault();
    drag();
  }

  /** Arrow keys on the focused handle resize too, for keyboard users. */
  function onKey(key: string) {
    const step = key === 'ArrowLeft' ? 20 : key === 'ArrowRight' ? -20 : 0;
    if (!step) return;
    const next = sidebarWidth(width + step);
    setWidth(next);
    void browser.storage.local.set({ [storageKey]: next });
  }

  return { width, startDrag, onKey };
}
