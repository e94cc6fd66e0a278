// The one place pdf.js runs: Chrome's offscreen document (a service worker has no document), or a
// frame in Firefox's background page. The background connects on the PDF port, names a file, and
// gets its text back page by page.
import { getDocument, GlobalWorkerOptions, PDFWorker } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { browser } from 'wxt/browser';
import { pdfPortName, type PdfPortRequest } from '../../lib/pdf/port';
import type { PdfJs } from '../../lib/pdf/read';
import { servePdf } from '../../lib/pdf/serve';
import { cmapsDir } from '../../lib/pdf/assets';

GlobalWorkerOptions.workerSrc = workerUrl;

// Character maps let pdf.js turn the CID fonts of Chinese, Japanese and Korean PDFs into text.
const cMapUrl = browser.runtime.getURL(`/${cmapsDir}/` as '/offscreen.html');
// One pdf.js worker for every file: starting one (loading and parsing its megabyte of code) took a
// good part of the time to a PDF's first token. pdf.js leaves a worker it was given alive when a
// document is destroyed.
let worker: PDFWorker | undefined;
const pdfjs: PdfJs = { getDocument: (src) => getDocument({ ...src, cMapUrl, cMapPacked: true, worker: (worker ??= new PDFWorker({ verbosity: 0 })) }) };

/** fetch() has no file: scheme; XMLHttpRequest reads local files when the user allowed file access. */
async function fetchAny(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = String(input);
  if (!url.startsWith('file:')) return fetch(input, init);
  const bytes = await new Promise<ArrayBuffer>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.responseType = 'arraybuffer';
    xhr.onload = () => resolve(xhr.response as ArrayBuffer);
    xhr.onerror = () => reject(new TypeError('the file could not be read'));
    init?.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send();
  });
  return new Response(bytes, { headers: { 'content-type': 'application/pdf' } });
}

browser.runtime.onConnect.addListener((port) => {
  if (port.name !== pdfPortName || port.sender?.id !== browser.runtime.id) return;
  const controller = new AbortController();
  port.onDisconnect.addListener(() => controller.abort());
  port.onMessage.addListener((msg: PdfPortRequest) => {
    if (msg.type !== 'read') return;
    void servePdf(msg.url, (out) => !controller.signal.aborted && port.postMessage(out), { pdfjs, fetch: fetchAny }, controller.signal);
  });
});
