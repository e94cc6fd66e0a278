import { describe, expect, it } from 'vitest';
import { citationAt, citationsIn, citedUnits, withoutCitations } from '../../../lib/jobs/citations';

describe('citations as models write them', () => {
  it('reads one unit, lists, ranges and brackets', () => {
    expect(citationsIn('Fares fell. ¶3')).toEqual([3]);
    expect(citationsIn('Fares fell ¶3,¶8 and rose ¶12, 14.')).toEqual([3, 8, 12, 14]);
    expect(citationsIn('A point [¶4-6]. Another (¶2; ¶9)')).toEqual([4, 5, 6, 2, 9]);
    expect(citationsIn('票价下降。¶7，¶9')).toEqual([7, 9]);
  });

  it('does not expand a range into hundreds of chips', () => {
    expect(citedUnits('¶3-900')).toEqual([3]);
  });

  it('takes the blanks before a citation with it, so dropping it leaves clean text', () => {
    expect(citationAt.exec(' ¶3, ¶4.')?.[0]).toBe(' ¶3, ¶4');
    expect(citationAt.exec('¶ alone')).toBeNull();
    expect(citationsIn('No citations [3] here, nor ¶ alone.')).toEqual([]);
  });
});

describe('withoutCitations', () => {
  it('leaves the text as if the model had cited nothing', () => {
    expect(withoutCitations('- Fares fell by 12%. ¶3,¶8\n- Trains returned ¶2.\nSection [3] and ¶ alone.')).toBe(
      '- Fares fell by 12%.\n- Trains returned.\nSection [3] and ¶ alone.',
    );
  });
});
