import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBlocks } from '../../../components/markdown/blocks';

describe('splitBlocks', () => {
  it('splits on blank lines', () => {
    expect(splitBlocks('# Title\n\nPara one\nstill one\n\n\n- a\n- b')).toEqual(['# Title', 'Para one\nstill one', '- a\n- b']);
  });

  it('keeps a fenced code block with blank lines whole', () => {
    const text = 'Intro\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter';
    expect(splitBlocks(text)).toEqual(['Intro', '```js\nconst a = 1;\n\nconst b = 2;\n```', 'After']);
  });

  it('a fence still open at the end of a stream stays one block', () => {
    expect(splitBlocks('```\ncode\n\nmore')).toEqual(['```\ncode\n\nmore']);
  });

  it('growing a text only ever changes its last block', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '`', '#', '-') }), fc.integer({ min: 0, max: 40 }), (text, cut) => {
        const before = splitBlocks(text.slice(0, cut));
        const after = splitBlocks(text);
        // Every block of the prefix except the last is unchanged in the full text.
        expect(after.slice(0, Math.max(0, before.length - 1))).toEqual(before.slice(0, -1));
      }),
    );
  });
});
