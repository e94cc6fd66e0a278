import { describe, expect, it } from 'vitest';
import { countWords, minUnitChars, numberUnits, splitUnits, unitText } from '../../../lib/extract/units';

const page = [
  '# Trains',
  '',
  'Night trains are back in Europe.',
  'A second line of the same paragraph.',
  '',
  '- Vienna to Paris',
  '- Berlin to Brussels',
  '  wrapped onto a second line',
  '',
  '| City | Trains |',
  '| --- | --- |',
  '| Vienna | 12 |',
  '',
  '```',
  'code() // not a unit',
  '',
  'still code',
  '```',
  '',
  '> A quoted post.',
].join('\n');

describe('splitUnits', () => {
  // Every piece a unit of its own: the structure, apart from merging short units.
  const units = splitUnits(page, 0);
  const texts = units.map((u) => page.slice(u.start, u.end));

  it('makes paragraphs, list items and table rows units, numbered from 1; headings, table rules and code are not', () => {
    expect(texts).toEqual([
      'Night trains are back in Europe.\nA second line of the same paragraph.',
      '- Vienna to Paris',
      '- Berlin to Brussels\n  wrapped onto a second line',
      '| City | Trains |',
      '| Vienna | 12 |',
      '> A quoted post.',
    ]);
    expect(units.map((u) => u.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('numbers each unit in the text the model reads, changing nothing else', () => {
    const numbered = numberUnits(page, units);
    expect(numbered).toContain('¶1 Night trains');
    expect(numbered).toContain('¶3 - Berlin');
    expect(numbered).toContain('¶5 | Vienna | 12 |');
    expect(numbered.replace(/¶\d+ /g, '')).toBe(page);
  });

  it('gives a unit’s words without the markers extraction added', () => {
    expect(unitText(page, units[1]!)).toBe('Vienna to Paris');
    expect(unitText(page, units[2]!)).toBe('Berlin to Brussels wrapped onto a second line');
    expect(unitText(page, units[4]!)).toBe('Vienna · 12');
  });

  it('has no units in an empty text', () => {
    expect(splitUnits('')).toEqual([]);
    expect(splitUnits('\n\n# Only a heading\n')).toEqual([]);
  });
});

describe('splitUnits merging short units', () => {
  const sentence = (i: number) => `Sentence ${i} of a paragraph that says something about night trains.`;
  const para = (n: number, from: number) => Array.from({ length: n }, (_, i) => sentence(from + i)).join(' ');
  const long = para(4, 0);
  const text = [
    '# Forum',
    'Short post one.',
    'Short post two.',
    '- item a',
    '- item b',
    long,
    'A short tail in this section.',
    '## Next section',
    'Short again.',
    '```',
    'code',
    '```',
    para(3, 10),
  ].join('\n\n');
  const units = splitUnits(text);
  const texts = units.map((u) => text.slice(u.start, u.end));

  it('merges short pieces with the ones after them until a unit is long enough, never across a heading or code', () => {
    expect(units.every((u) => u.end - u.start >= minUnitChars || text.slice(u.end).match(/^\s*(#|```|$)/))).toBe(true);
    expect(texts[0]).toMatch(/^Short post one\.[\s\S]*- item b[\s\S]*Sentence 3 of a paragraph/);
    expect(texts).toContain('A short tail in this section.');
    expect(texts).toContain('Short again.');
    expect(texts.some((t) => t.includes('code'))).toBe(false);
    expect(units.map((u) => u.n)).toEqual(units.map((_, i) => i + 1));
    // Fewer marks, the same text.
    expect(units.length).toBeLessThan(splitUnits(text, 0).length);
    expect(numberUnits(text, units).replace(/¶\d+ /g, '')).toBe(text);
  });

  it('keeps a paragraph long enough on its own as its own unit', () => {
    expect(splitUnits([long, long].join('\n\n')).map((u) => u.end - u.start)).toEqual([long.length, long.length]);
  });

  it('numbers a prefix of a text as the whole, up to where it is cut', () => {
    const whole = splitUnits(text);
    for (const cut of [40, 120, 300, 500, text.length - 5]) {
      const prefix = splitUnits(text.slice(0, cut));
      for (const unit of prefix.slice(0, -1)) expect(unit, `cut at ${cut}`).toEqual(whole[unit.n - 1]);
      const last = prefix.at(-1);
      if (last) expect(last.start).toBe(whole[last.n - 1]!.start);
    }
  });

  it('gives a merged unit’s words as one line, without markers, pipes or table rules', () => {
    const table = '| City | Trains |\n| --- | --- |\n| Vienna | 12 |\n\n1. first\n2. second';
    const [unit] = splitUnits(table);
    expect(unitText(table, unit!)).toBe('City · Trains Vienna · 12 first second');
  });
});

describe('countWords', () => {
  it('counts Latin words and each ideograph', () => {
    expect(countWords('Night trains are back, in 2024.')).toBe(6);
    expect(countWords('南湖市公交车 is electric')).toBe(8);
    expect(countWords('')).toBe(0);
  });
});
