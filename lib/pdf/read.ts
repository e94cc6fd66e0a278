// A PDF's text, page by page, with pdf.js. One page's text objects at a time: each page's items
// become one string and the page is released before the next is read, so a 2,000-page PDF costs
// its text, never every page's text content. pdf.js comes in as an argument: lib/ never loads it.
import { AppError, appErrors, isAppError } from '../errors';

/** As much of pdf.js (`pdfjs-dist`'s module) as we use. */
export interface PdfJs {
  getDocument(src: { data: Uint8Array; isEvalSupported: boolean; verbosity: number; useSystemFonts?: boolean }): {
    promise: Promise<PdfDocument>;
    destroy(): Promise<void>;
  };
}

export interface PdfDocument {
  numPages: number;
  getMetadata(): Promise<{ info: object }>;
  getPage(pageNumber: number): Promise<PdfPage>;
}

export interface PdfPage {
  getTextContent(): Promise<{ items: ReadonlyArray<{ str?: string; hasEOL?: boolean }> }>;
  cleanup(): unknown;
}

export interface PdfInfo {
  pages: number;
  /** The document's own title (its metadata), when it has one. */
  title?: string;
}

export interface PdfSink {
  opened(info: PdfInfo): void;
  /** `page` counts from 1; `text` may be empty (a page with only images). */
  page(page: number, text: string): void;
}

/** A PDF starts with `%PDF-`, allowing for junk before it (which readers accept) within the first KB. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

/** What a PDF address answered instead, in words, for the message. */
export function whatItIs(bytes: Uint8Array): string {
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|title)[\s>]/.test(head)) return 'a web page';
  return bytes.length === 0 ? 'nothing (an empty file)' : 'something else';
}

/** One page's text items as lines: pdf.js marks line ends; runs of spaces collapse. */
export function pageText(items: ReadonlyArray<{ str?: string; hasEOL?: boolean }>): string {
  let text = '';
  for (const item of items) {
    text += item.str ?? '';
    if (item.hasEOL) text += '\n';
  }
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

const hasText = (text: string) => /[\p{L}\p{N}]/u.test(text);

/** pdf.js's exceptions (by name: they cross no module boundary we control) as ours. */
function asAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const name = (err as { name?: string } | undefined)?.name;
  const message = (err as { message?: string } | undefined)?.message ?? String(err);
  if (name === 'PasswordException') return appErrors.pdfPassword();
  if (name === 'InvalidPDFException') return appErrors.pdfCorrupt('its structure cannot be read');
  return appErrors.pdfCorrupt(message.slice(0, 200));
}

function metadataTitle(info: object): string | undefined {
  const title = (info as { Title?: unknown }).Title;
  return typeof title === 'string' && title.trim() ? title.trim().slice(0, 300) : undefined;
}

/**
 * Reads every page of `data` into `sink`, in order. Throws an AppError: `not_pdf` for bytes that
 * are no PDF, `pdf_password`, `pdf_corrupt`, and `pdf_scanned` when no page has any text.
 */
export async function readPdf(pdfjs: PdfJs, data: Uint8Array, sink: PdfSink, signal?: AbortSignal): Promise<void> {
  if (!looksLikePdf(data)) throw appErrors.notPdf(whatItIs(data));
  // pdf.js takes the buffer over (it is transferred to its worker).
  const task = pdfjs.getDocument({ data, isEvalSupported: false, verbosity: 0 });
  try {
    const doc = await task.promise;
    const info = await doc.getMetadata().then(
      (m) => m.info,
      () => ({}),
    );
    sink.opened({ pages: doc.numPages, ...(metadataTitle(info) && { title: metadataTitle(info) }) });
    let anyText = false;
    for (let n = 1; n <= doc.numPages; n++) {
      if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      const page = await doc.getPage(n);
      const text = pageText((await page.getTextContent()).items);
      page.cleanup();
      anyText ||= hasText(text);
      sink.page(n, text);
    }
    if (!anyText) throw appErrors.pdfScanned();
  } catch (err) {
    if (signal?.aborted) throw err;
    throw asAppError(err);
  } finally {
    // Destroying the loading task destroys its document too, and stops a load still under way.
    await task.destroy().catch(() => {});
  }
}
