// YouTube watch pages and caption answers in the shapes YouTube serves them (field names and
// formats as its web player receives them), generated per test: with and without captions, in
// several languages, manual and automatic, with chapters, and in each caption format.

export interface FakeVideo {
  id: string;
  title: string;
  author?: string;
  description?: string;
  lengthSeconds?: number;
  /** Caption lines: [seconds, text]. */
  lines?: [number, string][];
  tracks?: { lang: string; auto?: boolean; name?: string }[];
  /** Chapters in ytInitialData: [seconds, title]. */
  chapters?: [number, string][];
  /** The transcript panel's endpoint is offered (ytInitialData + ytcfg). */
  panel?: boolean;
}

export const captionUrl = (id: string, lang: string, auto = false) => `/api/timedtext?v=${id}&lang=${lang}${auto ? '&kind=asr' : ''}&caps=asr&xoaf=5`;

export function playerResponse(v: FakeVideo) {
  const tracks = (v.tracks ?? []).map((t) => ({
    baseUrl: `https://www.youtube.com${captionUrl(v.id, t.lang, t.auto)}`,
    name: t.auto ? { runs: [{ text: `${t.name ?? t.lang} (auto-generated)` }] } : { simpleText: t.name ?? t.lang },
    vssId: `${t.auto ? 'a' : ''}.${t.lang}`,
    languageCode: t.lang,
    ...(t.auto && { kind: 'asr' }),
    isTranslatable: true,
    trackName: '',
  }));
  return {
    responseContext: { serviceTrackingParams: [] },
    playabilityStatus: { status: 'OK', playableInEmbed: true },
    ...(tracks.length && {
      captions: {
        playerCaptionsTracklistRenderer: {
          captionTracks: tracks,
          audioTracks: [{ captionTrackIndices: tracks.map((_, i) => i), defaultCaptionTrackIndex: 0, visibility: 'UNKNOWN' }],
          translationLanguages: [{ languageCode: 'de', languageName: { simpleText: 'German' } }],
          defaultAudioTrackIndex: 0,
        },
      },
    }),
    videoDetails: {
      videoId: v.id,
      title: v.title,
      lengthSeconds: String(v.lengthSeconds ?? 600),
      channelId: 'UC0000000000000000000000',
      shortDescription: v.description ?? '',
      author: v.author ?? 'A Channel',
      isLiveContent: false,
    },
  };
}

function initialData(v: FakeVideo) {
  return {
    contents: { twoColumnWatchNextResults: { results: { results: { contents: [{ videoPrimaryInfoRenderer: { title: { runs: [{ text: v.title }] } } }] } } } },
    engagementPanels: [
      ...(v.panel
        ? [{ engagementPanelSectionListRenderer: { content: { continuationItemRenderer: { continuationEndpoint: { getTranscriptEndpoint: { params: `CgtQ${v.id}` } } } } } }]
        : []),
    ],
    playerOverlays: {
      playerOverlayRenderer: {
        decoratedPlayerBarRenderer: {
          decoratedPlayerBarRenderer: {
            playerBar: {
              multiMarkersPlayerBarRenderer: {
                markersMap: v.chapters?.length
                  ? [{ key: 'DESCRIPTION_CHAPTERS', value: { chapters: v.chapters.map(([s, title]) => ({ chapterRenderer: { title: { simpleText: title }, timeRangeStartMillis: s * 1000 } })) } }]
                  : [],
              },
            },
          },
        },
      },
    },
  };
}

/** The watch page's HTML, with a `<video>` and the player's data inline, as YouTube serves it. */
export function watchPage(v: FakeVideo, opts: { body?: string } = {}): string {
  // `</script>` inside JSON would end the script early: YouTube escapes `<` and so do we.
  const js = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${v.title} - YouTube</title>
<script>ytcfg.set({"INNERTUBE_API_KEY":"AIzaFakeKey","INNERTUBE_CONTEXT":{"client":{"clientName":"WEB","clientVersion":"2.20261120.01.00","hl":"en"}},"INNERTUBE_CLIENT_VERSION":"2.20261120.01.00"});</script>
</head><body>
<ytd-app><div id="content">
<h1 class="title">${v.title}</h1>
<video src="/video.webm" muted></video>
<div id="description">${v.description ?? ''}</div>
<div id="comments"><p>First!</p><p>Great video, thanks.</p></div>
${opts.body ?? ''}
</div></ytd-app>
<script nonce="x">var ytInitialPlayerResponse = ${js(playerResponse(v))};var meta = document.createElement('meta');</script>
<script nonce="x">var ytInitialData = ${js(initialData(v))};</script>
</body></html>`;
}

export type CaptionFormat = 'json3' | 'srv1' | 'srv3' | 'panel-only';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

/** The caption answer in `format` (`panel-only`: timedtext answers an empty 200, as when YouTube wants a token). */
export function captionBody(lines: [number, string][], format: CaptionFormat): string {
  switch (format) {
    case 'json3':
      return JSON.stringify({
        wireMagic: 'pb3',
        pens: [{}],
        events: lines.flatMap(([s, text], i) => [
          { tStartMs: Math.round(s * 1000), dDurationMs: 3000, wWinId: 1, segs: text.split(' ').map((w, j) => ({ utf8: j ? ` ${w}` : w, ...(j && { tOffsetMs: j * 200 }) })) },
          ...(i < lines.length - 1 ? [{ tStartMs: Math.round(s * 1000) + 2900, dDurationMs: 100, wWinId: 1, aAppend: 1, segs: [{ utf8: '\n' }] }] : []),
        ]),
      });
    case 'srv1':
      // srv1 escapes its text twice, as YouTube's does: `&amp;#39;` for an apostrophe.
      return `<?xml version="1.0" encoding="utf-8" ?><transcript>${lines.map(([s, t]) => `<text start="${s}" dur="3">${escapeXml(escapeXml(t))}</text>`).join('')}</transcript>`;
    case 'srv3':
      return `<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body>${lines
        .map(([s, t]) => `<p t="${Math.round(s * 1000)}" d="3000" w="1">${t.split(' ').map((w, j) => `<s${j ? ` t="${j * 200}"` : ''}>${escapeXml(j ? ` ${w}` : w)}</s>`).join('')}</p>`)
        .join('')}</body></timedtext>`;
    case 'panel-only':
      return '';
  }
}

/** The transcript panel's `get_transcript` answer. */
export function transcriptPanelBody(lines: [number, string][]): string {
  return JSON.stringify({
    responseContext: {},
    actions: [
      {
        updateEngagementPanelAction: {
          content: {
            transcriptRenderer: {
              content: {
                transcriptSearchPanelRenderer: {
                  body: {
                    transcriptSegmentListRenderer: {
                      initialSegments: lines.map(([s, text], i) => ({
                        transcriptSegmentRenderer: { startMs: String(Math.round(s * 1000)), endMs: String(Math.round((lines[i + 1]?.[0] ?? s + 3) * 1000)), snippet: { runs: [{ text }] }, startTimeText: { simpleText: '0:00' } },
                      })),
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  });
}
