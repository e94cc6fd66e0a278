import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../../lib/library/entry';
import { markdownFileName, toMarkdown, toMarkdownCollection, yamlString } from '../../../lib/library/markdown';

const frontMatter = (md: string) => load(/^---\n([\s\S]*?)\n---\n/.exec(md)![1]!) as Record<string, unknown>;

const item: LibraryItem = {
  id: 'summary:j1',
  kind: 'summary',
  title: 'Trains: "night" ones — #1 & more\nsecond line',
  url: 'https://news.example/trains?a=1&b=2#x',
  site: 'news.example',
  at: Date.UTC(2026, 10, 30, 12, 0, 0),
  model: 'gpt-4o-mini',
  preview: 'Night trains…',
  body: '- Night trains are back.\n- Fares are falling.',
};

describe('Markdown export', () => {
  it('writes YAML front matter a YAML parser reads back exactly, then the text', () => {
    const md = toMarkdown(item);
    expect(frontMatter(md)).toEqual({
      title: item.title,
      url: item.url,
      date: new Date(item.at),
      model: 'gpt-4o-mini',
      kind: 'summary',
    });
    expect(md.endsWith(`---\n\n${item.body}\n`)).toBe(true);
  });

  it('escapes what YAML would otherwise read as syntax or refuse', () => {
    for (const nasty of ['yes', '123', 'a: b', '- x', '[x]', '{x}', "it's", '\\back\\slash', 'tab\there', 'del\u007f', 'sep\u2028x', '\ufeffbom', '😀 中文', '---']) {
      expect(load(`v: ${yamlString(nasty)}`)).toEqual({ v: nasty });
    }
  });

  it('leaves out what an old record does not have', () => {
    const bare = toMarkdown({ ...item, url: undefined, model: undefined });
    expect(Object.keys(frontMatter(bare))).toEqual(['title', 'date', 'kind']);
  });

  it('puts the whole library in one file, each entry with its own front matter', () => {
    const md = toMarkdownCollection([item, { ...item, id: 'chat:c1', kind: 'chat', title: 'Second' }]);
    const titles = [...md.matchAll(/^title: (.*)$/gm)].map((m) => load(m[1]!));
    expect(titles).toEqual([item.title, 'Second']);
  });

  it('makes a safe file name from any title', () => {
    expect(markdownFileName('a/b\\c: d?')).toBe('a b c d.md');
    expect(markdownFileName('...')).toBe('precis.md');
    expect(markdownFileName('夜行列车')).toBe('夜行列车.md');
  });
});
