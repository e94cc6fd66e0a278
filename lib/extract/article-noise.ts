// What rides along inside an article but is not its text: image captions and photo credits
// ("The Beacon at night. Credit: Getty"). Summaries gain nothing from them, and on the
// article-extraction corpus they were a fifth of the text sent that no article holds
// (bench/article-extraction.bench.ts). Alt text is already left out; a figure's own content (an
// embedded quote, a table, code) stays: only its caption goes.

/** Class or id words of caption and credit boxes: `wp-caption-text`, `image-credit`, `photo_caption`. */
const captionWord = /(?:^|[\s_-])(?:caption|captions|credit|credits|photo-?credit)(?:$|[\s_-])/i;

/** A caption is short; a longer box with such a class is a wrapper holding more than one. */
const maxCaptionChars = 400;

/**
 * Boxes inside an article that point away from it or sell something: galleries' captions and
 * counters ("Image 1 of 9"), related-story boxes, newsletter and sharing prompts. Readability keeps
 * them when they sit among the article's paragraphs.
 */
const asideWord = /(?:^|[\s_-])(?:gallery|slideshow|carousel|related|newsletter|signup|sign-up|subscribe|subscription|promo|share|sharing|social)(?:$|[\s_-])/i;
const maxAsideChars = 1500;

/** Caption, credit, gallery, related-story and prompt boxes inside `article`, to leave out. */
export function captionsIn(article: Element): Set<Element> {
  const out = new Set<Element>();
  for (const el of Array.from(article.querySelectorAll('[class], [id]'))) {
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (!asideWord.test(names) || out.has(el.parentElement!)) continue;
    if ((el.textContent ?? '').length <= maxAsideChars && !el.querySelector('p + p + p')) out.add(el);
  }
  for (const el of Array.from(article.querySelectorAll('figcaption, [class*="caption" i], [class*="credit" i], [id*="caption" i]'))) {
    if (el.localName === 'figcaption') {
      out.add(el);
      continue;
    }
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (!captionWord.test(names)) continue;
    // A wrapper around the image and its caption (`wp-caption`) goes whole only when it holds no paragraph of prose.
    if ((el.textContent ?? '').length > maxCaptionChars || el.querySelector('p p, blockquote, pre, table, ul, ol')) continue;
    out.add(el);
  }
  return out;
}
