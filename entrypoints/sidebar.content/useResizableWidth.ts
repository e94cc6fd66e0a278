import { useEffect, useState, type PointerEvent } from 'react';
import { browser } from 'wxt/browser';

const storageKey = 'sidebarWidth';
const minWidth = 300;
const clamp = (w: number) => Math.round(Math.min(Math.max(w, minWidth), window.innerWidth * 0.9));

/** The sidebar's width: dragged from its left edge, remembered for every site. */
export function useResizableWidth(initial = 400) {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    void browser.storage.local.get(storageKey).then((got) => {
      const saved = got[storageKey];
      if (typeof saved === 'number') setWidth(clamp(saved));
    });
  }, []);

  function startDrag(e: PointerEvent<HTMLElement>) {
    e.preventDefault();
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    let latest = width;
    const move = (ev: globalThis.PointerEvent) => setWidth((latest = clamp(window.innerWidth - ev.clientX)));
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      void browser.storage.local.set({ [storageKey]: latest });
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  }

  /** Arrow keys on the focused handle resize too, for keyboard users. */
  function onKey(key: string) {
    const step = key === 'ArrowLeft' ? 20 : key === 'ArrowRight' ? -20 : 0;
    if (!step) return;
    const next = clamp(width + step);
    setWidth(next);
    void browser.storage.local.set({ [storageKey]: next });
  }

  return { width, startDrag, onKey };
}
