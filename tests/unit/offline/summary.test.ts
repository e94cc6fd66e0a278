import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PageContent } from '../../../lib/extract/page-content';
import { splitUnits } from '../../../lib/extract/units';
import { citationsIn } from '../../../lib/jobs/citations';
import { pointCount, summariseOffline, type OfflineSummary } from '../../../lib/offline';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/offline/${name}`, import.meta.url), 'utf8');

const solar: PageContent = {
  url: 'https://valleyreporter.example/solar-cooperative',
  title: 'How a Vermont valley built its own solar farm | Valley Reporter',
  text: fixture('solar-cooperative.md'),
  lang: 'en',
};

const buses: PageContent = {
  url: 'https://nanhu-daily.example/city/electric-buses',
  title: '南湖市公交车实现全面电动化_南湖日报',
  text: fixture('electric-buses.md'),
};

/** Everything the summary quotes. */
const quoted = (s: OfflineSummary) => [s.tldr, ...s.points, ...s.details];

/** Points are lifted from the page, in its order, and each appears once. */
function expectExtractiveInOrder(page: PageContent, sentences: string[]) {
  const flat = page.text.replace(/\s+/g, ' ');
  const positions = sentences.map((s) => flat.indexOf(s));
  for (const [i, at] of positions.entries()) expect(at, sentences[i]).toBeGreaterThanOrEqual(0);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  expect(new Set(sentences).size).toBe(sentences.length);
}

describe('summariseOffline: English article', () => {
  const central = [
    "A cooperative of rural households in Vermont's Mad River Valley has cut its members' electricity bills by pooling their money to build and own a shared solar farm.",
    'Community solar lets households that cannot put panels on their own roofs buy a share of a local solar array and receive credits on their electricity bills.',
    "The cooperative's members say that shared ownership of the solar farm, not just cheaper electricity, is what makes the model work.",
  ];
  const boilerplate = [/cookie/i, /newsletter/i, /rights reserved|©/i, /barbecue/i, /maple festival/i];
  const summary = summariseOffline(solar);

  it('puts a central sentence in the TL;DR and all of them in TL;DR + key points', () => {
    expect(central).toContain(summary.tldr);
    for (const sentence of central) expect([summary.tldr, ...summary.points]).toContain(sentence);
  });

  it('leaves out boilerplate and the off-topic aside', () => {
    for (const sentence of quoted(summary)) for (const junk of boilerplate) expect(sentence).not.toMatch(junk);
  });

  it('has 3–7 key points, lifted from the page in order, none repeating the TL;DR', () => {
    expect(summary.points.length).toBeGreaterThanOrEqual(3);
    expect(summary.points.length).toBeLessThanOrEqual(7);
    expect(summary.points).not.toContain(summary.tldr);
    expectExtractiveInOrder(solar, summary.points);
  });

  it('keeps details dense in numbers and names that the points left out', () => {
    expect(summary.details.length).toBeGreaterThan(0);
    for (const detail of summary.details) {
      expect(detail).toMatch(/\d/);
      expect([summary.tldr, ...summary.points]).not.toContain(detail);
    }
    expectExtractiveInOrder(solar, summary.details);
  });

  it('never quotes headings, table rows or list markers', () => {
    for (const sentence of quoted(summary)) {
      expect(sentence).not.toMatch(/^(#|- |\* |\d+\. |\|)/);
      expect(sentence).not.toMatch(/Who pays and who benefits|Problems along the way|What comes next/);
      expect(sentence).not.toContain('|');
    }
  });

  it('renders Markdown in the shape of a model summary, marked offline', () => {
    expect(summary.offline).toBe(true);
    expect(summary.language).toBe('en');
    const expected = [
      `## TL;DR\n${summary.tldr}`,
      `## Key points\n${summary.points.map((p) => `- ${p}`).join('\n')}`,
      `## Details worth keeping\n${summary.details.map((d) => `- ${d}`).join('\n')}`,
    ].join('\n\n');
    expect(summary.markdown).toBe(expected);
  });

  it('is deterministic', () => {
    expect(summariseOffline(solar)).toEqual(summary);
  });
});

