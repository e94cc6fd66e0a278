// Issue #15, site-aware reading: extractPage, Readability.js and Defuddle on Defuddle's own test
// pages (../shared/corpora/defuddle-fixtures, MIT): Defuddle's home ground, its expected Markdown
// the reference. Each page is loaded in headless Chromium from 127.0.0.1 with page JavaScript off,
// and each method is told the page's real URL (from the fixture's first-line comment), which is
// what picks a site reader. Scored like the article-extraction benchmark: F1 over 4-word shingles
// of \w+ tokens, lower-cased, pages weighted equally. `npm run bench -- site-extraction`.

import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Method } from './browser/extract-probe';
import { startBrowserHarness } from './browser/harness';
import { ms, percentile, ratio, table } from './lib/format';
import type { BenchContext, BenchResult } from './lib/types';

export const title = 'Site-aware reading on Defuddle\'s fixtures (issue #15)';

const corpus = resolve(process.env.DEFUDDLE_FIXTURES ?? '../shared/corpora/defuddle-fixtures/tests');

const METHODS: { method: Method; name: string }[] = [
  { method: 'extractPage', name: 'Precis `extractPage(document, url)`' },
  { method: 'readability', name: 'peer: Readability.js alone' },
  { method: 'defuddle', name: 'peer: Defuddle 0.19.4' },
];

/** The fixtures of the sites Precis has a reader for. */
const sitePattern = /news\.ycombinator\.com-item|old\.reddit\.com|github\.com|wikipedia|x\.com|issues--161-x|issues--272-x/;

function shingles(text: string): Map<string, number> {
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const out = new Map<string, number>();
  for (let i = 0; i + 4 <= tokens.length; i++) {
    const key = tokens.slice(i, i + 4).join(' ');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** evaluate.py's string_shingle_matching, then F1. */
function f1(truth: string, pred: string): number {
  const t = shingles(truth);
  const p = shingles(pred);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const key of new Set([...t.keys(), ...p.keys()])) {
    const a = t.get(key) ?? 0;
    const b = p.get(key) ?? 0;
    tp += Math.min(a, b);
    fp += Math.max(0, b - a);
    fn += Math.max(0, a - b);
  }
  if (fp === 0 && fn === 0) return 1;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** The expected Markdown as text: no front matter, links and images reduced to their text. */
function expectedText(md: string): string {
  return md
    .replace(/^```json\n[\s\S]*?\n```\n/, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1');
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const names = (await readdir(join(corpus, 'fixtures'))).filter((f) => f.endsWith('.html')).sort();
  const harness = await startBrowserHarness({
    entry: 'bench/browser/extract-probe.ts',
    javaScriptEnabled: false,
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    timeoutMs: 20_000,
    onConsole: () => undefined,
  });
  const scores = new Map<Method, { name: string; f1: number; ms: number; site: boolean }[]>(METHODS.map(({ method }) => [method, []]));
  try {
    for (const name of names) {
      const expectedPath = join(corpus, 'expected', name.replace(/\.html$/, '.md'));
      const expected = await readFile(expectedPath, 'utf8').catch(() => undefined);
      if (expected === undefined) continue;
      const html = await readFile(join(corpus, 'fixtures', name), 'utf8');
      const url = (/<!--\s*(\{.*?"url".*?\})\s*-->/.exec(html.slice(0, 500))?.[1] ?? '').match(/"url"\s*:\s*"([^"]+)"/)?.[1] ?? `https://example.com/${name}`;
      harness.serve(`/${name}`, { body: html, type: 'text/html; charset=utf-8' });
      const truth = expectedText(expected);
      for (const { method } of METHODS) {
        try {
          await harness.open(`/${name}`);
          const out = await harness.call<{ text: string; ms: number }>('extractTimed', method, url);
          scores.get(method)!.push({ name, f1: f1(truth, out.text), ms: out.ms, site: sitePattern.test(name) });
        } catch (err) {
          ctx.log(`  ${name} ${method}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
          scores.get(method)!.push({ name, f1: 0, ms: 0, site: sitePattern.test(name) });
        }
      }
      harness.serve(`/${name}`, { body: '' });
    }
  } finally {
    await harness.close();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const readabilityP50 = percentile(scores.get('readability')!.map((s) => s.ms), 50);
  const siteCount = scores.get('extractPage')!.filter((s) => s.site).length;
  const rows = METHODS.map(({ method, name }) => {
    const s = scores.get(method)!;
    const p50 = percentile(s.map((x) => x.ms), 50);
    return [name, mean(s.map((x) => x.f1)).toFixed(3), mean(s.filter((x) => x.site).map((x) => x.f1)).toFixed(3), ms(p50, 1), ratio(p50 / readabilityP50)];
  });
  const results = table(['method', `F1, all ${scores.get('extractPage')!.length} pages`, `F1, the ${siteCount} pages of sites with a Precis reader`, 'p50', 'p50 vs Readability'], rows);
  ctx.log('');
  ctx.log(results);
  ctx.log('Site pages (extractPage / Defuddle / Readability):');
  const byName = (method: Method) => new Map(scores.get(method)!.map((s) => [s.name, s.f1]));
  const d = byName('defuddle');
  const r = byName('readability');
  for (const s of scores.get('extractPage')!.filter((x) => x.site)) ctx.log(`  ${s.f1.toFixed(3)} / ${d.get(s.name)!.toFixed(3)} / ${r.get(s.name)!.toFixed(3)} ${s.name}`);
  const markdown = [
    `Defuddle's ${scores.get('extractPage')!.length} test pages with expected Markdown (\`../shared/corpora/defuddle-fixtures\`, MIT): **its home ground**, the reference being what Defuddle itself is expected to write ` +
      '(its Markdown reduced to text: front matter dropped, links and images to their text). Served from 127.0.0.1 to headless Chromium with page JavaScript off; every method is told the page\'s real URL. ' +
      `F1 over 4-word shingles as in the article-extraction benchmark. The ${siteCount} site pages: Hacker News, old Reddit, GitHub, Wikipedia and X fixtures.`,
    '',
    results,
    '',
  ].join('\n');
  return { title, markdown, targets: [] };
}
