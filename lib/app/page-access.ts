// Reaching into a tab: the content scripts we inject on demand (activeTab + scripting), the page
// text the reader extracts, and the sidebar (or side panel) the background shows.
import { pageKey } from '../chat/conversation';

/**
 * The page a summary stays shown for: the same address at another fragment (#section, or the
 * #page=N a PDF's page citation opened) is the same page; a hash route (#/mail/2, #!/item) of a
 * single-page app is another.
 */
export function shownPage(url: string): string {
  const hash = url.indexOf('#');
  return hash >= 0 && /^#[/!]/.test(url.slice(hash)) ? url : pageKey(url);
}
import { appErrors, type ErrorView } from '../errors';
import { z } from 'zod';
import { pageContent, type PageContent } from '../extract/page-content';
import type { KeyValueArea, TabRef, Tabs } from './ports';
import type { ContentScriptName } from './tab-protocol';

/** Browsers keep extensions out of everything but web pages (built-in pages, stores, the PDF viewer's own URL). */
export function canRunOn(url: string | undefined): boolean {
  return !!url && /^https?:\/\//.test(url);
}

export type SidebarContent = { jobId: string } | { error: ErrorView };

type ReachableTab = TabRef & { id: number };
export interface VideoRequest {
  videoDescription?: boolean;
  languages?: string[];
}
const readerReply = z.union([z.object({ unreadable: z.enum(['no_transcript', 'video_unavailable']) }), pageContent]);
const reachable = (tab: TabRef | undefined): tab is ReachableTab => tab?.id !== undefined && canRunOn(tab.url);

/** Where the sidebar's frame finds what its tab's sidebar shows: it asks; nothing from the page tells it. */
export const shownKey = (tabId: number) => `sidebar:${tabId}`;

export function createPageAccess(tabs: Tabs, session: KeyValueArea) {
  /**
   * Injects a content script unless it is already there. Injecting again would start a second
   * instance, and WXT retires the first one's UI when that happens: an open sidebar would vanish.
   * Returns false where the browser does not let extensions in.
   */
  async function ensureScript(tab: TabRef | undefined, script: ContentScriptName): Promise<boolean> {
    if (!reachable(tab)) return false;
    const present = await tabs.send(tab.id, { type: 'ping', script }).then(
      (answer) => answer === true,
      () => false,
    );
    if (present) return true;
    return tabs.inject(tab.id, script).then(
      () => true,
      () => false,
    );
  }

  return {

    /**
     * The page in `tab` as the reader extracts it (on a video page, its transcript; `video` says in
     * which languages first, or asks for the description); undefined where the browser keeps us out.
     */
    async read(tab: TabRef | undefined, useSelection: boolean, video: VideoRequest = {}): Promise<PageContent | undefined> {
      if (!reachable(tab) || !(await ensureScript(tab, 'reader'))) return undefined;
      const reply = readerReply.parse(await tabs.send(tab.id, { type: 'page.extract', useSelection, ...video }));
      if ('unreadable' in reply) throw reply.unreadable === 'no_transcript' ? appErrors.noTranscript() : appErrors.videoUnavailable();
      return reply;
    },

    /** Seeks the video in `tab` (a time in its summary was clicked); false when it has none. */
    async seek(tab: ReachableTab, seconds: number): Promise<boolean> {
      return (await tabs.send(tab.id, { type: 'video.seek', seconds }).catch(() => false)) === true;
    },

    /** Shows the sidebar with a job (or an error), bringing in its UI first if the tab lacks it. */
    async showSidebar(tab: TabRef, content: SidebarContent): Promise<void> {
      if (!reachable(tab)) return;
      await session.set(shownKey(tab.id), { ...content, url: tab.url });
      if (!(await ensureScript(tab, 'sidebar'))) return;
      await tabs.send(tab.id, { type: 'sidebar.show' });
    },

    /**
     * Shows a job (or an error) in the side panel for `tab`: the panel follows the active tab and
     * asks what its tab shows, like the sidebar's frame; storing it is all there is to do.
     */
    async showInPanel(tab: TabRef & { id: number }, content: SidebarContent): Promise<void> {
      await session.set(shownKey(tab.id), { ...content, url: tab.url });
    },

    /** What the sidebar in `tab` shows, while the tab still shows the page it was shown for. */
    async shownIn(tab: TabRef & { id: number }): Promise<SidebarContent | undefined> {
      const shown = (await session.get(shownKey(tab.id))) as (SidebarContent & { url?: string }) | undefined;
      if (!shown || !shown.url || !tab.url || shownPage(shown.url) !== shownPage(tab.url)) return undefined;
      const { url: _, ...content } = shown;
      return content;
    },
  };
}

export type PageAccess = ReturnType<typeof createPageAccess>;
