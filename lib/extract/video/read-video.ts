// Reading a YouTube video for a summary: its transcript, with times and chapters. Runs in the
// watch page's content script, with what it needs passed in (the page's HTML, a fetch bound to
// the page's origin), so that it is tested here with YouTube's formats and runs there unchanged.
import type { PageContent } from '../page-content';
import { jsonAfter } from './embedded-json';
import { parseTimedText, type Segment } from './timed-text';
import { transcriptText } from './transcript';
import { chaptersOf, pickTrack, playerResponseIn, transcriptPanelRequest, watchVideoId } from './youtube';

export interface VideoReaderDeps {
  href: string;
  /** The page's inline scripts as loaded (or its HTML): they describe the first video only (YouTube navigates in-app). */
  pageHtml(): string;
  fetchText(url: string, init?: { method: 'POST'; body: string; headers: Record<string, string> }): Promise<string>;
  /** Languages to read captions in, best first (the output language's, then the browser's). */
  languages: readonly string[];
}

/** Why a video could not be read: what the reader answers in place of a page. */
export type VideoProblem = 'no_transcript' | 'video_unavailable';

export class VideoUnreadable extends Error {
  constructor(readonly problem: VideoProblem) {
    super(problem);
  }
}

export const isVideoPage = (url: string) => watchVideoId(url) !== undefined;

/**
 * The video's transcript as page content (`source: 'video'`), or with `descriptionOnly` its
 * description, labelled as what it is (`source: 'video-description'`). Throws VideoUnreadable.
 */
export async function readVideo(deps: VideoReaderDeps, opts: { descriptionOnly?: boolean } = {}): Promise<PageContent> {
  const id = watchVideoId(deps.href)!;
  let html = deps.pageHtml();
  let info = playerResponseIn(html, id);
  if (!info) {
    // Navigated in-app: the page's own scripts describe an earlier video. The watch page's HTML for this one does not.
    html = await deps.fetchText(deps.href).catch(() => '');
    info = playerResponseIn(html, id);
  }
  if (!info) throw new VideoUnreadable('video_unavailable');
  const base = { url: deps.href, title: info.title, ...(info.author && { byline: info.author }), siteName: 'YouTube' };
  if (opts.descriptionOnly) {
    if (!info.description.trim()) throw new VideoUnreadable('no_transcript');
    return { ...base, source: 'video-description', text: info.description };
  }
  const track = pickTrack(info, deps.languages);
  // Read once: the chapters come from it, and the transcript panel's request when the captions answer nothing.
  const initialData = jsonAfter(html, 'ytInitialData');
  const segments = track ? await captions(deps, track.url, () => transcriptPanelRequest(initialData, html)) : [];
  if (!segments.length) throw new VideoUnreadable('no_transcript');
  return {
    ...base,
    source: 'video',
    lang: track!.languageCode,
    text: transcriptText(segments, chaptersOf(initialData, info.description)),
    video: { id: info.id, seconds: info.lengthSeconds, captions: track!.auto ? 'auto' : 'manual' },
  };
}

/** The track's captions as json3; when that answers nothing (YouTube may demand a token the player holds), the transcript panel's. */
async function captions(deps: VideoReaderDeps, trackUrl: string, panelRequest: () => ReturnType<typeof transcriptPanelRequest>): Promise<Segment[]> {
  const url = new URL(trackUrl, deps.href);
  url.searchParams.set('fmt', 'json3');
  const direct = parseTimedText(await deps.fetchText(url.href).catch(() => ''));
  if (direct.length) return direct;
  const panel = panelRequest();
  if (!panel) return [];
  const body = await deps
    .fetchText(new URL(panel.url, deps.href).href, { method: 'POST', body: JSON.stringify(panel.body), headers: { 'content-type': 'application/json' } })
    .catch(() => '');
  return parseTimedText(body);
}

