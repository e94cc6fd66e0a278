// What a content script may name. A sidebar acts for the page in its own tab: knowing an id is not
// a right (assume the page owns the renderer and can send anything our content script can).
// Summaries belong to the tab they were made in; a follow-up thread belongs to its page, because it
// is shown again wherever that page's summary is (a reload, another tab on the same page).
import { pageKey, type Conversation } from '../chat/conversation';
import type { JobRecord } from '../jobs/runner';
import type { TabRef } from './ports';

/** A content script's tab, as the browser names it (never as the message does). */
export type SenderTab = TabRef & { id: number };

/** The page key of the tab's document; undefined for a tab the browser gave no URL. */
const pageOf = (tab: SenderTab) => (tab.url ? pageKey(tab.url) : undefined);

export function ownsConversation(conversation: Pick<Conversation, 'followUpOf'>, tab: SenderTab): boolean {
  const page = pageOf(tab);
  return page !== undefined && conversation.followUpOf === page;
}

/** A summary started in this tab, or an answer in a follow-up thread of this tab's page. */
export function ownsJob(record: Pick<JobRecord, 'source'> | undefined, tab: SenderTab): boolean {
  const source = record?.source;
  if (source?.kind === 'page') return source.tabId === tab.id;
  if (source?.kind === 'conversation') return source.followUpOf !== undefined && ownsConversation(source, tab);
  return false;
}

/** A summary job of this tab: what a follow-up thread may start from. */
export const ownsSummary = (record: Pick<JobRecord, 'source' | 'kind'> | undefined, tab: SenderTab): boolean =>
  record?.kind === 'summary' && ownsJob(record, tab);
