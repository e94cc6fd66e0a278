// What the sidebar's host (in the page) and its frame (our page) say to each other by postMessage.
// Neither says anything secret: the frame gets its content from the background, never from here.

/** `drag`: the frame's resize handle was pressed; the host follows the pointer, which leaves the frame. */
export type FrameMessage = { precisSidebar: 'show' | 'close' | 'drag' } | { precisSidebar: 'width'; width: number };

/** Where the sidebar's width is remembered (storage.local), for every site. */
export const sidebarWidthKey = 'sidebarWidth';

export const defaultSidebarWidth = 400;
const minWidth = 300;
const maxWidth = 4000;

/** A width to apply: a stored or posted value, bounded (the host's CSS caps it at 90% of the window). */
export function sidebarWidth(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return defaultSidebarWidth;
  return Math.round(Math.min(Math.max(value, minWidth), maxWidth));
}

/** `data` as one of our messages, or undefined (anything else on the window's message channel). */
export function frameMessage(data: unknown): FrameMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { precisSidebar, width } = data as { precisSidebar?: unknown; width?: unknown };
  if (precisSidebar === 'show' || precisSidebar === 'close' || precisSidebar === 'drag') return { precisSidebar };
  if (precisSidebar === 'width' && typeof width === 'number') return { precisSidebar, width };
  return undefined;
}
