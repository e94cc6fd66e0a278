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

/** A transcript paragraph: when it starts (seconds) and what it says. */
export interface TimedPassage {
  at: number;
  text: string;
}

/** What a time's hover shows of its paragraph at most (about half a minute of speech is less). */
const passageChars = 400;

/** The timed paragraphs of a transcript made by `transcriptText`: none for a text without times. */
export function timedPassages(transcript: string): TimedPassage[] {
  const out: TimedPassage[] = [];
  for (const block of transcript.split('\n\n')) {
    const m = timedParagraph.exec(block);
    if (m) out.push({ at: parseTime(m[1]!), text: m[2]!.slice(0, passageChars) });
  }
  return out;
}

/** What is said at `seconds`: the passage being spoken then (the last one starting at or before it; before any, the first). */
export function passageAt(passages: readonly TimedPassage[], seconds: number): string | undefined {
  let passage: string | undefined;
  for (const p of passages) {
    if (p.at > seconds && passage !== undefined) break;
    passage = p.text;
  }
  return passage;
}
