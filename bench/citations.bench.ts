// Issue #16, citations: what they cost. (1) The prompt tokens that numbering the page's units and
// asking for citations add, against the same request without them, on a 5,000-word page and on
// the article-extraction corpus's pages. (2) The time to build the unit map in the page (Chromium,
// freshly loaded page, JavaScript off as in bench/article-extraction.bench.ts), against extraction
// itself on the same load: on the two ~1 MB pages of bench/extract-browser.bench.ts and on every
// page of the corpus (../shared/corpora/article-extraction-benchmark, read in place).
// `npm run bench -- citations` runs it alone.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bigPageHtml, forumPageHtml } from './browser/big-page';
import type { UnitMapSample } from './browser/citations-probe';
import { startBrowserHarness } from './browser/harness';
import { ms, passFail, percentile, ratio, table } from './lib/format';
import { prose } from './lib/prose';
import type { BenchContext, BenchResult, Target } from './lib/types';
import { loadTokenCounter, type TokenCounter } from '../lib/extract/tokens';
import { countWords, minUnitChars, numberUnits, splitUnits } from '../lib/extract/units';
import { planSummary, readablePage } from '../lib/jobs/summarise-plan';
import type { PageContent } from '../lib/extract/page-content';

export const title = 'Citations: prompt tokens and unit map (issue #16)';

const corpus = resolve(process.env.ARTICLE_CORPUS ?? '../shared/corpora/article-extraction-benchmark');
const TARGET_TOKENS = 1.05;
const TARGET_MAP_MS = 10;
const RUNS = 7;

interface RequestTokens {
  plain: number;
  /** With citations as built now (short units merged, see minUnitChars). */
  cited: number;
  units: number;
  /** With citations as first built, every paragraph, item and row a unit of its own: the "before". */
  citedEach: number;
  unitsEach: number;
}

/** Tokens of the whole summary request (system, template, page, framing), without citations and with them, now and before. */
async function requestTokens(page: PageContent, counter: TokenCounter): Promise<RequestTokens> {
  const count = async (cite: boolean) => {
    const readable = readablePage(page, { cite });
    // A model with a large window: one request, so the count is the request's.
    const plan = await planSummary(readable, { model: 'gpt-4.1', language: 'English', loadCounter: async () => counter, counter });
    if (plan.kind !== 'single') throw new Error('expected one request');
    return { tokens: plan.request.messages.reduce((sum, m) => sum + counter.count(m.content), 0), units: readable.units ?? 0 };
  };
  const plain = await count(false);
  const cited = await count(true);
  // The request differs from today's only in the page's marks: the difference of the numbered texts.
  const text = page.text.trim();
  const each = splitUnits(text, 0);
  const citedEach = cited.tokens + counter.count(numberUnits(text, each)) - counter.count(numberUnits(text, splitUnits(text)));
  return { plain: plain.tokens, cited: cited.tokens, units: cited.units, citedEach, unitsEach: each.length };
}

/** `text`'s paragraphs, again and again, to about `words` words: the page's shape at another length. */
function atLength(text: string, words: number): string {
  const paragraphs = text.split(/\n{2,}/).filter((p) => countWords(p) > 0);
  const out: string[] = [];
  for (let total = 0, i = 0; total < words && paragraphs.length; i++) {
    const p = paragraphs[i % paragraphs.length]!;
    out.push(p);
    total += countWords(p);
  }
  return out.join('\n\n');
}

/** Median words per paragraph: what sets a page's cost per word (each mark is about 2 tokens). */
function wordsPerParagraph(text: string): number {
  return percentile(text.split(/\n{2,}/).map(countWords).filter((n) => n > 0), 50);
}

/** A 5,000-word forum thread: one- and two-line posts under a few headings, as sites/thread.ts writes them. */
function forumThread(): PageContent {
  const p = prose(23);
  const blocks: string[] = [];
  let words = 0;
  while (words < 5000) {
    if (blocks.length % 40 === 0) blocks.push(`## ${p.title()}`);
    const post = `**${p.title()}** replied: ${Array.from({ length: 1 + p.int(2) }, p.sentence).join(' ')}`;
    blocks.push(post);
    words += countWords(post);
  }
  return { url: 'https://forum.example/t/1', title: 'A long thread', text: blocks.join('\n\n') };
}

/** A 5,000-word reference page: short lists and table rows under headings, little prose. */
function listsAndTables(): PageContent {
  const p = prose(31);
  const blocks: string[] = [];
  let words = 0;
  while (words < 5000) {
    blocks.push(`## ${p.title()}`, p.sentence());
    const list = Array.from({ length: 4 + p.int(5) }, () => `- ${p.title()}: ${p.title()}`).join('\n');
    const table = ['| Name | Value | Note |', '| --- | --- | --- |', ...Array.from({ length: 5 }, () => `| ${p.title()} | ${p.int(1000)} | ${p.title()} |`)].join('\n');
    blocks.push(list, table);
    words += countWords(blocks.slice(-4).join(' '));
  }
  return { url: 'https://docs.example/ref', title: 'Reference', text: blocks.join('\n\n') };
}

