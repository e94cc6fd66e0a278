// Issue #14: text extraction of a 100-page PDF, Precis's page-by-page reader (lib/pdf/read.ts)
// against the plain pdf.js loop (getTextContent on every page, all kept): time, and the peak of
// live heap while reading. Each measurement runs in a fresh Node process (bench/pdf/extract-probe.ts);
// methods alternate so that machine load falls on both. `npm run bench -- pdf` runs it alone.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ms, passFail, ratio, table } from './lib/format';
import type { BenchContext, BenchResult, Target } from './lib/types';
import { textPdf } from '../tests/support/pdfs';

export const title = 'PDF text extraction (issue #14)';

const PAGES = 100;
const RUNS = 5;
const TARGET_TIME = 1.1;
const execFileAsync = promisify(execFile);
const probe = resolve('bench/pdf/extract-probe.ts');

interface Sample {
  ms: number;
  peakBytes: number;
  chars: number;
}

async function measure(method: 'precis' | 'peer', mode: 'time' | 'memory', file: string): Promise<Sample> {
  const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', '--import', 'tsx', probe, method, mode, file], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'precis-pdf-bench-'));
  const file = join(dir, `report-${PAGES}.pdf`);
  // 100 pages of 40 lines each: a long report, made with pdf-lib (tests/support/pdfs.ts).
  await writeFile(file, await textPdf(PAGES, { linesPerPage: 40 }));
  const samples: Record<'precis' | 'peer', { time: Sample[]; memory: Sample[] }> = { precis: { time: [], memory: [] }, peer: { time: [], memory: [] } };
  for (let i = 0; i < RUNS; i++) {
    for (const method of i % 2 ? (['peer', 'precis'] as const) : (['precis', 'peer'] as const)) {
      samples[method].time.push(await measure(method, 'time', file));
      samples[method].memory.push(await measure(method, 'memory', file));
      ctx.log(`run ${i + 1}/${RUNS} ${method}: ${ms(samples[method].time.at(-1)!.ms)}, peak live heap ${mib(samples[method].memory.at(-1)!.peakBytes)}`);
    }
  }
  const time = (m: 'precis' | 'peer') => median(samples[m].time.map((s) => s.ms));
  const memory = (m: 'precis' | 'peer') => median(samples[m].memory.map((s) => s.peakBytes));
  const timeRatio = time('precis') / time('peer');
  const memoryRatio = memory('precis') / memory('peer');
  const targets: Target[] = [
    { name: `time ≤ ${TARGET_TIME}× the plain loop`, pass: timeRatio <= TARGET_TIME, measured: `${ms(time('precis'))} = ${ratio(timeRatio)}` },
    { name: 'peak live heap below the plain loop’s', pass: memoryRatio < 1, measured: `${mib(memory('precis'))} = ${ratio(memoryRatio)}` },
  ];
  const rows = (['precis', 'peer'] as const).map((m) => [
    m === 'precis' ? 'Precis `readPdf` (strings, page released)' : 'peer: plain `getTextContent` loop (all kept)',
    ms(time(m)),
    ratio(time(m) / time('peer')),
    mib(memory(m)),
    ratio(memory(m) / memory('peer')),
    String(samples[m].time[0]!.chars),
  ]);
  const markdown = [
    `A generated ${PAGES}-page PDF (40 lines a page, ${Math.round(samples.precis.time[0]!.chars / 1000)} k characters of text), read in Node with pdfjs-dist's legacy build; median of ${RUNS} runs each, every run a fresh process, methods alternating.`,
    '',
    '### Targets',
    '',
    table(['target (Precis)', 'measured', 'result'], targets.map((t) => [t.name, t.measured, passFail(t.pass)])),
    '',
    '### Results',
    '',
    table(['method', 'time', 'time ratio', 'peak live heap', 'memory ratio', 'characters'], rows),
    '',
    'Notes:',
    '- Peak live heap: a full GC every 10 pages, then the heap in use above what was in use before reading (the file, pdf.js loaded); the most of those samples and the end. It is what a reader holds, not garbage not yet collected.',
    '- Time runs do no forced GC. In the extension the same reader runs in the offscreen document and posts each page as it is read, so the service worker holds only the strings.',
    '- The characters column differs because the plain loop joins items with spaces and keeps empty items; Precis keeps pdf.js’s line ends and collapses runs of spaces.',
  ].join('\n');
  return { title, markdown, targets };
}
