import { describe, expect, it } from 'vitest';
import { indexWords, matchesTerms, maxWordsPerRecord, queryTerms } from '../../../lib/library/words';

describe('library search words', () => {
  it('lower-cases and splits Latin text on anything but letters and digits, once per word', () => {
    expect(indexWords('Night Trains are back: night-trains, 2026!', 'https://news.example/trains')).toEqual([
      'night',
      'trains',
      'are',
      'back',
      '2026',
      'https',
      'news',
      'example',
    ]);
  });

  it('indexes CJK runs as characters and bigrams, and queries them the same way', () => {
    const words = indexWords('夜行列车回来了');
    expect(words).toEqual(expect.arrayContaining(['夜', '夜行', '行列', '列车', '车', '了']));
    expect(matchesTerms(words, queryTerms('列车'))).toBe(true);
    expect(matchesTerms(words, queryTerms('行列车'))).toBe(true);
    expect(matchesTerms(words, queryTerms('车'))).toBe(true);
    expect(matchesTerms(words, queryTerms('火车'))).toBe(false);
  });

  it('matches every term, the last one as a prefix while it is typed', () => {
    const words = indexWords('Sleeper trains return to Europe');
    expect(matchesTerms(words, queryTerms('sleep'))).toBe(true);
    expect(matchesTerms(words, queryTerms('TRAINS euro'))).toBe(true);
    expect(matchesTerms(words, queryTerms('trains asia'))).toBe(false);
    expect(queryTerms('  ,, ')).toEqual([]);
  });

  it('keeps a record’s words bounded and skips tokens nobody types', () => {
    const many = Array.from({ length: maxWordsPerRecord + 500 }, (_, i) => `w${i}`).join(' ');
    expect(indexWords(many)).toHaveLength(maxWordsPerRecord);
    expect(indexWords('a'.repeat(41), 'ok')).toEqual(['ok']);
  });
});
