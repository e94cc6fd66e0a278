import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../lib/offline';

describe('splitSentences: English', () => {
  it('keeps abbreviations and titles inside their sentence', () => {
    expect(splitSentences('Dr. Smith went to Washington, D.C. on Monday. Mr. Jones agreed with Prof. Lee.')).toEqual([
      'Dr. Smith went to Washington, D.C. on Monday.',
      'Mr. Jones agreed with Prof. Lee.',
    ]);
    expect(splitSentences('Others, e.g. Google, agreed. Prices rose, i.e. by a lot. Cats vs. Dogs is a film.')).toEqual([
      'Others, e.g. Google, agreed.',
      'Prices rose, i.e. by a lot.',
      'Cats vs. Dogs is a film.',
    ]);
    expect(splitSentences('J. K. Rowling wrote it. See Fig. 3 and No. 5 for details. The answer is no. That is final.')).toEqual([
      'J. K. Rowling wrote it.',
      'See Fig. 3 and No. 5 for details.',
      'The answer is no.',
      'That is final.',
    ]);
  });

  it('keeps "U.S. Army" together but ends a sentence on dotted initials before "The"', () => {
    expect(splitSentences('The U.S. economy grew. The U.S. Army agreed. It opened at 5 p.m. The crowd cheered.')).toEqual([
      'The U.S. economy grew.',
      'The U.S. Army agreed.',
      'It opened at 5 p.m.',
      'The crowd cheered.',
    ]);
  });

  it('does not cut decimals, prices, versions or domains', () => {
    expect(splitSentences('It grew 3.5% to $4.99 in version 2.0.1 of example.com. Then it fell.')).toEqual([
      'It grew 3.5% to $4.99 in version 2.0.1 of example.com.',
      'Then it fell.',
    ]);
  });

  it('treats an ellipsis before lower case as a pause, and before a capital as an end', () => {
    expect(splitSentences('Wait... what? The end… Is it?')).toEqual(['Wait... what?', 'The end…', 'Is it?']);
  });

  it('keeps closing quotes and brackets with the sentence they close', () => {
    expect(splitSentences('He said "Stop." Then he left. “Is it over?” she asked. (It was.) Yes!')).toEqual([
      'He said "Stop."',
      'Then he left.',
      '“Is it over?” she asked.',
      '(It was.)',
      'Yes!',
    ]);
  });

  it('ends at ?! runs and keeps text without a final stop', () => {
    expect(splitSentences('Really?! Yes.  And then  nothing')).toEqual(['Really?!', 'Yes.', 'And then nothing']);
  });
});

describe('splitSentences: Chinese and mixed', () => {
  it('ends at 。！？ and ； without spaces', () => {
    expect(splitSentences('人工智能正在改变世界。它的影响很大！你觉得呢？第一；第二。')).toEqual([
      '人工智能正在改变世界。',
      '它的影响很大！',
      '你觉得呢？',
      '第一；',
      '第二。',
    ]);
  });

  it('keeps a closing quote with its sentence and starts the next one after it', () => {
    expect(splitSentences('李明说：“充电网络跟不上，电动公交车就跑不起来。”随后他离开了会场。')).toEqual([
      '李明说：“充电网络跟不上，电动公交车就跑不起来。”',
      '随后他离开了会场。',
    ]);
  });

  it('handles Latin stops between ideographs and keeps 1.5 and …… inside', () => {
    expect(splitSentences('参数达到1.5万亿。The model is big.它犹豫了……最后答应了。Really? 是的。')).toEqual([
      '参数达到1.5万亿。',
      'The model is big.',
      '它犹豫了……最后答应了。',
      'Really?',
      '是的。',
    ]);
  });

  it('ends at the danda', () => {
    expect(splitSentences('नमस्ते दुनिया। यह दूसरा वाक्य है। Done.')).toEqual(['नमस्ते दुनिया।', 'यह दूसरा वाक्य है।', 'Done.']);
  });
});

describe('splitSentences: properties', () => {
  const pieces = fc.constantFrom('Dr.', 'U.S.', 'e.g.', '3.5', 'word', 'Word', '。', '！', '“', '”', '"', '...', '…', '?', '!', '.', '人工智能', ' ', ' ', ' ');
  const text = fc.array(pieces, { maxLength: 40 }).map((p) => p.join(''));

  it('loses no character and yields trimmed, non-empty sentences', () => {
    fc.assert(
      fc.property(text, (t) => {
        const sentences = splitSentences(t);
        expect(sentences.join('').replace(/\s+/g, '')).toBe(t.replace(/\s+/g, ''));
        for (const s of sentences) {
          expect(s).not.toBe('');
          expect(s).toBe(s.trim());
        }
      }),
    );
  });
});
