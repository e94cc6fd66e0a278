// A transcript as the model reads it: paragraphs of about half a minute, each opening with its
// time as [m:ss], under the video's chapter headings. The times let the summary say where each
// point is said; the paragraphs cost far fewer tokens than one time per caption line.
import { formatTime, type Chapter } from './youtube';
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
