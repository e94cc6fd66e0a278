// What a YouTube watch page says about its video: its id, its caption tracks and which to read,
// its chapters. Facts of YouTube's page format (names of fields), read defensively: any of them
// can be missing, and a missing one means "none", never an exception.
import { jsonAfter } from './embedded-json';
import { array, isObject, objectsUnder, textOf } from './json-shapes';

const watchHosts = new Set(['www.youtube.com', 'youtube.com', 'm.youtube.com']);

/** The video id of a watch, shorts or live page; undefined for any other page. */
export function watchVideoId(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (!watchHosts.has(u.hostname)) return undefined;
  const id = u.pathname === '/watch' ? u.searchParams.get('v') : /^\/(?:shorts|live)\/([\w-]+)/.exec(u.pathname)?.[1];
  return id && /^[\w-]{6,20}$/.test(id) ? id : undefined;
}

export interface CaptionTrack {
  url: string;
  languageCode: string;
  name: string;
  /** Speech recognition's, not a person's. */
  auto: boolean;
}

export interface VideoInfo {
  id: string;
  title: string;
  author: string;
  description: string;
  lengthSeconds: number;
  tracks: CaptionTrack[];
  /** The language YouTube would show captions in by default: the video's own, as far as it knows. */
  defaultLanguage?: string;
}

/** The player response in a watch page's HTML, when it is the one for `videoId`. */
export function playerResponseIn(html: string, videoId: string): VideoInfo | undefined {
  // Several scripts may hold one (the page's, a preload); the right one names our video.
  for (let from = 0; ; ) {
    const at = html.indexOf('ytInitialPlayerResponse', from);
    if (at < 0) return undefined;
    const info = videoInfo(jsonAfter(html, 'ytInitialPlayerResponse', at));
    if (info?.id === videoId) return info;
    from = at + 1;
  }
}

export function videoInfo(player: unknown): VideoInfo | undefined {
  if (!isObject(player) || !isObject(player.videoDetails)) return undefined;
  const details = player.videoDetails;
  if (typeof details.videoId !== 'string') return undefined;
  const list = isObject(player.captions) && isObject(player.captions.playerCaptionsTracklistRenderer) ? player.captions.playerCaptionsTracklistRenderer : {};
  const tracks: CaptionTrack[] = [];
  for (const t of array(list.captionTracks)) {
    if (!isObject(t) || typeof t.baseUrl !== 'string' || typeof t.languageCode !== 'string') continue;
    tracks.push({ url: t.baseUrl, languageCode: t.languageCode, name: textOf(t.name) || t.languageCode, auto: t.kind === 'asr' || String(t.vssId ?? '').startsWith('a.') });
  }
  const audio = array(list.audioTracks)[0];
  const defaultIndex = isObject(audio) && typeof audio.defaultCaptionTrackIndex === 'number' ? audio.defaultCaptionTrackIndex : undefined;
  const byDefault = defaultIndex === undefined ? undefined : tracks[defaultIndex];
  return {
    id: details.videoId,
    title: typeof details.title === 'string' ? details.title : '',
    author: typeof details.author === 'string' ? details.author : '',
    description: typeof details.shortDescription === 'string' ? details.shortDescription : '',
    lengthSeconds: Number(details.lengthSeconds) || 0,
    tracks,
    // Speech recognition runs in the language spoken: its track, when there is one, says what that is.
    defaultLanguage: tracks.find((t) => t.auto)?.languageCode ?? byDefault?.languageCode,
  };
}

const base = (code: string) => code.toLowerCase().split(/[-_]/)[0]!;

/**
 * The track to read: the first preferred language a track has (a person's before speech
 * recognition's), else the video's own language, else any person's, else any.
 */
export function pickTrack(info: VideoInfo, preferred: readonly string[]): CaptionTrack | undefined {
  const rank = (t: CaptionTrack) => (t.auto ? 1 : 0);
  const inLanguage = (code: string) =>
    info.tracks
      .filter((t) => t.languageCode.toLowerCase() === code.toLowerCase() || base(t.languageCode) === base(code))
      .sort((a, b) => rank(a) - rank(b) || Number(b.languageCode.toLowerCase() === code.toLowerCase()) - Number(a.languageCode.toLowerCase() === code.toLowerCase()))[0];
  for (const code of [...preferred, ...(info.defaultLanguage ? [info.defaultLanguage] : [])]) {
    const track = inLanguage(code);
    if (track) return track;
  }
  return [...info.tracks].sort((a, b) => rank(a) - rank(b))[0];
}

export interface Chapter {
  startMs: number;
  title: string;
}

/**
 * Chapters from the page's data (`ytInitialData`'s `chapterRenderer`s), else from the
 * description's "0:00 Intro" lines, as YouTube makes them.
 */
export function chaptersOf(initialData: unknown, description: string): Chapter[] {
  const found = objectsUnder(initialData, 'chapterRenderer')
    .filter((ch) => typeof ch.timeRangeStartMillis === 'number')
    .map((ch) => ({ startMs: ch.timeRangeStartMillis as number, title: textOf(ch.title) }));
  if (found.length) return dedupe(found);
  // YouTube makes chapters of a description with at least three timestamps, the first at 0:00.
  const lines = [...description.matchAll(/^\s*(?:[-•*]\s*)?\(?((?:\d{1,2}:)?\d{1,2}:\d{2})\)?\s*[-–—:|]?\s*(.+)$/gm)].map((m) => ({ startMs: parseTime(m[1]!) * 1000, title: m[2]!.trim() }));
  return lines.length >= 3 && lines[0]!.startMs === 0 ? dedupe(lines) : [];
}

function dedupe(chapters: Chapter[]): Chapter[] {
  const seen = new Set<number>();
  return chapters.filter((c) => !seen.has(c.startMs) && seen.add(c.startMs)).sort((a, b) => a.startMs - b.startMs);
}

/** "1:02:03" or "2:03" → seconds. */
export function parseTime(value: string): number {
  return value.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/** Seconds → "2:03" or "1:02:03", as YouTube writes times. */
export function formatTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** The `get_transcript` request the transcript panel makes, when the page offers one (`ytInitialData`, and `ytcfg.set` in `html`). */
export function transcriptPanelRequest(initialData: unknown, html: string): { url: string; body: unknown } | undefined {
  const params = objectsUnder(initialData, 'getTranscriptEndpoint')
    .map((endpoint) => endpoint.params)
    .find((p): p is string => typeof p === 'string');
  const cfg = params && jsonAfter(html, 'ytcfg.set');
  if (!params || !isObject(cfg)) return undefined;
  const key = typeof cfg.INNERTUBE_API_KEY === 'string' ? cfg.INNERTUBE_API_KEY : undefined;
  const context = isObject(cfg.INNERTUBE_CONTEXT) ? cfg.INNERTUBE_CONTEXT : { client: { clientName: 'WEB', clientVersion: String(cfg.INNERTUBE_CLIENT_VERSION ?? '2.20250101.00.00') } };
  return { url: `/youtubei/v1/get_transcript${key ? `?key=${encodeURIComponent(key)}` : ''}`, body: { context, params } };
}