/** A 5,000-word article: sections under headings, paragraphs of news-like length, a list. */
function fiveThousandWords(): PageContent {
  const p = prose(16);
  const blocks: string[] = [];
  let words = 0;
  while (words < 5000) {
    if (blocks.length % 9 === 0) blocks.push(`## ${p.title()}`);
    const paragraph = Array.from({ length: 2 + p.int(3) }, p.sentence).join(' ');
    blocks.push(paragraph);
    words += countWords(paragraph);
    if (blocks.length % 23 === 0) blocks.push(Array.from({ length: 4 }, () => `- ${p.sentence()}`).join('\n'));
  }
  return { url: 'https://example.com/report', title: 'A long report', text: blocks.join('\n\n') };
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const counter = await loadTokenCounter();

  // (1) Tokens.
  const synthetic = fiveThousandWords();
  const five = await requestTokens(synthetic, counter);
  ctx.log(`5,000-word page: ${countWords(synthetic.text)} words, ${five.units} units, ${five.plain} → ${five.cited} tokens`);
  const generated: [string, PageContent][] = [
    ['generated article (paragraphs of 2–4 sentences, a list now and then)', synthetic],
    ['generated forum thread (posts of 1–2 sentences)', forumThread()],
    ['generated reference page (short lists and table rows)', listsAndTables()],
  ];
  const generatedRows: { name: string; words: number; t: RequestTokens }[] = [];
  for (const [name, page] of generated) generatedRows.push({ name, words: countWords(page.text), t: await requestTokens(page, counter) });

  // (2) Unit map, in Chromium.
  const ids = Object.keys(JSON.parse(await readFile(join(corpus, 'ground-truth.json'), 'utf8')) as Record<string, unknown>);
  const files = new Set(await readdir(join(corpus, 'html')));
  const harness = await startBrowserHarness({
    entry: 'bench/browser/citations-probe.ts',
    javaScriptEnabled: false,
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    timeoutMs: 20_000,
    onConsole: () => undefined,
  });
  const big: { name: string; samples: UnitMapSample[] }[] = [
    { name: 'news article with comments (~1 MB, extract-browser bench)', samples: [] },
    { name: 'forum thread (~1 MB, extract-browser bench)', samples: [] },
  ];
  const corpusSamples: UnitMapSample[] = [];
  let version = '';
  try {
    version = harness.browser.version();
    harness.serve('/big-article.html', bigPageHtml());
    harness.serve('/big-forum.html', forumPageHtml());
    for (let i = 0; i < RUNS; i++) {
      for (const [j, path] of ['/big-article.html', '/big-forum.html'].entries()) {
        await harness.open(path);
        big[j]!.samples.push(await harness.call<UnitMapSample>('unitMapTimed'));
      }
    }
    ctx.log(`Chromium ${version}; ${ids.length} corpus pages from ${corpus}`);
    for (const [i, id] of ids.entries()) {
      if (!files.has(`${id}.html.gz`)) continue;
      harness.serve('/page.html', { body: gunzipSync(await readFile(join(corpus, 'html', `${id}.html.gz`))), type: 'text/html; charset=utf-8' });
      try {
        await harness.open('/page.html');
        corpusSamples.push(await harness.call<UnitMapSample>('unitMapTimed'));
      } catch (err) {
        ctx.log(`  ${id.slice(0, 12)}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
      if ((i + 1) % 45 === 0) ctx.log(`  ${i + 1}/${ids.length} pages`);
    }
  } finally {
    await harness.close();
  }

  // Tokens on the corpus pages as extracted (pages with at least 300 words: a short page's few units are noise),
  // as they are and at 5,000 words (their own paragraphs repeated: the shape the target names, at its length).
  const corpusTokens: { words: number; perParagraph: number; share: number; shareEach: number; share5k: number; share5kEach: number }[] = [];
  for (const s of corpusSamples) {
    const words = countWords(s.text);
    if (words < 300) continue;
    const t = await requestTokens({ url: 'https://example.com/', title: 'T', text: s.text }, counter);
    const t5k = await requestTokens({ url: 'https://example.com/', title: 'T', text: atLength(s.text, 5000) }, counter);
    corpusTokens.push({ words, perParagraph: wordsPerParagraph(s.text), share: t.cited / t.plain, shareEach: t.citedEach / t.plain, share5k: t5k.cited / t5k.plain, share5kEach: t5k.citedEach / t5k.plain });
  }
  const shares = corpusTokens.map((t) => t.share);
  const near5k = corpusTokens.filter((t) => t.words >= 2500);
  const shapes: [string, (t: (typeof corpusTokens)[number]) => boolean][] = [
    ['short paragraphs (median < 25 words)', (t) => t.perParagraph < 25],
    ['medium paragraphs (25–50 words)', (t) => t.perParagraph >= 25 && t.perParagraph <= 50],
    ['long paragraphs (> 50 words)', (t) => t.perParagraph > 50],
    ['all', () => true],
  ];
  const shapeRows = shapes.map(([name, test]) => {
    const group = corpusTokens.filter(test);
    const cell = (pick: (t: (typeof corpusTokens)[number]) => number) =>
      group.length ? `${ratio(percentile(group.map(pick), 50), 3)} / ${ratio(percentile(group.map(pick), 90), 3)} / ${ratio(Math.max(...group.map(pick)), 3)}` : '–';
    return { name, count: group.length, worst5k: group.length ? Math.max(...group.map((t) => t.share5k)) : 1, row: [`${name} (${group.length})`, cell((t) => t.shareEach), cell((t) => t.share), cell((t) => t.share5kEach), cell((t) => t.share5k)] };
  });
  const worstShape5k = Math.max(...shapeRows.map((r) => r.worst5k), ...generatedRows.map((r) => r.t.cited / r.t.plain));

  const bigRows = big.map(({ name, samples }) => {
    const s = samples[0]!;
    const mapP50 = percentile(samples.map((x) => x.mapMs), 50);
    const extractP50 = percentile(samples.map((x) => x.extractMs), 50);
    const mapMin = Math.min(...samples.map((x) => x.mapMs));
    return {
      name,
      mapP50,
      mapMin,
      row: [
        name,
        `${(s.htmlChars / 1e6).toFixed(2)} MB`,
        `${s.found}/${s.units}`,
        ms(extractP50, 1),
        `${ms(mapP50, 1)} (min ${ms(mapMin, 1)})`,
        ratio(mapP50 / extractP50, 3),
        ms(percentile(samples.map((x) => x.firstUseMs), 50), 1),
        `${ms(percentile(samples.map((x) => x.preparedFirstUseMs), 50), 2)} (${ms(percentile(samples.map((x) => x.prepareMs), 50), 1)} when idle)`,
        ms(percentile(samples.map((x) => x.reresolveMs), 50), 1),
      ],
    };
  });
  const mapMs = corpusSamples.map((s) => s.mapMs);
  const firstUse = corpusSamples.map((s) => s.firstUseMs);
  const preparedFirstUse = corpusSamples.map((s) => s.preparedFirstUseMs);
  const mapShare = corpusSamples.map((s) => s.mapMs / s.extractMs);
  const largest = [...corpusSamples].sort((a, b) => b.htmlChars - a.htmlChars).slice(0, 3);
  const foundShare = corpusSamples.reduce((a, s) => a + s.found, 0) / Math.max(1, corpusSamples.reduce((a, s) => a + s.units, 0));

  const fiveRatio = five.cited / five.plain;
  // The least disturbed of the loads: on a machine shared with other builds, the median carries their load.
  const worstBig = Math.max(...bigRows.map((r) => r.mapMin));
  const targets: Target[] = [
    { name: `prompt tokens with citations ≤ ${TARGET_TOKENS}× without, 5,000-word page`, pass: fiveRatio <= TARGET_TOKENS, measured: `${ratio(fiveRatio, 3)} (+${five.cited - five.plain} tokens)` },
    {
      name: `prompt tokens with citations ≤ ${TARGET_TOKENS}× without at 5,000 words, every page shape (generated, and each corpus page's own paragraphs)`,
      pass: worstShape5k <= TARGET_TOKENS,
      measured: `worst ${ratio(worstShape5k, 3)}`,
    },
    {
      name: `unit map built in ≤ ${TARGET_MAP_MS} ms on the ~1 MB pages (fastest of ${RUNS} loads, worst page)`,
      pass: worstBig <= TARGET_MAP_MS,
      measured: `${ms(worstBig, 1)}; ${bigRows.map((r) => ratio(r.mapP50 / percentile(big.find((b) => b.name === r.name)!.samples.map((x) => x.extractMs), 50), 3)).join(', ')} of extraction (p50)`,
    },
    {
      name: `unit map built in ≤ ${TARGET_MAP_MS} ms on the corpus's largest pages (each ≥ 1 MB)`,
      pass: largest.every((s) => s.mapMs <= TARGET_MAP_MS),
      measured: largest.map((s) => ms(s.mapMs, 1)).join(', '),
    },
  ];

  const markdown = [
    `Chromium ${version}, headless, page JavaScript off, every sample on a freshly loaded page. Tokens counted with o200k (gpt-tokenizer) over the whole summary request as planSummary builds it; the peer is the same request without numbered units or the citation instruction.`,
    '',
    '### Targets',
    '',
    table(['target', 'measured', 'result'], targets.map((t) => [t.name, t.measured, passFail(t.pass)])),
    '',
    '### Prompt tokens',
    '',
    `Units shorter than ${minUnitChars} characters take in the units after them, up to a heading or code (lib/extract/units.ts). "Before": every paragraph, list item and table row a unit of its own, as first built; the peer of both is the request without citations.`,
    '',
    table(
      ['page (5,000 words)', 'units before → now', 'tokens without', 'with, before', 'with, now', 'before → now'],
      generatedRows.map(({ name, t }) => [name, `${t.unitsEach} → ${t.units}`, String(t.plain), String(t.citedEach), String(t.cited), `${ratio(t.citedEach / t.plain, 3)} → ${ratio(t.cited / t.plain, 3)}`]),
    ),
    '',
    `Corpus pages ≥ 300 words as Chromium extracted them, by shape (median words per paragraph); with / without, median / p90 / max:`,
    '',
    table(['shape (pages)', 'as is, before', 'as is, now', 'at 5,000 words, before', 'at 5,000 words, now'], shapeRows.map((r) => r.row)),
    '',
    'A page "as is" also pays for the instruction (about 40 tokens), a large share of a 300-word page; "at 5,000 words" repeats the page\'s own paragraphs to the length the target names.',
    '',
    table(
      ['page', 'words', 'units', 'tokens without', 'tokens with', 'with / without'],
      [
        ['generated 5,000-word article', String(countWords(synthetic.text)), String(five.units), String(five.plain), String(five.cited), ratio(fiveRatio, 3)],
        [
          `corpus pages ≥ 300 words (${corpusTokens.length}), median / p90`,
          '',
          '',
          '',
          '',
          `${ratio(percentile(shares, 50), 3)} / ${ratio(percentile(shares, 90), 3)}`,
        ],
        [`corpus pages ≥ 2,500 words (${near5k.length}), median`, '', '', '', '', near5k.length ? ratio(percentile(near5k.map((t) => t.share), 50), 3) : '–'],
      ],
    ),
    '',
    'Each unit costs 2 tokens ("¶12 "); the instruction about 40. Pages of short paragraphs (forums, lists) paid more per word than articles until short units were merged.',
    '',
    '### Unit map in the page',
    '',
    table(
      ['page', 'HTML', 'units found', 'extractPage (peer) p50', 'unit map p50', 'map / extraction', 'first citation shown, page not indexed (index + find all)', 'first citation shown after idle indexing (its cost)', 'found again after a re-render'],
      bigRows.map((r) => r.row),
    ),
    '',
    table(
      ['corpus (181 pages)', 'value'],
      [
        ['unit map p50 / p95 / max', `${ms(percentile(mapMs, 50), 2)} / ${ms(percentile(mapMs, 95), 2)} / ${ms(Math.max(...mapMs), 2)}`],
        ['unit map / extractPage on the same load, p50 / p95', `${ratio(percentile(mapShare, 50), 3)} / ${ratio(percentile(mapShare, 95), 3)}`],
        ['first citation shown, page not indexed (index + find all), p50 / p95 / max', `${ms(percentile(firstUse, 50), 1)} / ${ms(percentile(firstUse, 95), 1)} / ${ms(Math.max(...firstUse), 1)}`],
        ['first citation shown after idle indexing, p50 / p95 / max', `${ms(percentile(preparedFirstUse, 50), 2)} / ${ms(percentile(preparedFirstUse, 95), 2)} / ${ms(Math.max(...preparedFirstUse), 2)}`],
        ['largest pages: HTML, unit map, extractPage', largest.map((s) => `${(s.htmlChars / 1e6).toFixed(2)} MB: ${ms(s.mapMs, 1)} vs ${ms(s.extractMs, 0)}`).join('; ')],
        ['units found in the live page', `${(foundShare * 100).toFixed(1)}%`],
      ],
    ),
    '',
    'The unit map is built with every extraction: each unit\'s text, split from the extracted text. The page\'s own text is indexed (one walk over its text nodes, letters and digits only) and every unit found in it (one forward search each) once the page is idle after the extraction (requestIdleCallback, at most 3 s later), not on the extraction\'s path: while the model writes, so the first citation clicked finds its unit at once ("after idle indexing"). Had the page not been indexed yet, the first click would pay for it ("page not indexed"). A range is made for the unit shown; after a re-render replaced its nodes, the page is indexed again. Units not found are those whose text the page does not show as text (alt text, a link address extraction adds). The machine was shared with other builds and tests while this ran (see the load average): absolute times are noisy, ratios within one load less so.',
  ].join('\n');
  for (const t of targets) ctx.log(`${passFail(t.pass)}  ${t.name}: ${t.measured}`);
  return { title, markdown, targets };
}
