// The one highlight citations paint in the page (CSS Custom Highlight API): shown by the page reader,
// cleared by it and by the sidebar, whose closing must not leave a passage painted with nothing to say why.
export const citationHighlight = 'precis-citation';

export function clearCitationHighlight(): void {
  if (typeof CSS !== 'undefined' && 'highlights' in CSS) CSS.highlights.delete(citationHighlight);
}
