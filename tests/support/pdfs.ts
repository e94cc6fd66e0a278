// PDFs made for tests and benchmarks with pdf-lib: text on many pages, pages that are only images
// (a scan), a damaged file. The real-world PDFs live in ../shared/corpora/pdfs (see its README).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { readFile } from 'node:fs/promises';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/**
 * Where the shared corpus keeps its PDFs: beside the checkout (`../shared/corpora`, from the project
 * root), or where PRECIS_CORPORA says. A bare clone has none: the tests of real PDFs say so and skip.
 */
export const corpusPdfs = resolve(process.env.PRECIS_CORPORA ?? '../shared/corpora', 'pdfs');
export const hasCorpus = existsSync(resolve(corpusPdfs, 'tracemonkey.pdf'));
export const noCorpus = `real PDFs not found at ${corpusPdfs} (the shared corpus beside the checkout, or PRECIS_CORPORA)`;

/** `pages` pages of prose; page n says "Page n" and facts only it holds ("fact n: …"). */
export async function textPdf(pages: number, opts: { title?: string; linesPerPage?: number } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  if (opts.title) doc.setTitle(opts.title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const lines = opts.linesPerPage ?? 30;
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Page ${n}: chapter ${Math.ceil(n / 10)} of the report`, { x: 50, y: 800, size: 14, font });
    for (let i = 0; i < lines; i++) {
      page.drawText(`Fact ${n}.${i + 1}: the survey counted ${(n * 37 + i * 11) % 997} trains on line ${i + 1} in week ${n}.`, { x: 50, y: 770 - i * 24, size: 10, font });
    }
  }
  return doc.save();
}

/** A grey PNG of `size`×`size` pixels, made by hand so that no image library is needed. */
function greyPng(size: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((size + 1) * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rows[y * (size + 1) + 1 + x] = (x * 7 + y * 3) % 256;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A "scan": every page one image, no text layer. */
export async function scannedPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(greyPng(64));
  for (let n = 0; n < pages; n++) doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  return doc.save();
}

/** A header that promises a PDF, then nothing a reader can use. */
export const corruptPdf = (): Uint8Array => new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nthis file was cut off here');

/** Debian's fonts-wqy-microhei (.ci/run installs it): a CJK font to write Chinese PDFs with. */
export const cjkFont = process.env.PRECIS_CJK_FONT ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
export const hasCjkFont = existsSync(cjkFont);
export const noCjkFont = `no CJK font at ${cjkFont} (apt-get install fonts-wqy-microhei, or PRECIS_CJK_FONT)`;

const cities = ['北京', '上海', '广州', '成都', '西安', '武汉', '杭州', '昆明'];

/**
 * `pages` pages in Simplified Chinese, the font embedded (subset) as pdf.js finds it in real CJK
 * PDFs: page n says "第n页" and facts only it holds. The font file is a collection (.ttc): fontkit
 * is asked for its first face by name, since pdf-lib takes one font.
 */
export async function chinesePdf(pages: number, opts: { title?: string; linesPerPage?: number } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  if (opts.title) doc.setTitle(opts.title);
  doc.registerFontkit({ create: (bytes: Uint8Array) => fontkit.create(bytes, 'WenQuanYiMicroHei') } as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  const font = await doc.embedFont(await readFile(cjkFont), { subset: true });
  const lines = opts.linesPerPage ?? 20;
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595, 842]);
    page.drawText(chineseHeading(n), { x: 50, y: 800, size: 14, font });
    for (let i = 0; i < lines; i++) page.drawText(chineseFact(n, i + 1), { x: 50, y: 770 - i * 24, size: 10, font });
  }
  return doc.save();
}

export const chineseHeading = (page: number) => `第${page}页：铁路调查报告第${Math.ceil(page / 10)}章`;
/** Line `line` of page `page`: a sentence of 20-odd ideographs and a few digits. */
export const chineseFact = (page: number, line: number) =>
  `事实${page}.${line}：从${cities[(page + line) % cities.length]}到${cities[(page * 3 + line) % cities.length]}的夜间列车每周运行${(page * 37 + line * 11) % 97}次。`;
