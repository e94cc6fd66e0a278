// A transcript as the model reads it: paragraphs of about half a minute, each opening with its
// time as [m:ss], under the video's chapter headings. The times let the summary say where each
// point is said; the paragraphs cost far fewer tokens than one time per caption line.
import { formatTime, parseTime, type Chapter } from './youtube';
import type { Segment } from './timed-text';

const paragraphMs = 30_000;

export function transcriptText(segments: readonly Segment[], chapters: readonly Chapter[] = []): string {
  const out: string[] = [];
  let chapter = 0;
  let paragraph: { startMs: number; words: string[] } | undefined;
  const flush = () => {
    if (paragraph) out.push(`[${formatTime(paragraph.startMs / 1000)}] ${paragraph.words.join(' ')}`);
    paragraph = undefined;
  };
  for (const seg of segments) {
    while (chapter < chapters.length && chapters[chapter]!.startMs <= seg.startMs) {
      flush();
      const { title, startMs } = chapters[chapter++]!;
      out.push(`## ${title} [${formatTime(startMs / 1000)}]`);
    }
    if (paragraph && seg.startMs - paragraph.startMs >= paragraphMs) flush();
    paragraph ??= { startMs: seg.startMs, words: [] };
    paragraph.words.push(seg.text);
  }
  flush();
  return out.join('\n\n');
}

const timedParagraph = /^\[((?:\d{1,2}:)?\d{1,2}:\d{2})\] (.*)$/;

/**
 * What a transcript made by `transcriptText` says at `seconds`: the paragraph being spoken then
 * (the last one starting at or before it), without its time. Undefined for a text with no times.
 */
export function passageAt(transcript: string, seconds: number): string | undefined {
  let passage: string | undefined;
  for (const block of transcript.split('\n\n')) {
    const m = timedParagraph.exec(block);
    if (!m) continue;
    if (parseTime(m[1]!) > seconds && passage !== undefined) break;
    passage = m[2]!;
  }
  return passage;
}
