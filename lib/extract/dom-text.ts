// DOM → Markdown-ish text. We walk the tree ourselves instead of using `innerText`: it keeps the
// structure chunking relies on (`#` headings, `- ` items, blank lines between paragraphs, table rows)
// and it works where there is no layout (linkedom in tests, detached clones).
import { hiddenByMarkup, isLinkMenu, isPageFurniture, skippedTags, type HiddenCheck } from './visibility';

export interface DomTextOptions {
  isHidden?: HiddenCheck;
  /** Drop navigation, banners, sidebars and menus: for reading a whole page, not an article. */
  skipFurniture?: boolean;
  /** Also drop link-only lists (menus without a `nav`); only sensible when reading all of `body`. */
  skipLinkMenus?: boolean;
  /** Subtrees to leave out, whatever they are (the comment sections a page scan found). */
  exclude?: ReadonlySet<Element>;
}

const blockTags = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'html', 'legend', 'li', 'main',
  'menu', 'nav', 'ol', 'p', 'section', 'summary', 'ul', 'caption', 'search',
]);

const headingLevel: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/** Inside these, a line break in the source is only formatting between ideographs. */
const cjkBreak =
  /([\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u3000-\u303f\uff00-\uffef])[ \t\r\f]*\n[ \t\r\n\f]*(?=[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u3000-\u303f\uff00-\uffef])/gu;

/**
 * Any code unit of a character `cjkBreak` looks for is in these ranges (astral ideographs are
 * surrogate pairs, which are too), so a string without one cannot match: most text skips the
 * Unicode-property scan.
 */
const mayHaveCjk = /[\u1100-\u11ff\u2e80-\uffff]/;
const invisible = /[\u200b-\u200d\u2060\ufeff\u00ad]/;
const invisibleAll = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** Whitespace that collapsing would change: anything but a lone ASCII space. */
const untidySpace = /[\t\n\r\f\u00a0]| {2}/;
const spaceRun = /[ \t\n\r\f\u00a0]+/g;

/** The characters `spaceRun` collapses. */
function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 12 || code === 0xa0;
}

/**
 * Inline text as a reader sees it: source line breaks between ideographs dropped, zero-width and
 * soft-hyphen characters removed, every run of whitespace one space. Each step is skipped when a
 * quick test shows it would change nothing (the common case): this runs on every text node.
 * Whitespace at the ends (source indentation, the line break after a `<br />`) is counted off
 * directly, so a regex replace only runs for text whose inside needs it.
 */
