import { describe, expect, it } from 'vitest';
import { shownPage } from '../../../lib/app/page-access';

describe('shownPage: which addresses keep a summary shown', () => {
  it('keeps it across an in-page fragment and a PDF page a citation opened', () => {
    expect(shownPage('https://example.com/a#section-2')).toBe(shownPage('https://example.com/a'));
    expect(shownPage('https://example.com/report.pdf#page=3')).toBe(shownPage('https://example.com/report.pdf'));
  });

  it('not across a single-page app’s hash routes, which are other pages', () => {
    expect(shownPage('https://mail.example.com/#/mail/2')).not.toBe(shownPage('https://mail.example.com/#/mail/1'));
    expect(shownPage('https://example.com/#!/item/9')).not.toBe(shownPage('https://example.com/'));
  });

  it('nor across paths or queries', () => {
    expect(shownPage('https://example.com/a?x=1')).not.toBe(shownPage('https://example.com/a?x=2'));
    expect(shownPage('https://example.com/a')).not.toBe(shownPage('https://example.com/b'));
  });
});
