import fc from 'fast-check';
import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { summariseOffline } from '../../../lib/offline';
import { markdownLiteral } from '../../../lib/offline/markdown-literal';

// The same Markdown dialect the views render (GFM: autolinks, strikethrough, tables, task items).
const marked = new Marked({ gfm: true });
const html = (md: string) => marked.parse(md, { async: false });
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const hostile = [
  'Read more at [click](javascript:alert(1)) before the trains leave.',
  'Fares are **bold** claims and _quiet_ ones, or ~~struck~~ ones.',
  'An image <img src=x onerror=alert(1)> hides in the timetable.',
  'Run `rm -rf /` and ```js fences``` in the station.',
  '# Breaking: the night train is back',
  '1. The first train leaves at ten.',
  '1986) was the year the route closed.',
  '> Quoted by the operator, apparently.',
  '- a list marker, + another, = and a setext line',
  '---',
  'Links without brackets: https://evil.example/x, www.evil.example and ops@evil.example.',
  'An entity &amp; a reference &#x3C;script&#x3E; and a backslash \\ at the end \\',
  '![tracking](https://evil.example/pixel.gif) and [ref][1] and <https://evil.example>',
  '| a | b | in a table row |',
];

describe('markdownLiteral', () => {
  it('renders hostile page sentences as exactly their text: no links, emphasis, code, headings, lists or tags', () => {
    for (const sentence of hostile) {
      expect(html(markdownLiteral(sentence)), sentence).toBe(`<p>${escapeHtml(sentence)}</p>\n`);
      expect(html(`- ${markdownLiteral(sentence)}`), sentence).toBe(`<ul>\n<li>${escapeHtml(sentence)}</li>\n</ul>\n`);
    }
  });

  it('renders any one line as its text, in a paragraph or a list item', () => {
    const markdownish = fc.constantFrom(...'\\`*_[]()<>&~!#+-=.:/@|1 aZ\t'.split(''), 'http://', 'www.', '\n', '  ');
    fc.assert(
      fc.property(fc.array(markdownish, { minLength: 1, maxLength: 24 }).map((parts) => parts.join('')), (text) => {
        const line = text.replace(/\s+/g, ' ').trim();
        fc.pre(line.length > 0);
        expect(html(markdownLiteral(text))).toBe(`<p>${escapeHtml(line)}</p>\n`);
        expect(html(`- ${markdownLiteral(text)}`)).toBe(`<ul>\n<li>${escapeHtml(line)}</li>\n</ul>\n`);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves ordinary prose as it was, so Copy gives readable text', () => {
    expect(markdownLiteral('Night trains are back; fares rose 5.2% in 2024 (says the operator).')).toBe(
      'Night trains are back; fares rose 5.2% in 2024 (says the operator).',
    );
    expect(markdownLiteral('夜间列车重返欧洲，需求超过座位。')).toBe('夜间列车重返欧洲，需求超过座位。');
  });
});

describe('the offline summary quotes the page as text', () => {
  it('keeps a sentence’s Markdown-like text as the page has it, and renders it as that text', () => {
    const sentence = 'Timetables are at [x](http://evil.example) and **nowhere** else, says `ops`.';
    const summary = summariseOffline({ url: 'https://example.org/', title: 'Timetables', text: sentence, lang: 'en' });
    expect(summary.tldr).toBe(sentence);
    expect(html(summary.markdown)).toBe(`<h2>TL;DR</h2>\n<p>${escapeHtml(sentence)}</p>\n`);
  });

  it('makes no link, emphasis, code, heading or tag from what a page says', () => {
    const text = hostile.map((s) => `${s} The night train network keeps growing across Europe every year.`).join('\n\n');
    const summary = summariseOffline({ url: 'https://example.org/', title: 'Night trains', text, lang: 'en' });
    expect(summary.points.length).toBeGreaterThan(0);
    const rendered = html(summary.markdown);
    expect(rendered).not.toMatch(/<(?:a|em|strong|del|code|img|h1|h3|ol|blockquote|table)\b/);
    // Only our own headings, and every quoted sentence as its own text.
    expect(rendered.match(/<h2>/g)?.length).toBe(summary.details.length ? 3 : 2);
    for (const quoted of [summary.tldr, ...summary.points, ...summary.details]) expect(rendered).toContain(escapeHtml(quoted));
  });
});
