// Which nodes a reader never sees, and which are page furniture rather than content. Checks work on
// any DOM: inline signals first (all a detached clone or linkedom has), computed style when the
// document has a window (the live page in the content script).

const hiddenStyle = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!important\s*)?(?:;|$)/i;

export type HiddenCheck = (el: Element) => boolean;

/** Hidden by markup alone: the `hidden` attribute, `aria-hidden`, or an inline `display: none`. */
export function hiddenByMarkup(el: Element): boolean {
  // Most elements of a page have no attributes at all: one call answers for them.
  if (!el.hasAttributes()) return false;
  if (el.hasAttribute('hidden')) return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  return style !== null && hiddenStyle.test(style);
}

/**
 * The best check the document allows. On a live page stylesheets hide things too (`.sr-only`,
 * collapsed menus), which only computed style can see; it is feature-detected because linkedom and
 * detached clones have no `defaultView`.
 */
export function hiddenCheckFor(doc: Document): HiddenCheck {
  const view = doc.defaultView as (Window & typeof globalThis) | null | undefined;
  const computed = typeof view?.getComputedStyle === 'function' ? view.getComputedStyle.bind(view) : undefined;
  if (!computed) return hiddenByMarkup;
  return (el) => {
    if (hiddenByMarkup(el)) return true;
    const style = computed(el);
    return style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse';
  };
}

/** Elements whose text is never page content (`math` is, read its own way: see dom-text.ts). */
export const skippedTags = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'meta', 'link', 'title', 'svg', 'canvas',
  'iframe', 'object', 'embed', 'video', 'audio', 'img', 'picture', 'source', 'track', 'map',
  'button', 'input', 'select', 'option', 'optgroup', 'textarea', 'datalist', 'output', 'progress', 'meter',
  'dialog',
]);

const furnitureRoles = new Set([
  'navigation', 'banner', 'contentinfo', 'complementary', 'search', 'menu', 'menubar', 'toolbar',
  'dialog', 'alertdialog', 'tablist',
]);

/** `header`/`footer` are landmarks only outside sectioning content (HTML's banner/contentinfo rule). */
const sectioning = 'article, aside, main, nav, section, [role="main"], [role="article"]';

/** Class or id words of consent banners and the like, at the start of a word (`cc-cookie-bar`). */
const consentWords = ['cookie', 'consent', 'gdpr', 'cc-banner', 'newsletter-signup', 'skip-link'];
/**
 * Whole class or id tokens of furniture without a landmark element or role: trails, page links and
 * copyright lines (Readability drops most of these as unlikely candidates too). Not `signature`,
 * which ends forum posts but also names function signatures in API docs.
 */
const furnitureWords = ['breadcrumbs?', 'navbar', 'pagination', 'pager', 'pagenav', 'copyright'];
const consentish = new RegExp(`(?:^|[\\s_-])(?:${consentWords.join('|')})`, 'i');
const furnitureToken = new RegExp(`(?:^|\\s)(?:${furnitureWords.join('|')})(?:\\s|$)`, 'i');
/** Any class or id that `isPageFurniture` accepts contains one of these (scans test it first). */
export const furnitureMarker = new RegExp([...consentWords, ...furnitureWords].join('|'), 'i');

/** Elements `isPageFurniture` may accept by name alone; any other it accepts has a role, or a class or id matching `furnitureMarker`. */
export const furnitureTags = new Set(['nav', 'aside', 'header', 'footer']);

/**
 * Site navigation, banners, sidebars, cookie notices: what the fallback extractor drops when it
 * reads a whole page because Readability found no article.
 */
export function isPageFurniture(el: Element): boolean {
  const tag = el.localName;
  if (!el.hasAttributes()) return tag === 'nav' || tag === 'aside' || ((tag === 'header' || tag === 'footer') && isLandmark(el));
  return isFurnitureWith(el, el.getAttribute('role'), el.getAttribute('id'), el.getAttribute('class'));
}

function isLandmark(el: Element): boolean {
  return !el.parentElement?.closest(sectioning);
}

/** `isPageFurniture` with the attributes already read (scans that test several rules read them once). */
export function isFurnitureWith(el: Element, role: string | null, id: string | null, cls: string | null): boolean {
  const tag = el.localName;
  if (tag === 'nav' || tag === 'aside') return true;
  if ((tag === 'header' || tag === 'footer') && isLandmark(el)) return true;
  if (role && furnitureRoles.has(role)) return true;
  return (
    (id !== null && (consentish.test(id) || furnitureToken.test(id))) ||
    (cls !== null && (consentish.test(cls) || furnitureToken.test(cls)))
  );
}

/**
 * A list that is nearly all links with short items is a menu, whatever element wraps it. Only the
 * fallback uses this, and only when the page has no `main` to narrow it down.
 */
export function isLinkMenu(list: Element): boolean {
  const items = list.children.length;
  if (items < 3) return false;
  const text = (list.textContent ?? '').replace(/\s+/g, '');
  if (!text) return false;
  if (text.length / items > 80) return false;
  let linkChars = 0;
  for (const a of Array.from(list.querySelectorAll('a'))) linkChars += (a.textContent ?? '').replace(/\s+/g, '').length;
  return linkChars / text.length >= 0.9;
}
