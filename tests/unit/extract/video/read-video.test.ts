// Reading a YouTube video: the right caption track, in every format YouTube answers with, with
// times and chapters, after in-app navigation too; and a plain "no transcript" when there is none.
import { describe, expect, it } from 'vitest';
import { readVideo, VideoUnreadable, type VideoReaderDeps } from '../../../../lib/extract/video/read-video';
import { languageCode } from '../../../../lib/extract/video/language';
import { parseTimedText } from '../../../../lib/extract/video/timed-text';
import { passageAt, timedPassages, transcriptText } from '../../../../lib/extract/video/transcript';
import { chaptersOf, formatTime, pickTrack, videoInfo, watchVideoId } from '../../../../lib/extract/video/youtube';
import { captionBody, playerResponse, transcriptPanelBody, watchPage, type CaptionFormat, type FakeVideo } from '../../../support/youtube-pages';

const lines: [number, string][] = [
  [0, 'Welcome to the channel.'],
  [4.2, "Today we're building a night train timetable."],
  [35, 'First, the routes & the stops.'],
  [71.5, 'Then the prices, which are < 100 euros.'],
];
const video: FakeVideo = { id: 'abcDEF12345', title: 'Night trains, explained', lines, tracks: [{ lang: 'en' }] };

/** YouTube as the content script meets it: the page's HTML, and answers by URL. */
function youtube(v: FakeVideo, opts: { format?: CaptionFormat; navigatedFrom?: FakeVideo; languages?: string[] } = {}) {
  const fetched: string[] = [];
  const deps: VideoReaderDeps = {
    href: `https://www.youtube.com/watch?v=${v.id}&t=12s`,
    pageHtml: () => watchPage(opts.navigatedFrom ?? v),
    languages: opts.languages ?? ['en-US'],
    async fetchText(url, init) {
      fetched.push(init ? `POST ${new URL(url).pathname}` : url);
      const u = new URL(url);
      if (u.pathname === '/watch') return watchPage(v);
      if (u.pathname === '/api/timedtext') return captionBody(u.searchParams.get('lang') === v.tracks?.[0]?.lang ? v.lines ?? [] : lines, opts.format ?? 'json3');
      if (u.pathname === '/youtubei/v1/get_transcript') return v.panel ? transcriptPanelBody(v.lines ?? []) : '';
      throw new Error(`unexpected ${url}`);
    },
  };
  return { deps, fetched };
}

