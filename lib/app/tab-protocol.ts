// What the background says to the content scripts in a tab, and the ports views and content
// scripts open to it. Types and two names only: content scripts and views import this at run time.
import type { JobView } from '../jobs/job-view';

/** Our two content scripts: the page reader, and the sidebar's UI. */
export type ContentScriptName = 'reader' | 'sidebar';

export type TabRequest =
  /** Is this content script already in the tab? Answered only by the one named. */
  | { type: 'ping'; script: ContentScriptName }
  | { type: 'ondevice.ready' }
  /** Run the on-device model on the page and stream the text back on port `ondevice:<token>`. */
  | { type: 'ondevice.run'; token: string }
  /**
   * The page's text; on a video page its transcript, in the first of `languages` it has captions in
   * (or, with `videoDescription`, its description). A video that cannot be read answers `{ unreadable }`.
   */
  | { type: 'page.extract'; useSelection: boolean; videoDescription?: boolean; languages?: string[] }
  /** Seek the page's video to `seconds` (a time in its summary was clicked). */
  | { type: 'video.seek'; seconds: number }
  /** Scroll to unit `unit` of the extraction named `key` and highlight it; answers whether it was found. */
  | { type: 'citation.show'; key: string; unit: number }
  /** The text of unit `unit` of the extraction named `key`, or undefined. */
  | { type: 'citation.quote'; key: string; unit: number }
  /** Paint no citation highlight any more: the view that explained it has closed. */
  | { type: 'citation.clear' }
  /** Show the sidebar; its frame asks the background what to show (`sidebar.content`). */
  | { type: 'sidebar.show' };

/** Ports are named by purpose: `job:<id>` streams one job to one view. */
export const jobPortPrefix = 'job:';
/** `panel:<tabId>`: the side panel is open on that tab; when the port closes, the tab's citation highlight goes. */
export const panelPortPrefix = 'panel:';
/** `ondevice:<token>`: the content script streams an on-device summary to the background job. */
export const onDevicePortPrefix = 'ondevice:';

export type OnDevicePortMessage = { type: 'delta'; text: string } | { type: 'done' } | { type: 'error'; message: string };

export type JobPortMessage =
  | { type: 'snapshot'; job: JobView }
  | { type: 'delta'; text: string }
  | { type: 'status'; job: JobView };
