// A video's captions as timed segments, from whichever of YouTube's formats the server answered:
// json3 (what we ask for), the srv1 and srv3 XML it answers to older or rewritten URLs, and the
// transcript panel's own API. One reader per format, one shape out.

import { array, isObject, objectsUnder, textOf, type Json } from './json-shapes';

export interface Segment {
  startMs: number;
  text: string;
}


/** `{events: [{tStartMs, segs: [{utf8}]}]}` */
function fromJson3(doc: Json): Segment[] {
  const segments: Segment[] = [];
  for (const event of array(doc.events)) {
    if (!isObject(event) || typeof event.tStartMs !== 'number') continue;
    const text = array(event.segs)
      .map((s) => (isObject(s) && typeof s.utf8 === 'string' ? s.utf8 : ''))
      .join('');
    segments.push({ startMs: event.tStartMs, text });
  }
  return segments;
}

/** The transcript panel's `get_transcript` answer: `…transcriptSegmentRenderer: {startMs, snippet: {runs}}`. */
function fromTranscriptPanel(doc: unknown): Segment[] {
  return objectsUnder(doc, 'transcriptSegmentRenderer')
    .map((seg) => ({ startMs: Number(seg.startMs), text: textOf(seg.snippet) }))
    .filter((seg) => Number.isFinite(seg.startMs));
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
// YouTube's XML captions are flat (no nesting beyond srv3's <s> words), and their text is often
// escaped twice (`&amp;#39;`): decode until nothing changes, at most twice.
function decode(text: string): string {
  let out = text;
  for (let i = 0; i < 2; i++) {
    const next = out.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return entities[name.toLowerCase()] ?? whole;
    });
    if (next === out) break;
    out = next;
  }
  return out;
}

/** srv1 `<text start="1.5" dur="2">…</text>` and srv3 `<p t="1500" d="2000">…<s>…</s></p>`. */
function fromXml(xml: string): Segment[] {
  const segments: Segment[] = [];
  for (const m of xml.matchAll(/<(text|p)\b([^>]*)>([\s\S]*?)<\/\1>/g)) {
    const [, tag, attrs, body] = m;
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs!)?.[1];
    const startMs = tag === 'text' ? Number(attr('start')) * 1000 : Number(attr('t'));
    if (!Number.isFinite(startMs)) continue;
    segments.push({ startMs: Math.round(startMs), text: decode(body!.replace(/<[^>]+>/g, '')) });
  }
  return segments;
}

/** Segments from a caption response body in any of the formats; [] when it holds none. */
export function parseTimedText(body: string): Segment[] {
  const trimmed = body.trim();
  if (!trimmed) return [];
  let segments: Segment[];
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      return [];
    }
    segments = isObject(doc) && Array.isArray(doc.events) ? fromJson3(doc) : fromTranscriptPanel(doc);
  } else {
    segments = fromXml(trimmed);
  }
  return segments
    .map((s) => ({ startMs: s.startMs, text: s.text.replace(/\s+/g, ' ').trim() }))
    .filter((s) => s.text && !/^\[[^\]]*\]$/.test(s.text)) // "[Music]", "[Applause]": sound cues, not speech
    .sort((a, b) => a.startMs - b.startMs);
}
