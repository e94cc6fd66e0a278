// Readability with cheaper versions of a few of its per-node checks, each giving the same answers
// (tests compare against Readability on every fixture page). Readability 0.6 runs them on every
// node it walks; on a 1 MB page they were a third of its time (bench/extract-browser.bench.ts):
//
// - the byline check read `node.textContent` before the class, id, rel and itemprop that rule most
//   nodes out: the text of every subtree, size × depth, on pages without a byline;
// - "is this element empty" read `textContent` too, where the first non-blank text node answers;
// - the visibility check built a style object for every element, where an element without
//   attributes can be neither styled, `hidden` nor `aria-hidden`;
// - the style cleaner called removeAttribute twelve times on every element, attributes or not.
//
// With `textOnly`, the reader also leaves links and image sources as they are instead of making
// them absolute: that pass changes attributes only, and a caller reading text never sees them.
import { Readability } from '@mozilla/readability';

type BylineCheck = (this: unknown, node: Element, matchString: string) => boolean;
type NodeCheck = (this: unknown, node: Element) => boolean;
type NodeStep = (this: unknown, node: Element) => void;

interface Internals {
  _isValidByline?: BylineCheck;
  _isElementWithoutContent?: NodeCheck;
  _isProbablyVisible?: NodeCheck;
  _cleanStyles?: NodeStep;
  _fixRelativeUris?: NodeStep;
  REGEXPS?: { byline?: unknown };
}

const internals = Readability.prototype as unknown as Internals;
const originalBylineCheck = internals._isValidByline;
const bylinePattern = internals.REGEXPS?.byline instanceof RegExp ? internals.REGEXPS.byline : undefined;
const originalIsEmpty = internals._isElementWithoutContent;
const originalIsVisible = internals._isProbablyVisible;
const originalCleanStyles = internals._cleanStyles;

/** True when Readability has the internals the fast checks stand in for (tests watch this on upgrades). */
export const fastBylineCheck = typeof originalBylineCheck === 'function' && bylinePattern !== undefined && !bylinePattern.global;
export const fastNodeChecks =
  typeof originalIsEmpty === 'function' &&
  typeof originalIsVisible === 'function' &&
  typeof originalCleanStyles === 'function' &&
  typeof internals._fixRelativeUris === 'function';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
/** `trim()` removes exactly what `\s` matches, so a text with a non-`\s` character trims to something. */
const nonBlank = /\S/;

/** Whether `textContent.trim()` of `node` would be non-empty, without building the text. */
function hasText(node: Node): boolean {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const type = child.nodeType;
    if (type === TEXT_NODE || type === CDATA_SECTION_NODE) {
      if (nonBlank.test((child as CharacterData).data)) return true;
    } else if (type === ELEMENT_NODE && hasText(child)) return true;
  }
  return false;
}

export interface ArticleReaderOptions<T> {
  serializer?: (node: Node) => T;
  keepClasses?: boolean;
  charThreshold?: number;
  /** The caller reads the article's text only: skip the pass that only rewrites URLs. */
  textOnly?: boolean;
}

export class ArticleReader<T = string> extends Readability<T> {
  private readonly textOnly: boolean;

  constructor(doc: Document, options: ArticleReaderOptions<T> = {}) {
    const { textOnly, ...rest } = options;
    super(doc, rest);
    this.textOnly = textOnly === true;
  }

  /** Readability's own check, after the tests that need no text: a node none of them pick is never a byline. */
  _isValidByline(node: Element, matchString: string): boolean {
    if (!originalBylineCheck) return false;
    if (fastBylineCheck) {
      const rel = node.getAttribute('rel');
      const itemprop = node.getAttribute('itemprop');
      if (rel !== 'author' && !itemprop?.includes('author') && !bylinePattern!.test(matchString)) return false;
    }
    return originalBylineCheck.call(this, node, matchString);
  }

  /** Readability's test, with the text condition answered by the first non-blank text node. */
  _isElementWithoutContent(node: Element): boolean {
    if (!fastNodeChecks) return originalIsEmpty!.call(this, node);
    if (node.nodeType !== ELEMENT_NODE || hasText(node)) return false;
    const children = node.children.length;
    return !children || children === node.getElementsByTagName('br').length + node.getElementsByTagName('hr').length;
  }

  /** Without attributes an element has no inline style, `hidden` or `aria-hidden`: visible. */
  _isProbablyVisible(node: Element): boolean {
    if (fastNodeChecks && !node.hasAttributes()) return true;
    return originalIsVisible!.call(this, node);
  }

  /** Readability's cleaner, except that elements without attributes go straight to their children. */
  _cleanStyles(e: Element): void {
    if (fastNodeChecks && e && !e.hasAttributes() && e.tagName.toLowerCase() !== 'svg') {
      for (let child = e.firstElementChild; child; child = child.nextElementSibling) this._cleanStyles(child);
      return;
    }
    originalCleanStyles!.call(this, e);
  }

  _fixRelativeUris(articleContent: Element): void {
    if (this.textOnly && fastNodeChecks) return;
    internals._fixRelativeUris!.call(this, articleContent);
  }
}
