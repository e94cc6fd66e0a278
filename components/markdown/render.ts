// Model output and page-derived text become HTML only through here: Markdown without raw HTML,
// then DOMPurify with a short allow-list. Links open safely; images are never fetched (a model
// can be talked into emitting tracking pixels), they become links the user may choose to open.
import DOMPurify from 'dompurify';
import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import { parseTime } from '../../lib/extract/video/youtube';
import { citationAt, citationStart, citedUnits } from '../../lib/jobs/citations';
import { t } from '../i18n';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const safeUrl = /^(?:https?:|mailto:)/i;

/**
 * How many units the answer being rendered may cite: set around each (synchronous) parse. A
 * citation of any other unit is dropped, as is every citation where there are none to link to, so
 * a model that cites wrongly, or where it was not asked to, leaves no stray marks.
 */
let citableUnits = 0;
let citeLabel = '';
/** A PDF's page count (its "(p. N)" become links) and a video's length in seconds (later times are not linked). */
let citablePages = 0;
let videoSeconds = Infinity;

/** "¶3,¶8" after a point → a chip per unit (the sidebar makes them show their passage). */
const citation: TokenizerAndRendererExtension = {
  name: 'citation',
  level: 'inline',
  start(src) {
    const at = citationStart(src);
    return at < 0 ? undefined : at;
  },
  tokenizer(src) {
    const match = citationAt.exec(src);
    return match ? { type: 'citation', raw: match[0], units: citedUnits(match[0]) } : undefined;
  },
  renderer(token) {
    const units = (token.units as number[]).filter((n) => n <= citableUnits);
    if (!units.length) return '';
    const label = (n: number) => (citeLabel ? ` title="${escapeHtml(citeLabel.replace('{n}', String(n)))}"` : '');
    const chips = units.map((n) => `<button type="button" class="cite" data-unit="${n}"${label(n)}>${n}</button>`);
    return `<span class="cites">${chips.join('')}</span>`;
  },
};

const pageItem = String.raw`\d{1,5}(?:\s?[-–]\s?\d{1,5})?`;
/**
 * How a PDF's summary cites its pages (lib/jobs/summary-prompt.ts): "(p. 3)", "(pp. 3–5)", "[p. 3]",
 * "(p. 3, 7)", and as Chinese summaries write them, "（第 3 页）", "（第 2–3 页）".
 */
