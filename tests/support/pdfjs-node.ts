// pdf.js in Node for tests and benchmarks: its legacy build, which runs its worker code in the
// same thread here. pdfjs-dist 6 wants Node 22 for Promise.withResolvers; Node 20 gets it here.
import type { PdfJs } from '../../lib/pdf/read';

type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason?: unknown) => void };

export async function loadPdfJs(): Promise<PdfJs> {
  const promise = Promise as unknown as { withResolvers?: WithResolvers };
  promise.withResolvers ??= <T,>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const p = new Promise<T>((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise: p, resolve, reject };
  };
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  return { getDocument: (src) => pdfjs.getDocument(src) };
}
