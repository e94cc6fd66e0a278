// Issue #15, "send the article, not the page": extractPage(document, url) on the 181 real pages of
// Zyte's article-extraction benchmark (../shared/corpora/article-extraction-benchmark, read in
// place), in headless Chromium with page JavaScript off (what reproduces the published scores) and
// no request leaving 127.0.0.1, with Readability.js alone and `document.body.innerText` as peers in
// the same run. Scored by the corpus's own evaluate.py (F1 over 4-word shingles, pages weighted
// equally), run on predictions written to a scratch folder. `npm run bench -- article` runs it alone.

import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Method } from './browser/extract-probe';
import { startBrowserHarness } from './browser/harness';
import { ms, passFail, percentile, ratio, table } from './lib/format';
import type { BenchContext, BenchResult, Target } from './lib/types';
import { loadTokenCounter } from '../lib/extract/tokens';

export const title = 'Article extraction on real pages (issue #15)';

const corpus = resolve(process.env.ARTICLE_CORPUS ?? '../shared/corpora/article-extraction-benchmark');
const TARGET_F1 = 0.97;
const TARGET_TOKENS = 1.1;
const TARGET_SPEED = 1.5;
/** Per navigation and call: a page that hangs costs its own score, not the run. */
const PAGE_TIMEOUT_MS = 20_000;

const METHODS: { method: Method; name: string }[] = [
  { method: 'extractPage', name: 'Precis `extractPage(document, url)`' },
  { method: 'readability', name: 'peer: Readability.js alone' },
  { method: 'innerText', name: 'peer: `document.body.innerText`' },
  { method: 'defuddle', name: 'peer: Defuddle 0.19.4' },
];

interface Sample {
  text: string;
  ms: number;
  source?: string;
}

interface Scores {
  f1: number;
  f1_std: number;
  precision: number;
  recall: number;
  tp_fp_fns: [number, number, number][];
}

const execFileAsync = promisify(execFile);