export function collapseInlineText(raw: string): string {
  let s = raw;
  if (s.includes('\n') && mayHaveCjk.test(s)) s = s.replace(cjkBreak, '$1');
  if (invisible.test(s)) s = s.replace(invisibleAll, '');
  const length = s.length;
  let start = 0;
  while (start < length && isSpace(s.charCodeAt(start))) start++;
  if (start === length) return length === 0 ? '' : ' ';
  let end = length;
  while (isSpace(s.charCodeAt(end - 1))) end--;
  let inner = start === 0 && end === length ? s : s.slice(start, end);
  if (untidySpace.test(inner)) inner = inner.replace(spaceRun, ' ');
  return start === 0 && end === length ? inner : `${start > 0 ? ' ' : ''}${inner}${end < length ? ' ' : ''}`;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const SPACE = 32;
const NEWLINE = 10;

/**
 * Collects inline text into blocks and blocks into the output. Lists and tables are "tight": their
 * lines follow each other with a single newline, so each list or table stays one paragraph.
 */
class Writer {
  private readonly out: string[] = [];
  /**
   * The block being collected, as pieces joined at flush. Never a growing string: asking a
   * concatenated string about its end flattens it, which made long blocks quadratic. Holds no
   * empty pieces, no two spaces in a row, and no space right after a line break.
   */
  private inline: string[] = [];
  /** Last code unit of the block so far, 0 when it is empty. */
  private lastChar = 0;
  private lastGroup = 0;
  private nextGroupId = 1;
  /** The tight group (list or table) being written, or 0. */
  group = 0;
  /** Continuation prefix per nesting level: two spaces per list level, `> ` per quote. */
  readonly indent: string[] = [];
  /** Replaces one level's prefix on the next block's first line: a list item's `- ` or `3. `. */
  marker: { at: number; text: string } | undefined;

  openGroup(): number {
    const outer = this.group;
    if (!outer) this.group = this.nextGroupId++;
    return outer;
  }

  closeGroup(outer: number) {
    this.group = outer;
  }

  text(raw: string) {
    let s = collapseInlineText(raw);
    if (s.charCodeAt(0) === SPACE && (this.lastChar === 0 || this.lastChar === SPACE || this.lastChar === NEWLINE)) {
      s = s.slice(1);
    }
    if (!s) return;
    this.inline.push(s);
    this.lastChar = s.charCodeAt(s.length - 1);
  }

  lineBreak() {
    // The invariant leaves at most one space to drop before the break.
    if (this.lastChar === SPACE) {
      const last = this.inline.length - 1;
      const piece = this.inline[last]!.slice(0, -1);
      if (piece) this.inline[last] = piece;
      else this.inline.pop();
    }
    this.inline.push('\n');
    this.lastChar = NEWLINE;
  }

  /** Ends the current block, if it has any text. */
  flush(lead = '') {
    if (this.inline.length === 0) return;
    const joined = this.inline.join('');
    const body = joined.includes('\n')
      ? joined
          .split('\n')
          .map((line) => line.trim())
          .join('\n')
          .replace(/^\n+|\n+$/g, '')
      : joined.trim();
    this.inline = [];
    this.lastChar = 0;
    if (body) this.emit(lead + body);
  }

  /** Writes a finished block (which may hold several lines) with the current prefixes. */
  emit(block: string) {
    let text = block;
    if (this.indent.length > 0) {
      const rest = this.indent.join('');
      const marker = this.marker;
      const first = marker ? this.indent.map((p, i) => (i === marker.at ? marker.text : p)).join('') : rest;
      const lines = block.split('\n');
      text = lines.map((line, i) => (i === 0 ? first + line : line ? rest + line : rest.trimEnd())).join('\n');
    }
    this.marker = undefined;
    if (this.out.length) this.out.push(this.group && this.group === this.lastGroup ? '\n' : '\n\n');
    this.out.push(text);
    this.lastGroup = this.group;
  }

  result(): string {
    this.flush();
    return this.out.join('');
  }
}

/** Text of a subtree as one line: table cells and headings. */
function flatText(node: Node, opts: DomTextOptions): string {
  const w = new Writer();
  walkInline(node, w, opts);
  return w.result().replace(/\s+/g, ' ').trim();
}

function walkInline(node: Node, w: Writer, opts: DomTextOptions) {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE) w.text(child.nodeValue ?? '');
    else if (child.nodeType === ELEMENT_NODE) {
      const el = child as Element;
      if (el.localName === 'br') {
        // Not worth a style lookup: at worst a line break the page does not show.
        if (!hiddenByMarkup(el)) w.text(' ');
      } else if (skip(el, opts)) continue;
      else if (el.localName === 'math') writeMath(el, w, true);
      else {
        if (blockTags.has(el.localName) || el.localName in headingLevel) w.text(' ');
        walkInline(el, w, opts);
        if (blockTags.has(el.localName) || el.localName in headingLevel) w.text(' ');
      }
    }
  }
}

/**
 * An equation as text: its TeX source where the page gives it (MathML's `alttext`, or the TeX
 * annotation KaTeX and Wikipedia write), which a model reads best; else its characters, without
 * annotations (another encoding of the same equation).
 */
export function mathText(math: Element): string {
  const alt = math.getAttribute('alttext')?.trim();
  if (alt) return alt;
  const tex = math.querySelector('annotation[encoding*="tex" i]')?.textContent?.trim();
  if (tex) return tex;
  const parts: string[] = [];
  const collect = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === TEXT_NODE) parts.push(child.nodeValue ?? '');
      else if (child.nodeType === ELEMENT_NODE && !(child as Element).localName.startsWith('annotation')) collect(child);
    }
  };
  collect(math);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Writes an equation: inline within its sentence, or a block of its own (`display="block"`). */
function writeMath(math: Element, w: Writer, inline: boolean) {
  const text = mathText(math);
  if (!text) return;
  const block = !inline && math.getAttribute('display') === 'block';
  if (block) w.flush();
  w.text(text);
  if (block) w.flush();
}

function skip(el: Element, opts: DomTextOptions): boolean {
  if (skippedTags.has(el.localName)) return true;
  if ((opts.isHidden ?? hiddenByMarkup)(el)) return true;
  if (opts.skipFurniture && isPageFurniture(el)) return true;
  return opts.exclude !== undefined && opts.exclude.has(el);
}

/**
 * Data tables become rows; tables used for layout (old forums, mail archives) are read as ordinary
 * blocks, or a whole thread would collapse into one row.
 */
function isLayoutTable(table: Element): boolean {
  const role = table.getAttribute('role');
  if (role === 'presentation' || role === 'none') return true;
  if (table.querySelector('table')) return true;
  // One column is a stack of boxes, not a grid of values.
  if (rowsOf(table).every((row) => row.children.length <= 1)) return true;
  // Header cells or a caption say "data", even when cells wrap their values in divs (most
  // framework-rendered tables do); without them, prose blocks in cells say "layout".
  if (table.querySelector('th, thead, caption')) return false;
  return table.querySelector('p, ul, ol, pre, blockquote, h1, h2, h3, h4, h5, h6, article, section') !== null;
}

function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of Array.from(table.children)) {
    if (child.localName === 'tr') rows.push(child);
    else if (child.localName === 'thead' || child.localName === 'tbody' || child.localName === 'tfoot') {
      for (const row of Array.from(child.children)) if (row.localName === 'tr') rows.push(row);
    }
  }
  return rows;
}

