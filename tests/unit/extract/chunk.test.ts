import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkText, joinCost, type Chunk, type CountTokens } from '../../../lib/extract/chunk';
import { splitBlocks } from '../../../lib/extract/segment';
import { loadTokenCounter } from '../../../lib/extract/tokens';

let count: CountTokens;
beforeAll(async () => {
  count = (await loadTokenCounter()).count;
});

/** Deterministic filler prose: a seeded generator, so every run chunks the same text. */
function prose(seed: number, paragraphs: number, headingsEvery = 6): string[] {
  const vocabulary =
    'night train sleeper route ticket border carriage fare subsidy passenger timetable operator crew station ' +
    'booking couchette minister declaration access charge rolling stock demand revival corridor';
  const words = vocabulary.split(' ');
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 0x1_0000_0000;
  };
  const out: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    if (i % headingsEvery === 0) out.push(`## Section ${i / headingsEvery + 1}`);
    const sentences = 2 + Math.floor(next() * 5);
    const parts: string[] = [];
    for (let j = 0; j < sentences; j++) {
      const n = 6 + Math.floor(next() * 14);
      const sentence = Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(' ');
      parts.push(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
    }
    out.push(parts.join(' '));
  }
  return out;
}

function bodies(chunks: Chunk[], source: string): string[] {
  return chunks.map((c) => source.slice(c.start, c.end));
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('chunkText', () => {
  it('returns the text as one chunk when it fits, and nothing for blank text', () => {
    expect(chunkText('# Title\n\nOne paragraph.', { budget: 100, count })).toEqual([
      { text: '# Title\n\nOne paragraph.', tokens: count('# Title\n\nOne paragraph.'), start: 0, end: 23, overlap: '' },
    ]);
    expect(chunkText(' \n\n \n', { budget: 100, count })).toEqual([]);
    expect(() => chunkText('x', { budget: 4, count })).toThrow(RangeError);
  });

  it('cuts on paragraph boundaries and keeps every paragraph, in order, exactly once', () => {
    const paragraphs = prose(1, 120);
    const source = paragraphs.join('\n\n');
    const chunks = chunkText(source, { budget: 600, count });
    expect(chunks.length).toBeGreaterThan(5);
    const starts = new Set(splitBlocks(source).map((b) => b.start));
    const ends = new Set(splitBlocks(source).map((b) => b.end));
    for (const c of chunks) {
      expect(starts.has(c.start) && ends.has(c.end)).toBe(true);
      expect(count(c.text)).toBeLessThanOrEqual(600);
      expect(c.tokens).toBe(count(c.text));
    }
    expect(squeeze(bodies(chunks, source).join(''))).toBe(squeeze(source));
  });

  it('prefers to cut before headings', () => {
    const source = prose(2, 240, 4).join('\n\n');
    const chunks = chunkText(source, { budget: 1_500, count });
    const atHeading = chunks.slice(1).filter((c) => source.startsWith('## ', c.start)).length;
    // Headings are a fifth of the blocks; well over half the cuts fall before one.
    expect(atHeading / (chunks.length - 1)).toBeGreaterThan(0.6);
  });

  it('repeats the end of the previous chunk as a small overlap', () => {
    const source = prose(3, 80).join('\n\n');
    const chunks = chunkText(source, { budget: 500, count, overlapTokens: 40 });
    const withOverlap = chunks.slice(1).filter((c) => c.overlap);
    expect(withOverlap.length).toBeGreaterThan(chunks.length / 2);
    chunks.forEach((c, i) => {
      if (!c.overlap) return;
      const previous = chunks[i - 1]!;
      expect(source.slice(previous.start, previous.end).endsWith(c.overlap)).toBe(true);
      expect(count(c.overlap)).toBeLessThanOrEqual(40);
      expect(c.text).toBe(`${c.overlap}\n\n${source.slice(c.start, c.end)}`);
    });
    expect(chunkText(source, { budget: 500, count, overlapTokens: 0 }).every((c) => c.overlap === '')).toBe(true);
  });

  it('splits an oversized paragraph at sentence ends', () => {
    const sentence = (i: number) => `Sentence number ${i} talks about the night train from Vienna to Paris.`;
    const source = Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkText(source, { budget: 120, count, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.text).toMatch(/^Sentence number \d+ .*Paris\.$/s);
      expect(c.tokens).toBeLessThanOrEqual(120);
    }
  });

  it('keeps a fenced code block whole when it fits, blank lines and all', () => {
    const code = '```\nfunction a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n```';
    const source = [...prose(4, 10), code, ...prose(5, 10)].join('\n\n');
    const chunks = chunkText(source, { budget: 200, count, overlapTokens: 0 });
    expect(chunks.some((c) => c.text.includes(code))).toBe(true);
  });

  it('cuts unspaced CJK text and emoji sequences between whole characters', () => {
    const source = '夜行列車の運行には多くの費用がかかる𠮷👨‍👩‍👧‍👦'.repeat(40);
    const chunks = chunkText(source, { budget: 30, count, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.text.isWellFormed()).toBe(true);
      expect(c.tokens).toBeLessThanOrEqual(30);
    }
    expect(bodies(chunks, source).join('')).toBe(source);
    // The family emoji is one grapheme; with room for it, it is never torn apart.
    expect(chunks.every((c) => !c.text.startsWith('\u200d') && !c.text.endsWith('\u200d'))).toBe(true);
  });

  it('measures the cost of a join from a window around it', () => {
    const source = 'First paragraph ends here.\n\nSecond one starts here.';
    const left = { start: 0, end: 26 };
    const right = { start: 28, end: source.length };
    expect(count(source.slice(0, 26)) + joinCost(source, left, right, count) + count(source.slice(28))).toBe(count(source));
  });
});

describe('chunkText properties', () => {
  const pieces = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom('😀', '👨‍👩‍👧‍👦', '𠮷', '🇯🇵', 'é', 'e\u0301', '夜行列車', 'ab', ' ', '\n', '\n\n', '\r\n', '\t', '# ', '## Heading\n\n', '```', '- ', '. ', '。'),
  );
  const texts = fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join(''));

  it('never exceeds the budget, never splits a code point, and loses no text', () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 8, max: 120 }), fc.integer({ min: 0, max: 30 }), (source, budget, overlapTokens) => {
        const chunks = chunkText(source, { budget, count, overlapTokens });
        let last = 0;
        for (const c of chunks) {
          expect(count(c.text)).toBeLessThanOrEqual(budget);
          expect(c.text.isWellFormed()).toBe(true);
          expect(c.start).toBeGreaterThanOrEqual(last);
          expect(source.slice(last, c.start).trim()).toBe('');
          last = c.end;
        }
        expect(source.slice(last).trim()).toBe('');
        expect(squeeze(bodies(chunks, source).join(''))).toBe(squeeze(source));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('holds with any counter, even one that is far from additive', () => {
    const utf8 = new TextEncoder();
    const counters: CountTokens[] = [
      (s) => utf8.encode(s).length,
      (s) => [...s].length + (s.match(/\s+/g)?.length ?? 0) * 3,
    ];
    fc.assert(
      fc.property(texts, fc.integer({ min: 8, max: 80 }), fc.constantFrom(0, 1), (source, budget, which) => {
        const counter = counters[which]!;
        for (const c of chunkText(source, { budget, count: counter })) {
          expect(counter(c.text)).toBeLessThanOrEqual(budget);
          expect(c.text.isWellFormed()).toBe(true);
        }
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});

describe('chunk boundaries after an edit', () => {
  const budget = 700;
  const paragraphs = prose(42, 400);
  let before: Chunk[] = [];
  beforeAll(() => {
    before = chunkText(paragraphs.join('\n\n'), { budget, count });
  });
  const same = (after: Chunk[]) => {
    const old = new Set(before.map((c) => c.text));
    return after.filter((c) => old.has(c.text)).length / after.length;
  };

  it('are mostly where they were: one edited paragraph changes one or two chunks', () => {
    expect(before.length).toBeGreaterThanOrEqual(30);
    for (const at of [5, 77, 150, 233, 301, 390]) {
      const edited = [...paragraphs];
      edited[at] = `${edited[at]} One more sentence about a late night train and its sleepy passengers.`;
      const after = chunkText(edited.join('\n\n'), { budget, count });
      expect(same(after)).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('survive inserting and deleting a paragraph', () => {
    const inserted = [...paragraphs.slice(0, 200), 'A brand new paragraph about rail passenger rights.', ...paragraphs.slice(200)];
    expect(same(chunkText(inserted.join('\n\n'), { budget, count }))).toBeGreaterThanOrEqual(0.9);
    const deleted = [...paragraphs.slice(0, 120), ...paragraphs.slice(121)];
    expect(same(chunkText(deleted.join('\n\n'), { budget, count }))).toBeGreaterThanOrEqual(0.9);
  });
});
