// Where the build puts pdf.js's character maps (wxt.config.ts copies them; the offscreen page points pdf.js at them).
export const cmapsDir = 'pdfjs-cmaps';
