import { describe, expect, it } from 'vitest';
import { countWords, numberUnits, splitUnits, unitText } from '../../../lib/extract/units';

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
  const units = splitUnits(page);
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

describe('countWords', () => {
  it('counts Latin words and each ideograph', () => {
    expect(countWords('Night trains are back, in 2024.')).toBe(6);
    expect(countWords('南湖市公交车 is electric')).toBe(8);
    expect(countWords('')).toBe(0);
  });
});
