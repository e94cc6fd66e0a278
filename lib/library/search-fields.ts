// The fields the library's queries use, stored on the records they describe (jobs and
// conversations), so deleting a record deletes its index entries with it. They are set only on
// records the library lists, which keeps the indexes sparse: IndexedDB leaves a record without the
// key out of the index. Stores add them on write and strip them on read, so views never see them.
import type { Conversation } from '../chat/conversation';
import type { JobRecord } from '../jobs/runner';
import { chatItem, isLibraryChat, isLibrarySummary, summaryItem, type LibraryItem } from './entry';
import { indexWords } from './words';

export interface SearchFields {
  /** Multi-entry index: the words of the title, URL and text (`indexWords`). */
  words?: string[];
  /** Index: the URL's host, for the site filter and the list of sites. */
  site?: string;
  /** Index: the entry's time (`LibraryEntry.at`), for "newest first" without reading the rest. */
  listedAt?: number;
}

function fieldsOf(item: LibraryItem): SearchFields {
  return { words: indexWords(item.title, item.url ?? item.file, item.body), listedAt: item.at, ...(item.site && { site: item.site }) };
}

export const jobSearchFields = (job: JobRecord): SearchFields | undefined => (isLibrarySummary(job) ? fieldsOf(summaryItem(job)) : undefined);

export const conversationSearchFields = (c: Conversation): SearchFields | undefined => (isLibraryChat(c) ? fieldsOf(chatItem(c)) : undefined);

export function withoutSearchFields<T extends object>(row: T & SearchFields): T {
  const { words: _w, site: _s, listedAt: _l, ...plain } = row;
  return plain as T;
}

/** The row to store: the record without stale fields, plus the current ones if the library lists it. */
export function withSearchFields<T extends object>(record: T & SearchFields, fields: (plain: T) => SearchFields | undefined): T & SearchFields {
  const plain = withoutSearchFields(record);
  return { ...plain, ...fields(plain) };
}
