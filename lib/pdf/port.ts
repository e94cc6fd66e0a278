// The PDF reader's port: the background asks the page that runs pdf.js (Chrome's offscreen
// document) for one file's text, and gets it back page by page. Types and a name only.
import type { ErrorView } from '../errors';

export const pdfPortName = 'pdf-reader';

export type PdfPortRequest = { type: 'read'; url: string };

export type PdfPortMessage =
  | { type: 'opened'; pages: number; title?: string; hash: string; bytes: number }
  | { type: 'page'; page: number; text: string }
  | { type: 'done' }
  | { type: 'error'; error: ErrorView };