describe('YouTube video reader', () => {
  it('knows watch, shorts and live pages, and nothing else', () => {
    expect(watchVideoId('https://www.youtube.com/watch?v=abcDEF12345&list=x')).toBe('abcDEF12345');
    expect(watchVideoId('https://m.youtube.com/shorts/abcDEF12345')).toBe('abcDEF12345');
    expect(watchVideoId('https://www.youtube.com/live/abcDEF12345?si=1')).toBe('abcDEF12345');
    expect(watchVideoId('https://www.youtube.com/results?search_query=trains')).toBeUndefined();
    expect(watchVideoId('https://www.youtube.com.evil.example/watch?v=abcDEF12345')).toBeUndefined();
    expect(watchVideoId('https://www.youtube.com/watch?v=<script>')).toBeUndefined();
  });

  for (const format of ['json3', 'srv1', 'srv3'] as const) {
    it(`reads the transcript with times from ${format} captions`, async () => {
      const { deps } = youtube(video, { format });
      const page = await readVideo(deps);
      expect(page).toMatchObject({ source: 'video', title: 'Night trains, explained', lang: 'en', video: { id: 'abcDEF12345', captions: 'manual' } });
      expect(page.text).toBe(
        "[0:00] Welcome to the channel. Today we're building a night train timetable.\n\n[0:35] First, the routes & the stops.\n\n[1:11] Then the prices, which are < 100 euros.",
      );
    });
  }

  it('falls back to the transcript panel when the caption URL answers nothing', async () => {
    const { deps, fetched } = youtube({ ...video, panel: true }, { format: 'panel-only' });
    const page = await readVideo(deps);
    expect(page.text).toContain('[0:35] First, the routes & the stops.');
    expect(fetched.at(-1)).toBe('POST /youtubei/v1/get_transcript');
  });

  it('after an in-app navigation reads the new video, not the one the page loaded with', async () => {
    const first: FakeVideo = { id: 'firstVid001', title: 'The first video', lines: [[0, 'Something else entirely.']], tracks: [{ lang: 'en' }] };
    const { deps, fetched } = youtube(video, { navigatedFrom: first });
    const page = await readVideo(deps);
    expect(page.title).toBe('Night trains, explained');
    expect(page.text).toContain('night train timetable');
    expect(fetched[0]).toBe(deps.href);
    // Loaded directly, the page's own data serves: no second download of the page.
    const direct = youtube(video);
    await readVideo(direct.deps);
    expect(direct.fetched.some((u) => u.includes('/watch'))).toBe(false);
  });

  it('says there is no transcript rather than summarising the page, and offers the description as what it is', async () => {
    const silent: FakeVideo = { ...video, tracks: [], description: 'Links to the timetables below.' };
    await expect(readVideo(youtube(silent).deps)).rejects.toEqual(new VideoUnreadable('no_transcript'));
    const empty = youtube({ ...video, tracks: [{ lang: 'en' }], lines: [] }, { format: 'json3' });
    await expect(readVideo(empty.deps)).rejects.toMatchObject({ problem: 'no_transcript' });
    expect(await readVideo(youtube(silent).deps, { descriptionOnly: true })).toMatchObject({ source: 'video-description', text: 'Links to the timetables below.' });
    const broken = youtube(video);
    broken.deps.pageHtml = () => '<html>consent wall</html>';
    broken.deps.fetchText = async () => '<html>consent wall</html>';
    await expect(readVideo(broken.deps)).rejects.toMatchObject({ problem: 'video_unavailable' });
  });

  it('picks the output language first, then the video’s own, a person’s captions before speech recognition', () => {
    const info = videoInfo(
      playerResponse({ id: 'abcDEF12345', title: 't', tracks: [{ lang: 'en', auto: true }, { lang: 'en' }, { lang: 'de' }, { lang: 'pt-BR' }, { lang: 'fr', auto: true }] }),
    )!;
    expect(pickTrack(info, ['de-DE', 'en'])).toMatchObject({ languageCode: 'de', auto: false });
    expect(pickTrack(info, ['pt'])).toMatchObject({ languageCode: 'pt-BR' });
    // No track in the reader's languages: the language spoken (speech recognition's), a person's track of it.
    expect(pickTrack(info, ['ja'])).toMatchObject({ languageCode: 'en', auto: false });
    const autoOnly = videoInfo(playerResponse({ id: 'abcDEF12345', title: 't', tracks: [{ lang: 'es', auto: true }] }))!;
    expect(pickTrack(autoOnly, ['en'])).toMatchObject({ languageCode: 'es', auto: true });
  });

  it('puts chapters in as headings, from the page’s data or else the description', async () => {
    const withChapters = { ...video, chapters: [[0, 'Intro'], [30, 'Routes'], [70, 'Prices']] as [number, string][] };
    const page = await readVideo(youtube(withChapters).deps);
    expect(page.text.split('\n\n')).toEqual([
      '## Intro [0:00]',
      "[0:00] Welcome to the channel. Today we're building a night train timetable.",
      '## Routes [0:30]',
      '[0:35] First, the routes & the stops.',
      '## Prices [1:10]',
      '[1:11] Then the prices, which are < 100 euros.',
    ]);
    expect(chaptersOf(undefined, '0:00 Intro\n1:05 Routes\n1:02:03 - Prices')).toEqual([
      { startMs: 0, title: 'Intro' },
      { startMs: 65_000, title: 'Routes' },
      { startMs: 3_723_000, title: 'Prices' },
    ]);
    // Two timestamps, or none at 0:00, are not chapters (YouTube's own rule).
    expect(chaptersOf(undefined, 'See 1:05 and 2:00')).toEqual([]);
  });

  it('leaves out sound cues, joins words split across events, and writes times as YouTube does', () => {
    expect(parseTimedText(captionBody([[1, '[Music]'], [2, 'Hello   there']], 'json3'))).toEqual([{ startMs: 2000, text: 'Hello there' }]);
    expect(parseTimedText('not captions')).toEqual([]);
    expect(parseTimedText('{"events": 3}')).toEqual([]);
    expect([0, 59.9, 61, 3723].map(formatTime)).toEqual(['0:00', '0:59', '1:01', '1:02:03']);
    expect(transcriptText([])).toBe('');
  });
});

describe('output language as a caption language', () => {
  it('maps a name in English or in itself, or a code, to the code; anything else to nothing', () => {
    expect(['Deutsch', 'German', '中文', '简体中文', 'pt-BR', 'français', 'Japanese', 'Klingon', ''].map(languageCode)).toEqual([
      'de', 'de', 'zh', 'zh', 'pt-br', 'fr', 'ja', undefined, undefined,
    ]);
  });
});

describe('passageAt', () => {
  const transcript = transcriptText(
    [
      { startMs: 0, text: 'Welcome back.' },
      { startMs: 12_000, text: 'Night trains return.' },
      { startMs: 47_000, text: 'Vienna to Paris.' },
      { startMs: 95_000, text: 'Tickets from thirty euros.' },
    ],
    [{ startMs: 40_000, title: 'Routes' }],
  );

  it('is the paragraph being spoken at a time, chapters aside', () => {
    const passages = timedPassages(transcript);
    expect(passages.map((p) => p.at)).toEqual([0, 47, 95]);
    expect(passageAt(passages, 0)).toBe('Welcome back. Night trains return.');
    expect(passageAt(passages, 30)).toBe('Welcome back. Night trains return.');
    expect(passageAt(passages, 47)).toBe('Vienna to Paris.');
    expect(passageAt(passages, 60)).toBe('Vienna to Paris.');
    expect(passageAt(passages, 4000)).toBe('Tickets from thirty euros.');
    expect(passageAt(timedPassages('A description, no times.'), 10)).toBeUndefined();
  });

  it('keeps what a hover shows of a long paragraph, not all of it', () => {
    const long = transcriptText([{ startMs: 0, text: 'word '.repeat(200).trim() }]);
    expect(passageAt(timedPassages(long), 5)).toHaveLength(400);
  });
});
