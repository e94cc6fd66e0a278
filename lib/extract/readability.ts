// Readability with a cheaper byline check. Readability 0.6 decides whether a node is the byline by
// reading `node.textContent` first and its class, id, rel and itemprop second, for every node it
// walks until it finds one. On a page without a byline (forums, docs, most blogs) that is the text
// of every subtree, size × depth: about a tenth of Readability's time on a 1 MB forum thread
// (bench/extract-browser.bench.ts). Testing the cheap conditions first gives the same answers.
import { Readability } from '@mozilla/readability';

type BylineCheck = (this: unknown, node: Element, matchString: string) => boolean;

const readabilityInternals = Readability.prototype as unknown as { _isValidByline?: BylineCheck; REGEXPS?: { byline?: unknown } };
const originalCheck = readabilityInternals._isValidByline;
const bylinePattern = readabilityInternals.REGEXPS?.byline instanceof RegExp ? readabilityInternals.REGEXPS.byline : undefined;

/** True when Readability has the internals the fast check stands in for (tests watch this on upgrades). */
export const fastBylineCheck = typeof originalCheck === 'function' && bylinePattern !== undefined && !bylinePattern.global;

export class ArticleReader<T = string> extends Readability<T> {
  /** Readability's own check, after the tests that need no text: a node none of them pick is never a byline. */
  _isValidByline(node: Element, matchString: string): boolean {
    if (!originalCheck) return false;
    if (fastBylineCheck) {
      const rel = node.getAttribute('rel');
      const itemprop = node.getAttribute('itemprop');
      if (rel !== 'author' && !itemprop?.includes('author') && !bylinePattern!.test(matchString)) return false;
    }
    return originalCheck.call(this, node, matchString);
  }
}
