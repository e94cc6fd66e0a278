// One measurement of PDF text extraction, in a fresh Node process (run by bench/pdf-extraction.bench.ts
// with --expose-gc): `<method> <time|memory> <file>` prints one JSON line.
//   precis: lib/pdf/read.ts `readPdf`, which turns each page's text items into one string and
//           releases the page before reading the next; the collector keeps the strings.
//   peer:   the plain pdf.js loop: getPage, getTextContent, keep every page's text content, join at the end.
// `memory` runs force a full GC every 10 pages and sample the live heap there: the peak of what is
// held, not of garbage not yet collected. `time` runs do no such thing.
import { readFile } from 'node:fs/promises';
import { readPdf } from '../../lib/pdf/read';
import { loadPdfJs } from '../../tests/support/pdfjs-node';

const [method, mode, file] = process.argv.slice(2) as ['precis' | 'peer', 'time' | 'memory', string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const pdfjs = await loadPdfJs();
const bytes = new Uint8Array(await readFile(file));
// A warm-up read, so module compilation and pdf.js's own caches are out of the measurement.
await readPdf(pdfjs, bytes.slice(), { opened: () => {}, page: () => {} });
gc();
const baseline = process.memoryUsage().heapUsed;
let peak = 0;
const sample = (page: number) => {
  if (mode !== 'memory' || page % 10 !== 0) return;
  gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
};

const started = performance.now();
let chars = 0;
if (method === 'precis') {
  const pages: string[] = [];
  await readPdf(pdfjs, bytes.slice(), { opened: () => {}, page: (n, text) => (pages.push(text), sample(n)) });
  chars = pages.join('\n').length;
} else {
  const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  const contents = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    contents.push(await page.getTextContent());
    sample(n);
  }
  chars = contents.map((c) => c.items.map((i) => i.str ?? '').join(' ')).join('\n').length;
}
const ms = performance.now() - started;
if (mode === 'memory') {
  gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
}
console.log(JSON.stringify({ ms, peakBytes: peak, chars }));
process.exit(0);
