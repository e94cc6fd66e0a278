// Wikipedia articles (any language edition, and other MediaWiki sites with the same markup):
// the article body without reference lists, citation marks, navigation boxes, edit links or the
// table of contents, and without the sections that only list sources and links.
import { clean, textOf, type SiteReading } from './thread';

const noise = [
  'sup.reference', '.mw-editsection', '.navbox', '.navbox-styles', '.vertical-navbox', '.reflist', '.references',
  '.mw-references-wrap', '#toc', '.toc', '.catlinks', '.metadata', '.ambox', '.noprint', '.sistersitebox',
  '.authority-control', '.mw-empty-elt', '.printfooter', '.hatnote', 'style', 'link', '.mw-cite-backlink',
].join(', ');

/** Section ids of sources and links (English and a few large editions); a section holding a reference list goes too. */
const sourceSections = /^(references|notes|notes_and_references|citations|footnotes|sources|bibliography|works_cited|external_links|further_reading|einzelnachweise|weblinks|literatur|références|notes_et_références|liens_externes|referencias|enlaces_externos|note|collegamenti_esterni|bibliografia)$/i;

function headingOf(el: Element): Element | null {
  if (/^h2$/.test(el.localName)) return el;
  if (el.classList.contains('mw-heading2')) return el.querySelector('h2');
  return null;
}

export function readWikipedia(doc: Document): SiteReading | null {
  const content = doc.querySelector('#mw-content-text .mw-parser-output') ?? doc.querySelector('#mw-content-text');
  if (!content) return null;
  const body = content.cloneNode(true) as Element;
  // Whole source sections first (their lists are what the noise selectors would leave behind).
  let dropping = false;
  for (const el of Array.from(body.children)) {
    const heading = headingOf(el);
    if (heading) {
      const id = heading.id || heading.querySelector('.mw-headline')?.id || '';
      const next = el.nextElementSibling;
      dropping = sourceSections.test(id) || sourceSections.test((clean(heading.textContent) ?? '').replace(/ /g, '_')) || !!next?.matches('.reflist, .references, .mw-references-wrap');
    }
    if (dropping) el.remove();
  }
  for (const el of Array.from(body.querySelectorAll(noise))) el.remove();
  const title = clean(doc.querySelector('#firstHeading')?.textContent) ?? clean(doc.title?.replace(/ [-–—] Wikipedia$/, '')) ?? '';
  return { title, text: [`# ${title}`, textOf(body)].join('\n\n'), siteName: 'Wikipedia' };
}
