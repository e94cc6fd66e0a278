// The PDF files picked in this side panel that are still open (their blob: URLs are alive): a page
// citation of such a file opens it from here, since no tab shows it. A panel opened later has none.
const alive = new Set<string>();

export const pickedFiles = {
  add: (url: string) => void alive.add(url),
  /** The URL is revoked: nothing can open it any more. */
  delete: (url: string) => void alive.delete(url),
  has: (url: string) => alive.has(url),
};
