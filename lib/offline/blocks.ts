// Markdown-ish page text (lib/extract's output) → the blocks a summary can quote from. Code and
// tables are skipped: a summary sentence lifted from them reads as noise. Headings are kept apart
// from prose: they are not sentences, but they say what the section after them is about.

export interface Block {
  kind: 'heading' | 'paragraph' | 'item';
  /** Without its block markers (heading, list, quote), lines joined. */
  text: string;
}

const fence = /^\s*(```|~~~)/;
const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?\s*$/;
const tableRow = /^\s*\|.*\|\s*$/;
const rule = /^\s*([-*_])(?:\s*\1){2,}\s*$/;
// Letters as markers ("a)") are left out: "J. K. Rowling wrote…" would lose its first initial.
const listItem = /^\s*(?:[-*+•·▪◦‣]|\(?\d{1,3}[.)])\s+(.*)$/;
const quote = /^\s*(?:>\s?)+/;
const ideographEdge = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u3000-\u303f\uff00-\uffef]/u;

interface OpenBlock {
  kind: Block['kind'];
  /** Lines and the glue between them, joined at the end: asking a growing string for its last character would copy it every line. */
  parts: string[];
  last: string;
}

export function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: OpenBlock | undefined;
  let inFence = false;
  const open = (kind: Block['kind'], first: string) => {
    current = { kind, parts: [first], last: first.slice(-1) };
  };
  const close = () => {
    if (current) {
      // Inline text stays as the page has it, `[x](y)` and `**` included: the summary quotes it literally.
      const cleaned = current.parts.join('').trim();
      if (cleaned) blocks.push({ kind: current.kind, text: cleaned });
    }
    current = undefined;
  };
  for (const raw of text.split('\n')) {
    if (fence.test(raw)) {
      close();
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const line = raw.replace(quote, '').trim();
    if (!line || rule.test(line) || tableRow.test(line)) {
      close();
      continue;
    }
    const h = heading.exec(line);
    const item = h ? null : listItem.exec(line);
    if (h || item) {
      close();
      open(h ? 'heading' : 'item', (h ?? item)?.[1] ?? '');
      // A heading is one line; an item may wrap onto the next.
      if (h) close();
    } else if (current) {
      // A wrapped line: ideographs need no space between them.
      const glue = ideographEdge.test(current.last) && ideographEdge.test(line.charAt(0)) ? '' : ' ';
      current.parts.push(glue, line);
      current.last = line.slice(-1);
    } else {
      open('paragraph', line);
    }
  }
  close();
  return blocks;
}
