import { describe, expect, it } from 'vitest';
import { createTokeniser, intlWordSegmenter, wordCount, type WordSegmenter } from '../../../lib/offline/tokens';

describe('offline tokeniser', () => {
  const plain = createTokeniser(null);

  it('lower-cases, folds plurals and possessives, and drops stop words, numbers and single letters', () => {
    expect(plain("The batteries' panels and the U.S. co-op's 3.5 x don't")).toEqual(['battery', 'panel', 'u.s', 'co-op']);
  });

  it('cuts Chinese into bigrams at grammar characters when there is no segmenter', () => {
    expect(plain('南湖市的公交车是电动的。')).toEqual(['南湖', '湖市', '公交', '交车', '电动']);
    expect(plain('的车')).toEqual(['车']);
  });

  it("uses the segmenter's words, and bigrams where it falls back to single characters", () => {
    // A stand-in with a known dictionary: "南湖" and "建设" are words, everything else single characters.
    const segmenter: WordSegmenter = {
      *segment(text: string) {
        for (let i = 0; i < text.length; ) {
          const word = ['南湖', '建设'].find((w) => text.startsWith(w, i)) ?? text[i] ?? '';
          yield { segment: word, isWordLike: true };
          i += word.length;
        }
      },
    };
    expect(createTokeniser(segmenter)('南湖公交车的建设')).toEqual(['南湖', '公交', '交车', '建设']);
  });

  it('gets words for a dictionary miss from Intl.Segmenter too', () => {
    const segmenter = intlWordSegmenter('zh');
    if (!segmenter) return;
    expect(createTokeniser(segmenter)('纯电动公交车投入运营')).toEqual(expect.arrayContaining(['公交', '投入', '运营']));
  });

  it('counts words, an ideograph as about half of one', () => {
    expect(wordCount("The U.S. economy grew 3.5% -- don't panic.")).toBe(7);
    expect(wordCount('人工智能正在改变世界。')).toBeCloseTo(10 / 1.7);
  });
});