function writeTable(table: Element, w: Writer, opts: DomTextOptions) {
  w.flush();
  const caption = Array.from(table.children).find((c) => c.localName === 'caption');
  if (caption) {
    const text = flatText(caption, opts);
    if (text) w.emit(text);
  }
  const outer = w.openGroup();
  let first = true;
  for (const row of rowsOf(table)) {
    if (skip(row, opts)) continue;
    const cells = Array.from(row.children).filter((c) => (c.localName === 'td' || c.localName === 'th') && !skip(c, opts));
    const texts = cells.map((c) => flatText(c, opts).replace(/\|/g, '\\|'));
    if (!texts.some(Boolean)) continue;
    w.emit(`| ${texts.join(' | ')} |`);
    if (first && cells.every((c) => c.localName === 'th')) w.emit(`|${' --- |'.repeat(cells.length)}`);
    first = false;
  }
  w.closeGroup(outer);
}

function writePre(pre: Element, w: Writer) {
  w.flush();
  const code = (pre.textContent ?? '').replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
  // Fences keep a code block whole when chunking, blank lines and all.
  if (code) w.emit(`\`\`\`\n${code.replace(/^```/gm, '\u200b```')}\n\`\`\``);
}

function walkBlock(node: Node, w: Writer, opts: DomTextOptions) {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE) {
      w.text(child.nodeValue ?? '');
      continue;
    }
    if (child.nodeType !== ELEMENT_NODE) continue;
    const el = child as Element;
    const tag = el.localName;
    if (tag === 'br') {
      // Not worth a style lookup (a thread's pasted log has thousands): at worst a line break the
      // page does not show.
      if (!hiddenByMarkup(el)) w.lineBreak();
      continue;
    }
    if (skip(el, opts)) continue;
    const level = headingLevel[tag];
    if (tag === 'math') {
      writeMath(el, w, false);
    } else if (level) {
      w.flush();
      const text = flatText(el, opts);
      if (text) w.emit(`${'#'.repeat(level)} ${text}`);
    } else if (tag === 'pre') {
      writePre(el, w);
    } else if (tag === 'table') {
      if (isLayoutTable(el)) {
        w.flush();
        walkBlock(el, w, opts);
        w.flush();
      } else writeTable(el, w, opts);
    } else if (tag === 'tr' || tag === 'td' || tag === 'th' || tag === 'tbody' || tag === 'thead' || tag === 'tfoot') {
      // Only reached inside a layout table: each row and cell reads as its own block.
      w.flush();
      walkBlock(el, w, opts);
      w.flush();
    } else if (tag === 'ul' || tag === 'ol' || tag === 'menu' || tag === 'dl') {
      if (opts.skipLinkMenus && tag !== 'dl' && isLinkMenu(el)) continue;
      writeList(el, w, opts);
    } else if (tag === 'blockquote') {
      w.flush();
      w.indent.push('> ');
      walkBlock(el, w, opts);
      w.flush();
      w.indent.pop();
    } else if (tag === 'hr') {
      w.flush();
    } else if (blockTags.has(tag)) {
      w.flush();
      walkBlock(el, w, opts);
      w.flush();
    } else {
      walkBlock(el, w, opts);
    }
  }
}

function writeList(list: Element, w: Writer, opts: DomTextOptions) {
  w.flush();
  const outer = w.openGroup();
  const ordered = list.localName === 'ol';
  const startAttr = Number.parseInt(list.getAttribute('start') ?? '', 10);
  let n = Number.isFinite(startAttr) ? startAttr : 1;
  for (const item of Array.from(list.children)) {
    if (skip(item, opts)) continue;
    const tag = item.localName;
    if (tag === 'dt' || tag === 'dd') {
      w.indent.push(tag === 'dd' ? '  ' : '');
      walkBlock(item, w, opts);
      w.flush();
      w.indent.pop();
      continue;
    }
    if (tag !== 'li') {
      walkBlock(item, w, opts);
      w.flush();
      continue;
    }
    const marker = ordered ? `${n++}. ` : '- ';
    w.indent.push(' '.repeat(marker.length));
    w.marker = { at: w.indent.length - 1, text: marker };
    walkBlock(item, w, opts);
    w.flush();
    if (w.marker?.at === w.indent.length - 1) w.marker = undefined;
    w.indent.pop();
  }
  w.closeGroup(outer);
}

/** The readable text of `root` (an element, document or fragment), Markdown-ish. */
export function domToText(root: Node, opts: DomTextOptions = {}): string {
  const w = new Writer();
  if (root.nodeType === TEXT_NODE) w.text(root.nodeValue ?? '');
  else if (root.nodeType !== ELEMENT_NODE || !skip(root as Element, { ...opts, skipFurniture: false })) {
    walkBlock(root, w, opts);
  }
  return w.result();
}