describe('summariseOffline: Chinese article', () => {
  const central = [
    '南湖市交通运输局近日宣布，全市公交车已经全部更换为纯电动公交车，成为全省第一个实现公交全面电动化的城市。',
    '公交全面电动化的关键在于充电网络的建设。',
    '交通运输部的研究人员认为，南湖市的经验说明，只要充电网络和运营管理跟得上，中等城市也能实现公交全面电动化。',
  ];
  const boilerplate = [/版权|转载/, /公众号/, /责任编辑/, /首页/, /降温|添衣/];

  // With Intl.Segmenter words, and with the character bigrams used where it is missing.
  for (const [name, segmenter] of [['Intl.Segmenter words', undefined], ['character bigrams', null]] as const) {
    describe(name, () => {
      const summary = summariseOffline(buses, segmenter === null ? { segmenter: null } : {});

      it('reads the page as Chinese and uses Chinese headings', () => {
        expect(summary.language).toBe('zh');
        expect(summary.markdown).toMatch(/^## 一句话总结\n/);
        expect(summary.markdown).toContain('\n\n## 要点\n- ');
        expect(summary.markdown).not.toMatch(/TL;DR|Key points/);
      });

      it('puts a central sentence in the TL;DR and most of them in TL;DR + key points', () => {
        expect(central).toContain(summary.tldr);
        const found = central.filter((s) => [summary.tldr, ...summary.points].includes(s));
        expect(found.length).toBeGreaterThanOrEqual(2);
      });

      it('leaves out boilerplate and the off-topic weather notice', () => {
        for (const sentence of quoted(summary)) for (const junk of boilerplate) expect(sentence).not.toMatch(junk);
      });

      it('has 3–7 points lifted from the page in order, and details with numbers', () => {
        expect(summary.points.length).toBeGreaterThanOrEqual(3);
        expect(summary.points.length).toBeLessThanOrEqual(7);
        expectExtractiveInOrder(buses, summary.points);
        for (const sentence of quoted(summary)) expect(sentence).not.toMatch(/^(#|- |\d+\. )/);
        for (const detail of summary.details) expect(detail).toMatch(/\d/);
      });
    });
  }
});

describe('summariseOffline: language', () => {
  const chinese = fixture('electric-buses.md');

  it('takes page.lang, detects by script without it, and lets the script overrule a template lang="en"', () => {
    expect(summariseOffline({ ...buses, lang: 'zh-CN' }).language).toBe('zh');
    expect(summariseOffline({ ...buses, lang: undefined }).language).toBe('zh');
    expect(summariseOffline({ ...buses, lang: 'en' }).language).toBe('zh');
    expect(summariseOffline({ ...solar, lang: undefined }).language).toBe('en');
    expect(summariseOffline({ ...solar, lang: 'fr' }).language).toBe('fr');
  });

  it('uses Traditional Chinese headings for zh-TW and zh-Hant pages', () => {
    const summary = summariseOffline({ ...buses, lang: 'zh-TW', text: chinese });
    expect(summary.language).toBe('zh-Hant');
    expect(summary.markdown).toMatch(/^## 一句話總結\n/);
    expect(summary.markdown).toContain('## 要點');
  });

  it('lets the caller choose', () => {
    const summary = summariseOffline(buses, { language: 'en' });
    expect(summary.language).toBe('en');
    expect(summary.markdown).toMatch(/^## TL;DR\n/);
  });
});

describe('summariseOffline: edge cases', () => {
  const page = (text: string, title = 'A page'): PageContent => ({ url: 'https://example.com/', title, text });

  it('returns an empty summary (markdown "") for an empty or whitespace page instead of throwing', () => {
    for (const text of ['', '   \n\n\t  ', '```\nconst x = 1;\n```', '| a | b |\n| --- | --- |\n| 1 | 2 |']) {
      expect(summariseOffline(page(text))).toEqual({
        markdown: '',
        tldr: '',
        points: [],
        details: [],
        language: 'en',
        offline: true,
      });
    }
  });

  it('gives a one-sentence page a TL;DR and nothing else', () => {
    const summary = summariseOffline(page('The library will be closed on Monday for repairs.'));
    expect(summary.tldr).toBe('The library will be closed on Monday for repairs.');
    expect(summary.points).toEqual([]);
    expect(summary.markdown).toBe('## TL;DR\nThe library will be closed on Monday for repairs.');
  });

  it('strips heading and list markers and never quotes a heading, however sentence-like', () => {
    const text = [
      '# Why the new library roof cost the city twice what the council was told it would cost',
      '',
      'The new library roof cost the city twice what the council approved in 2022.',
      '',
      '1. The council approved a roof budget of two million dollars for the library.',
      '2. The final cost of the library roof reached four million dollars.',
      '- Engineers found rot in the library roof beams after work began.',
      '',
      '> The library roof overrun was the largest in the city this decade.',
      '',
      '## What the council will do about the library roof costs now',
      '',
      'The council will review how the library roof contract was managed.',
    ].join('\n');
    const summary = summariseOffline(page(text, 'Library roof costs double'));
    const all = quoted(summary);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const sentence of all) {
      expect(sentence).not.toMatch(/^(#|>|- |\d+\. )/);
      expect(sentence).not.toMatch(/^Why the new|^What the council will do/);
    }
    expect(all).toContain('The final cost of the library roof reached four million dollars.');
  });

  it('skips code and tables', () => {
    const text = [
      'The parser reads configuration files written in TOML and reports every error with its line.',
      '',
      '```',
      'parser.read(config) // The parser reads configuration files here.',
      '```',
      '',
      '| Parser | Files read per second |',
      '| --- | --- |',
      '| The parser reads configuration files fast | 1200 |',
      '',
      'The parser also reads configuration files in JSON, with the same error reports.',
      '',
      'Errors in configuration files point to the line and column the parser stopped at.',
    ].join('\n');
    for (const sentence of quoted(summariseOffline(page(text)))) {
      expect(sentence).not.toMatch(/parser\.read|\||1200/);
    }
  });

  it('does not repeat a sentence the page repeats', () => {
    const para = 'Night trains are returning to Europe as demand for low-carbon travel grows.';
    const text = [para, 'Operators are adding routes between Vienna, Paris and Berlin.', para, 'Night trains need new sleeping carriages, which take years to build.', para].join('\n\n');
    const summary = summariseOffline(page(text));
    const all = quoted(summary);
    expect(new Set(all).size).toBe(all.length);
  });

  it('respects maxPoints and scales points with length', () => {
    expect(summariseOffline(solar, { maxPoints: 2 }).points.length).toBeLessThanOrEqual(2);
    expect(pointCount(5)).toBe(3);
    expect(pointCount(40)).toBe(5);
    expect(pointCount(1000)).toBe(7);
    expect(pointCount(1000, 10)).toBe(10);
    expect(pointCount(1000, 0)).toBe(1);
  });
});

describe('summariseOffline: long pages', () => {
  /** Seeded prose with a recurring topic, so every run summarises the same unique sentences. */
  function longPage(target: number, chinese: boolean): string {
    const en = 'river bridge council budget engineer steel traffic repair crossing cost inspection cable deck year town'.split(' ');
    const zh = '大桥 维修 工程 预算 交通 钢材 检测 拉索 桥面 车辆 市民 部门 方案 施工 安全'.split(' ');
    const words = chinese ? zh : en;
    let s = 42;
    const next = () => {
      s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
      return s / 0x1_0000_0000;
    };
    const paragraphs: string[] = [];
    let length = 0;
    for (let p = 0; length < target; p++) {
      if (p % 8 === 0) paragraphs.push(chinese ? `## 第${p / 8 + 1}部分` : `## Part ${p / 8 + 1}`);
      const sentences: string[] = [];
      for (let k = 0; k < 4; k++) {
        const n = 6 + Math.floor(next() * 16);
        const picked = Array.from({ length: n }, () => words[Math.floor(next() * words.length)] ?? '');
        sentences.push(chinese ? `${picked.join('')}${p}号。` : `The ${picked.join(' ')} ${p}.`);
      }
      const paragraph = sentences.join(chinese ? '' : ' ');
      paragraphs.push(paragraph);
      length += paragraph.length + 2;
    }
    return paragraphs.join('\n\n');
  }

  for (const chinese of [false, true]) {
    it(`summarises a 100,000-character ${chinese ? 'Chinese' : 'English'} page without pathological slowness`, () => {
      const text = longPage(100_000, chinese);
      const started = performance.now();
      const summary = summariseOffline({ url: 'https://example.com/', title: 'Bridge', text });
      const elapsed = performance.now() - started;
      // Typically 15–30 ms; the bound only catches a quadratic slip.
      expect(elapsed).toBeLessThan(1000);
      expect(summary.tldr).not.toBe('');
      expect(summary.points.length).toBeGreaterThanOrEqual(3);
      expect(summary.points.length).toBeLessThanOrEqual(7);
    });
  }

  it('stays fast on pathological shapes: one hard-wrapped block, no punctuation, unmatched markers', () => {
    const text = longPage(100_000, false);
    const shapes = [
      // A text/plain page wrapped at 72 columns with no blank line.
      text.replace(/\n+/g, ' ').replace(/(.{72}) /g, '$1\n'),
      text.replace(/[.#]/g, ''),
      '**[`__ '.repeat(15_000),
      '人工智能'.repeat(25_000),
    ];
    for (const shape of shapes) {
      const started = performance.now();
      summariseOffline({ url: 'https://example.com/', title: 'Bridge', text: shape });
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});

describe('summariseOffline: citations', () => {
  for (const page of [solar, buses]) {
    it(`cites the unit each sentence of ${page.url} was picked from`, () => {
      const plain = summariseOffline(page);
      const cited = summariseOffline(page, { cite: true });
      expect(quoted(cited)).toEqual(quoted(plain));
      const units = splitUnits(page.text);
      const lines = cited.markdown.split('\n').filter((l) => !l.startsWith('#') && l.trim());
      expect(lines.length).toBe(quoted(cited).length);
      for (const [i, line] of lines.entries()) {
        const [n, ...more] = citationsIn(line);
        expect(more).toEqual([]);
        const unit = units[n! - 1]!;
        expect(page.text.slice(unit.start, unit.end).replace(/\s+/g, ' '), line).toContain(quoted(cited)[i]!.replace(/\s+/g, ' '));
      }
      expect(plain.markdown).not.toMatch(/¶/);
    });
  }
});
