// A text/plain page is already the text: keep its lines and paragraphs as written, only tidy what
// would cost tokens or confuse chunking (CRLF, trailing blanks, runs of empty lines, control bytes).

// eslint-disable-next-line no-control-regex -- control bytes are exactly what it removes
const controlBytes = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function normalisePlainText(raw: string): string {
  return raw
    .replace(/^\ufeff/, '')
    .replace(/\r\n?/g, '\n')
    .replace(controlBytes, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\s+$/g, '');
}
