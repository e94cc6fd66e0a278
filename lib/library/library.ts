// The library: every finished summary and every chat, newest first, found by word, kind and site.
// Queries go through the indexes of `search-fields.ts`; only candidate rows are read.
import type { PrecisDb } from '../db';
import type { Conversation } from '../chat/conversation';
import type { JobRecord } from '../jobs/runner';
import { chatItem, parseEntryId, summaryItem, toEntry, type LibraryEntry, type LibraryItem, type LibraryKind } from './entry';
import { markdownFileName, toMarkdown, toMarkdownCollection } from './markdown';
import { withoutSearchFields, type SearchFields } from './search-fields';
import { matchesTerms, queryTerms } from './words';

export interface LibraryQuery {
  /** Words of the title, URL or text; the last one may be unfinished (results as you type). */
  text?: string;
  kind?: LibraryKind;
  site?: string;
}

export interface LibraryListing {
  entries: LibraryEntry[];
  /** Every site in the library, for the filter (not only those of these results). */
  sites: string[];
  /** More entries matched than `entries` holds. */
  truncated: boolean;
}

export interface MarkdownFile {
  fileName: string;
  markdown: string;
}

/** A page of results: enough to scroll through, bounded so a large library stays quick. */
export const listLimit = 200;

type JobRow = JobRecord & SearchFields;
type ConversationRow = Conversation & SearchFields;

const itemOfJob = (row: JobRow) => summaryItem(withoutSearchFields(row));
const itemOfConversation = (row: ConversationRow) => chatItem(withoutSearchFields(row));

const newestFirst = (a: LibraryItem, b: LibraryItem) => b.at - a.at;

export function createLibrary(db: PrecisDb, opts: { limit?: number } = {}) {
  const limit = opts.limit ?? listLimit;
  const tables = { summary: db.jobs, chat: db.conversations } as const;

  /** The rows of one kind that may match, read through the most selective index the query allows. */
  async function candidates(kind: LibraryKind, query: LibraryQuery, terms: string[]): Promise<LibraryItem[]> {
    const table = tables[kind];
    const toItem = kind === 'summary' ? itemOfJob : itemOfConversation;
    let rows: (JobRow | ConversationRow)[];
    if (terms.length > 0) {
      // The longest term is usually the rarest: the index answers it, the others are checked on its rows.
      const lead = terms.reduce((a, b) => (b.length > a.length ? b : a));
      rows = await table.where('words').startsWith(lead).distinct().toArray();
    } else if (query.site) {
      rows = await table.where('site').equals(query.site).toArray();
    } else {
      // One more than the page: whether there is more.
      rows = await table.orderBy('listedAt').reverse().limit(limit + 1).toArray();
    }
    return rows
      .filter((row) => row.listedAt !== undefined && (!query.site || row.site === query.site) && matchesTerms(row.words ?? [], terms))
      .map((row) => toItem(row as JobRow & ConversationRow));
  }

  async function sites(): Promise<string[]> {
    const [a, b] = await Promise.all([db.jobs.orderBy('site').uniqueKeys(), db.conversations.orderBy('site').uniqueKeys()]);
    return [...new Set([...a, ...b].map(String))].sort();
  }

  async function items(query: LibraryQuery): Promise<LibraryItem[]> {
    const terms = queryTerms(query.text ?? '');
    const kinds: LibraryKind[] = query.kind ? [query.kind] : ['summary', 'chat'];
    const found = await Promise.all(kinds.map((kind) => candidates(kind, query, terms)));
    return found.flat().sort(newestFirst);
  }

  async function item(id: string): Promise<LibraryItem | undefined> {
    const parsed = parseEntryId(id);
    if (!parsed) return undefined;
    if (parsed.kind === 'summary') {
      const row = await db.jobs.get(parsed.recordId);
      return row?.listedAt !== undefined ? itemOfJob(row) : undefined;
    }
    const row = await db.conversations.get(parsed.recordId);
    return row?.listedAt !== undefined ? itemOfConversation(row) : undefined;
  }

  async function everything(): Promise<LibraryItem[]> {
    const [jobs, conversations] = await Promise.all([
      db.jobs.where('listedAt').above(-Infinity).toArray(),
      db.conversations.where('listedAt').above(-Infinity).toArray(),
    ]);
    return [...jobs.map(itemOfJob), ...conversations.map(itemOfConversation)].sort(newestFirst);
  }

  return {
    async list(query: LibraryQuery = {}): Promise<LibraryListing> {
      const [found, allSites] = await Promise.all([items(query), sites()]);
      return { entries: found.slice(0, limit).map(toEntry), sites: allSites, truncated: found.length > limit };
    },

    get: item,

    /** Deletes the summary or the conversation itself: nothing else lists it. */
    async remove(id: string): Promise<void> {
      const parsed = parseEntryId(id);
      if (parsed?.kind === 'summary') await db.jobs.delete(parsed.recordId);
      else if (parsed?.kind === 'chat') await db.conversations.delete(parsed.recordId);
    },

    /** One entry as a Markdown file, or (no id) the whole library in one file. */
    async markdown(id?: string): Promise<MarkdownFile | undefined> {
      if (id === undefined) return { fileName: 'precis-library.md', markdown: toMarkdownCollection(await everything()) };
      const found = await item(id);
      return found && { fileName: markdownFileName(found.title), markdown: toMarkdown(found) };
    },
  };
}

export type Library = ReturnType<typeof createLibrary>;