const pageCitation = new RegExp(
  String.raw`^[ \t]*(?:[([]pp?\.\s?${pageItem}(?:\s?[,，;]\s?(?:pp?\.\s?)?${pageItem})*[)\]]|[(（]第\s?${pageItem}(?:\s?[,，、]\s?${pageItem})*\s?页[)）])`,
);
const pageCitationStart = /[ \t]*(?:[([]pp?\.\s?\d|[(（]第\s?\d)/;

/**
 * A PDF's page citations → buttons that open the page (`button.page[data-page]`), the words around
 * them kept: "(p. 3)" reads as written. A page the PDF does not have is not linked, and a citation
 * with no page that exists is dropped (the blanks before it too), like a unit that does not exist.
 */
const pageCite: TokenizerAndRendererExtension = {
  name: 'pageCite',
  level: 'inline',
  start(src) {
    if (!citablePages) return undefined;
    const at = src.search(pageCitationStart);
    return at < 0 ? undefined : at;
  },
  tokenizer(src) {
    const match = citablePages ? pageCitation.exec(src) : null;
    return match ? { type: 'pageCite', raw: match[0] } : undefined;
  },
  renderer({ raw }) {
    const parts: string[] = [];
    let at = 0;
    let linked = false;
    for (const m of raw.matchAll(/(\d{1,5})(?:\s?[-–]\s?\d{1,5})?/g)) {
      const page = Number(m[1]);
      if (page < 1 || page > citablePages) continue;
      // The accessible name holds the visible text ("2–3" of a range), as assistive speech expects.
      const label = escapeHtml(t('openPdfPage', { page: m[0] }));
      parts.push(escapeHtml(raw.slice(at, m.index)), `<button type="button" class="page" data-page="${page}" aria-label="${label}">${escapeHtml(m[0])}</button>`);
      at = m.index + m[0].length;
      linked = true;
    }
    if (!linked) return '';
    parts.push(escapeHtml(raw.slice(at)));
    return parts.join('');
  },
};

const options = {
  gfm: true,
  extensions: [citation, pageCite],
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    image: ({ href, text }: Tokens.Image) =>
      safeUrl.test(href) ? `<a href="${escapeHtml(href)}" class="image-link">🖼 ${escapeHtml(text || href)}</a>` : escapeHtml(text),
    // Task items (`- [x] done`) as ballot-box glyphs: an answer is read, not filled in, and no
    // form control needs to pass the sanitiser.
    checkbox: ({ checked }: Tokens.Checkbox) => `<span class="task-box">${checked ? '☑' : '☐'}</span> `,
  },
};
const marked = new Marked(options);

// A video summary's times ("[4:05]", a range "[4:05–5:10]") become buttons that play the video
// from there: made here, by us, from digits only; nothing the model writes can make one otherwise.
const timePattern = /^([ \t]*)\[((?:\d{1,2}:)?\d{1,2}:\d{2})(?:\s*[-–]\s*(?:\d{1,2}:)?\d{1,2}:\d{2})?\]/;
const withTimes = new Marked(options, {
  extensions: [
    {
      name: 'time',
      level: 'inline',
      // The blanks before a time go with it when it is dropped.
      start: (src: string) => src.match(/[ \t]*\[(?:\d{1,2}:)?\d{1,2}:\d{2}/)?.index,
      tokenizer(src: string) {
        const m = timePattern.exec(src);
        return m ? { type: 'time', raw: m[0], blanks: m[1]!, text: m[2]! } : undefined;
      },
      // A time past the video's end points nowhere: dropped, like a citation of a unit that does not exist.
      renderer: ({ text, blanks }: Tokens.Generic) =>
        parseTime(text as string) > videoSeconds
          ? ''
          : `${blanks as string}<button type="button" class="time" data-seconds="${parseTime(text as string)}" aria-label="${escapeHtml(t('seekTo', { time: text as string }))}">${escapeHtml(text as string)}</button>`,
    },
  ],
});

const purify = DOMPurify();
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!safeUrl.test(href)) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

const allowedTags = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'a',
  'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
  // Only our chips and time buttons: raw HTML from the model is escaped before it gets here.
  'button',
];

// Set once: passing the config to every sanitize() call re-parses it per render.
purify.setConfig({
  ALLOWED_TAGS: allowedTags,
  ALLOWED_ATTR: ['href', 'title', 'class', 'start', 'align', 'target', 'rel', 'type', 'data-seconds', 'data-unit', 'data-page', 'aria-label'],
  ALLOWED_URI_REGEXP: safeUrl,
});

export interface RenderOptions {
  /** A video's summary, whose times become buttons (`button.time[data-seconds]`). */
  times?: boolean;
  /** Citations of units 1..units become chips; without it every citation is dropped. */
  units?: number;
  /** A chip's title, "{n}" standing for its unit. */
  citeLabel?: string;
  /** A PDF's page count: its page citations of pages 1..pages become buttons (`button.page[data-page]`). */
  pages?: number;
  /** With `times`, the video's length: a later time is dropped. */
  videoSeconds?: number;
}

export function renderMarkdown(src: string, opts: RenderOptions = {}): string {
  citableUnits = opts.units ?? 0;
  citeLabel = opts.citeLabel ?? '';
  citablePages = opts.pages ?? 0;
  videoSeconds = opts.videoSeconds || Infinity;
  try {
    return purify.sanitize((opts.times ? withTimes : marked).parse(src, { async: false }));
  } finally {
    citableUnits = 0;
    citeLabel = '';
    citablePages = 0;
    videoSeconds = Infinity;
  }
}

/**
 * marked and DOMPurify set themselves up on first use (about 9 ms measured in Chromium). A sidebar
 * calls this while it waits for the model, so the first token does not pay for it.
 */
export function warmUpMarkdown(): void {
  renderMarkdown('*warm* [up](https://example.org)');
}
