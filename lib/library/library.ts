// The library: every finished summary and every chat, newest first, found by word, kind and site.
// Queries go through the indexes of `search-fields.ts`; only candidate rows are read.
import type { Table } from 'dexie';
import type { PrecisDb } from '../db';
import type { Conversation } from '../chat/conversation';
import type { JobRecord } from '../jobs/runner';
import { chatItem, parseEntryId, summaryItem, toEntry, type LibraryEntry, type LibraryItem, type LibraryKind } from './entry';
import { markdownFileName, toMarkdown, toMarkdownCollection } from './markdown';
import { withoutSearchFields, type SearchFields } from './search-fields';
import { matchesTerms, queryTerms, selectiveTerm } from './words';

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

/**
 * A summary shown again from the cache (or asked for again with the same answer) is one entry, not
 * one per showing: same page, same text. Chats are each their own.
 */
const summaryKey = (i: LibraryItem) => (i.kind === 'summary' ? `${i.url ?? i.file ?? ''}\n${i.body}` : undefined);

/** The newest of each set of same summaries; `items` is newest first. */
function once(items: LibraryItem[]): LibraryItem[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = summaryKey(i);
    return key === undefined || (!seen.has(key) && !!seen.add(key));
  });
}

export function createLibrary(db: PrecisDb, opts: { limit?: number } = {}) {
  const limit = opts.limit ?? listLimit;
  const tables = { summary: db.jobs, chat: db.conversations } as const;

  /** The rows of one kind that may match, read through the most selective index the query allows. */
  async function candidates(kind: LibraryKind, query: LibraryQuery, terms: string[]): Promise<LibraryItem[]> {
    // Both tables hold rows with the same search fields; Dexie's types cannot call a union's methods.
    const table = tables[kind] as unknown as Table<JobRow | ConversationRow, string>;
    const toItem = kind === 'summary' ? itemOfJob : itemOfConversation;
    let rows: (JobRow | ConversationRow)[];
    // The longest term is usually the rarest: the index answers it, the others are checked on its rows.
    const lead = terms.reduce<string | undefined>((a, b) => (a === undefined || b.length > a.length ? b : a), undefined);
    if (lead !== undefined && !selectiveTerm(lead)) {
      // Most records match: newest first, checked one by one, until a page of them does.
      const matches = (row: JobRow | ConversationRow) => (!query.site || row.site === query.site) && matchesTerms(row.words ?? [], terms);
      rows = await table.orderBy('listedAt').reverse().filter(matches).limit(limit + 1).toArray();
    } else if (lead !== undefined) {
      // Keys only: a record matches once per word with the prefix, and reading its row each time
      // would read it dozens of times.
      const keys = new Set(await table.where('words').startsWith(lead).primaryKeys());
      rows = (await table.bulkGet([...keys])).filter((row) => row !== undefined);
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
    return once(found.flat().sort(newestFirst));
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
    return once([...jobs.map(itemOfJob), ...conversations.map(itemOfConversation)].sort(newestFirst));
  }

  return {
    async list(query: LibraryQuery = {}): Promise<LibraryListing> {
      const [found, allSites] = await Promise.all([items(query), sites()]);
      return { entries: found.slice(0, limit).map(toEntry), sites: allSites, truncated: found.length > limit };
    },

    get: item,

    /** Deletes the summary (with its repeats: they are the same entry) or the conversation itself: nothing else lists it. */
    async remove(id: string): Promise<void> {
      const parsed = parseEntryId(id);
      const shown = parsed?.kind === 'summary' ? await item(id) : undefined;
      if (shown) {
        const repeats = (await db.jobs.where('listedAt').above(-Infinity).toArray()).map(itemOfJob).filter((other) => summaryKey(other) === summaryKey(shown));
        await db.jobs.bulkDelete(repeats.map((r) => parseEntryId(r.id)!.recordId));
      } else if (parsed?.kind === 'summary') await db.jobs.delete(parsed.recordId);
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