function pageF1([tp, fp, fn]: [number, number, number]): number {
  if (fp === 0 && fn === 0) return 1;
  const p = tp + fp > 0 ? tp / (tp + fp) : 0;
  const r = tp + fn > 0 ? tp / (tp + fn) : 0;
  return p + r > 0 ? (2 * p * r) / (p + r) : 0;
}

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const truth = JSON.parse(await readFile(join(corpus, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody: string; url: string }>;
  // ARTICLE_IDS=a,b,…: only pages whose id starts with one of these (a quick look at a few pages;
  // run it with `--only=subset` so RESULTS.md keeps the whole corpus's score).
  const pick = process.env.ARTICLE_IDS?.split(',').filter(Boolean);
  const ids = Object.keys(truth).filter((id) => !pick || pick.some((p) => id.startsWith(p)));
  const files = new Set(await readdir(join(corpus, 'html')));
  const harness = await startBrowserHarness({
    entry: 'bench/browser/extract-probe.ts',
    javaScriptEnabled: false,
    // The pages' images, fonts and styles point at their own sites: none of it may leave the machine.
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    timeoutMs: PAGE_TIMEOUT_MS,
    onConsole: () => undefined,
  });
  const samples = new Map<Method, Map<string, Sample>>(METHODS.map(({ method }) => [method, new Map()]));
  const failed: string[] = [];
  const started = performance.now();
  let version: string;
  try {
    version = harness.browser.version();
    ctx.log(`Chromium ${version}, ${ids.length} pages from ${corpus}`);
    for (const [i, id] of ids.entries()) {
      const path = `/${id}.html`;
      if (!files.has(`${id}.html.gz`)) {
        failed.push(id);
        continue;
      }
      // Every page of the corpus is UTF-8 (checked), some without a meta charset.
      harness.serve(path, { body: gunzipSync(await readFile(join(corpus, 'html', `${id}.html.gz`))), type: 'text/html; charset=utf-8' });
      try {
        // extractPage and Readability each get the first call on a fresh load, taking turns to go
        // first; innerText follows Readability, whose work on a detached clone leaves the page as loaded.
        const order: Method[][] = i % 2 === 0 ? [['extractPage'], ['readability', 'innerText'], ['defuddle']] : [['defuddle'], ['readability', 'innerText'], ['extractPage']];
        for (const methods of order) {
          await harness.open(path);
          for (const method of methods) samples.get(method)!.set(id, await harness.call<Sample>('extractTimed', method));
        }
      } catch (err) {
        failed.push(id);
        ctx.log(`  ${id.slice(0, 12)}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
      harness.serve(path, { body: '' });
      if ((i + 1) % 30 === 0) ctx.log(`  ${i + 1}/${ids.length} pages, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    await harness.close();
  }

  // The corpus's own scoring: predictions as output/<name>.json beside a copy of ground-truth.json.
  const scratch = await mkdtemp(join(tmpdir(), 'precis-article-bench-'));
  await mkdir(join(scratch, 'output'));
  // evaluate.py wants a prediction for every page it has the truth of: a subset run gets its subset.
  if (pick) await writeFile(join(scratch, 'ground-truth.json'), JSON.stringify(Object.fromEntries(ids.map((id) => [id, truth[id]]))));
  else await copyFile(join(corpus, 'ground-truth.json'), join(scratch, 'ground-truth.json'));
  await copyFile(join(corpus, 'evaluate.py'), join(scratch, 'evaluate.py'));
  for (const { method } of METHODS) {
    const got = samples.get(method)!;
    const prediction = Object.fromEntries(ids.map((id) => [id, { articleBody: got.get(id)?.text ?? '' }]));
    await writeFile(join(scratch, 'output', `${method}.json`), JSON.stringify(prediction));
  }
  await execFileAsync('python3', ['evaluate.py', '--output', 'scores.json'], { cwd: scratch, timeout: 300_000 });
  const scores = JSON.parse(await readFile(join(scratch, 'scores.json'), 'utf8')) as Record<string, Scores>;
  ctx.log(`Predictions and scores in ${scratch}`);

  const counter = await loadTokenCounter();
  const truthTokens = new Map(ids.map((id) => [id, counter.count(truth[id]!.articleBody)]));
  const tokenRatio = (method: Method) =>
    percentile(
      ids.filter((id) => samples.get(method)!.has(id) && truthTokens.get(id)! > 0).map((id) => counter.count(samples.get(method)!.get(id)!.text) / truthTokens.get(id)!),
      50,
    );
  const p50 = (method: Method) => percentile([...samples.get(method)!.values()].map((s) => s.ms), 50);
  const p90 = (method: Method) => percentile([...samples.get(method)!.values()].map((s) => s.ms), 90);

  const ours = scores.extractPage!;
  const ourTokens = tokenRatio('extractPage');
  const speed = p50('extractPage') / p50('readability');
  const targets: Target[] = [
    { name: `extractPage F1 ≥ ${TARGET_F1.toFixed(3)}`, pass: ours.f1 >= TARGET_F1, measured: ours.f1.toFixed(3) },
    { name: `tokens sent ≤ ${TARGET_TOKENS}× the ground truth's (median page)`, pass: ourTokens <= TARGET_TOKENS, measured: `${ourTokens.toFixed(2)}×` },
    { name: `extraction p50 ≤ ${TARGET_SPEED}× Readability alone`, pass: speed <= TARGET_SPEED, measured: `${speed.toFixed(2)}×` },
  ];

  const rows = METHODS.map(({ method, name }) => {
    const s = scores[method]!;
    return [
      name,
      `${s.f1.toFixed(3)} ± ${s.f1_std.toFixed(3)}`,
      s.precision.toFixed(3),
      s.recall.toFixed(3),
      `${tokenRatio(method).toFixed(2)}×`,
      ms(p50(method), 1),
      ms(p90(method), 1),
      ratio(p50(method) / p50('readability')),
    ];
  });
  const results = table(['method', 'F1', 'precision', 'recall', 'tokens / truth (median page)', 'p50', 'p90', 'p50 vs Readability'], rows);
  const sources = new Map<string, number>();
  for (const s of samples.get('extractPage')!.values()) sources.set(s.source ?? '?', (sources.get(s.source ?? '?') ?? 0) + 1);
  const sourceLine = [...sources.entries()].map(([k, n]) => `${k} ${n}`).join(', ');

  // Where extractPage loses most against Readability, for whoever works on it next (log only).
  const gaps = ids
    .map((id, k) => ({ id, ours: pageF1(ours.tp_fp_fns[k]!), peer: pageF1(scores.readability!.tp_fp_fns[k]!) }))
    .filter((g) => g.ours < g.peer)
    .sort((a, b) => b.peer - b.ours - (a.peer - a.ours))
    .slice(0, 12);
  ctx.log('');
  ctx.log(results);
  ctx.log(`extractPage sources: ${sourceLine}${failed.length ? `; failed pages: ${failed.length}` : ''}`);
  const worst = ids
    .map((id, k) => ({ id, ours: pageF1(ours.tp_fp_fns[k]!), peer: pageF1(scores.readability!.tp_fp_fns[k]!) }))
    .sort((a, b) => a.ours - b.ours)
    .slice(0, 20);
  ctx.log('Pages where extractPage scores lowest (F1 ours / Readability, source):');
  for (const g of worst) ctx.log(`  ${g.id.slice(0, 12)} ${g.ours.toFixed(3)} / ${g.peer.toFixed(3)} ${samples.get('extractPage')!.get(g.id)?.source ?? ''} ${truth[g.id]!.url}`);
  ctx.log('Pages where extractPage scores below Readability (F1 ours / Readability, source):');
  for (const g of gaps) ctx.log(`  ${g.id.slice(0, 12)} ${g.ours.toFixed(3)} / ${g.peer.toFixed(3)} ${samples.get('extractPage')!.get(g.id)?.source ?? ''} ${truth[g.id]!.url}`);

  const markdown = [
    `The ${ids.length} pages of Zyte's article-extraction benchmark (\`../shared/corpora/article-extraction-benchmark\`, MIT; real news and blog pages with the expected article text), ` +
      `served from 127.0.0.1 to headless Chromium ${version} with page JavaScript off and every other host unresolvable, the code bundled and run in the page. ` +
      'extractPage and Readability each make the first call on a fresh load (they take turns going first); innerText runs after Readability on its load. ' +
      "Scored by the corpus's `evaluate.py` (F1 over 4-word shingles, pages weighted equally, ± its bootstrap standard deviation); tokens are o200k counts of the text sent over those of the expected article, median over pages. " +
      `Published scores on this corpus: Readability.js 0.947, trafilatura 0.958, the best 0.970.`,
    '',
    table(['target', 'measured', 'result'], targets.map((t) => [t.name, t.measured, passFail(t.pass)])),
    '',
    results,
    '',
    `Where extractPage's text came from: ${sourceLine}.${failed.length ? ` Pages that failed to load or extract (scored as empty): ${failed.length}.` : ''}`,
    '',
  ].join('\n');
  return { title, markdown, targets };
}
