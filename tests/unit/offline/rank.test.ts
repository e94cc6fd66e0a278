import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTermSpace, centrality, cosine, pickDiverse } from '../../../lib/offline/rank';

const sentences = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 8 }), {
  minLength: 2,
  maxLength: 12,
});

describe('offline ranking', () => {
  it('centroid centrality equals the mean cosine similarity to every other sentence (LexRank degree)', () => {
    fc.assert(
      fc.property(sentences, (terms) => {
        const space = buildTermSpace(terms);
        const fast = centrality(space);
        space.vectors.forEach((v, i) => {
          if (v.ids.length === 0) return expect(fast[i]).toBe(0);
          const others = space.vectors.filter((_, j) => j !== i);
          const mean = others.reduce((sum, w) => sum + cosine(v, w), 0) / others.length;
          expect(fast[i]).toBeCloseTo(mean, 9);
        });
      }),
    );
  });

  it('builds unit vectors, and embeds other text in the same space', () => {
    const space = buildTermSpace([['solar', 'farm', 'solar'], ['farm', 'valley'], []]);
    for (const v of space.vectors.slice(0, 2)) expect(cosine(v, v)).toBeCloseTo(1, 12);
    expect(space.vectors[2]?.ids.length).toBe(0);
    expect(cosine(space.embed(['solar', 'unknown']), space.vectors[0]!)).toBeGreaterThan(0);
    expect(space.embed(['unknown']).ids.length).toBe(0);
  });

  it('picks by score, skips near-duplicates of what is chosen, and keeps to eligible and count', () => {
    const space = buildTermSpace([['solar', 'farm'], ['solar', 'farm'], ['grid', 'cost'], ['battery', 'storage'], ['x', 'y']]);
    const scores = [1, 0.95, 0.6, 0.5, 0.9];
    expect(pickDiverse(scores, space, { chosen: [0], count: 3, eligible: (i) => i !== 4 })).toEqual([2, 3]);
    expect(pickDiverse(scores, space, { chosen: [], count: 2 })).toEqual([0, 4]);
  });
});
