// Page sentences go into the offline summary's Markdown as literal text: the page chose them, not
// us, so nothing in them may become a link, emphasis, code, a heading, a list or an HTML tag.
// Backslash escapes rather than a code span or HTML entities, so that Copy still gives readable text.

/** Characters that mean something to Markdown (or HTML) wherever they stand. */
const inlineSyntax = /[\\`*_[\]<>&~]/g;
/** What GFM turns into a link without brackets: `http://…`, `www.…`, `name@host`. */
const bareLinks = /(:)(?=\/\/)|(?<=www)(\.)|(@)/gi;
/** What means something only at the start of a line: `# `, `> `, `- `, `+ `, `= `, `1. `, `1) `. */
const blockStart = /^(?:([#>+=-])|(\d{1,9})([.)]))/;

/** `text` as Markdown that renders to exactly that text, on one line. */
export function markdownLiteral(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(inlineSyntax, '\\$&')
    .replace(bareLinks, '\\$&')
    .replace(blockStart, (_, mark: string | undefined, digits: string, stop: string) => (mark ? `\\${mark}` : `${digits}\\${stop}`));
}
