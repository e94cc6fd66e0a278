// Where a summary is shown: the sidebar in the page, or the browser's side panel. Decided from
// what is known at once (the tab's address and the last preferences read), because the side panel
// may only be opened synchronously inside the user's gesture (menu click, shortcut, popup button).
import { isPdfUrl } from '../pdf/document';
import type { Preferences } from '../preferences';
import { canRunOn } from './page-access';

export type Surface = 'sidebar' | 'panel';

/** The side panel's page (the manifest's default_path), which a tab's panel is set to show. */
export const sidePanelPage = 'sidepanel.html';

/** PDFs and pages no content script may enter get the side panel; other pages, the user's choice. */
export function surfaceFor(url: string | undefined, opensIn: Preferences['summariseOpensIn']): Surface {
  if (isPdfUrl(url) || !canRunOn(url)) return 'panel';
  return opensIn === 'sidepanel' ? 'panel' : 'sidebar';
}
