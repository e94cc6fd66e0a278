// What the library lists: one entry per finished summary (a job) and per conversation. Both are
// read from the records the rest of the app already keeps, so records stored before the library
// existed show up too; anything a record may lack (URL, model) is optional.
import { withoutCitations } from '../jobs/citations';
import type { Conversation, Turn } from '../chat/conversation';
import type { JobRecord } from '../jobs/runner';

export type LibraryKind = 'summary' | 'chat';

export interface LibraryEntry {
  /** `summary:<job id>` or `chat:<conversation id>`. */
  id: string;
  kind: LibraryKind;
  title: string;
  url?: string;
  /** A PDF picked on this computer: its file name, in place of an address (its blob: URL is gone). */
  file?: string;
  /** The URL's host name: what the site filter offers. */
  site?: string;
  /** When it was written (summary) or last continued (chat), epoch ms: the list's order. */
  at: number;
  model?: string;
  /** The start of the text, on one line. */
  preview: string;
}

/** An entry with everything needed to read it in full. */
export interface LibraryItem extends LibraryEntry {
  /** The summary, or the conversation as questions and answers, in Markdown. */
  body: string;
}

export function entryId(kind: LibraryKind, recordId: string): string {
  return `${kind}:${recordId}`;
}

export function parseEntryId(id: string): { kind: LibraryKind; recordId: string } | undefined {
  const colon = id.indexOf(':');
  const kind = id.slice(0, colon);
  if (colon < 1 || (kind !== 'summary' && kind !== 'chat')) return undefined;
  return { kind, recordId: id.slice(colon + 1) };
}

export function siteOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

const previewLength = 160;
/** The start of the text as plain words: Markdown's marks (emphasis, headings, list bullets) left out. */
function previewOf(text: string): string {
  const line = text
    .replace(/^\s*(?:[-+*]|\d+\.|#{1,6}|>)\s+/gm, '')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > previewLength ? `${line.slice(0, previewLength - 1)}…` : line;
}

/** A summary job belongs in the library once it has an answer to keep. */
export function isLibrarySummary(job: JobRecord): boolean {
  return job.kind === 'summary' && job.status === 'done' && job.text.trim() !== '';
}

/**
 * The name of the picked file a summary was made of. Its blob: URL lived only as long as the side
 * panel that made it, so a link would be dead; records from before `file` was kept have the name as
 * their title.
 */
function pickedFile(job: JobRecord): string | undefined {
  const source = job.source?.kind === 'page' ? job.source : undefined;
  if (!source) return undefined;
  return source.file ?? (source.url.startsWith('blob:') ? job.title || 'PDF' : undefined);
}

export function summaryItem(job: JobRecord): LibraryItem {
  const file = pickedFile(job);
  const url = job.source?.kind === 'page' && !file ? job.source.url : undefined;
  return {
    id: entryId('summary', job.id),
    kind: 'summary',
    title: job.title || file || url || '',
    ...(url && { url }),
    ...(file && { file }),
    ...(siteOf(url) && { site: siteOf(url) }),
    at: job.createdAt,
    ...(job.usage?.model && { model: job.usage.model }),
    preview: previewOf(job.text),
    body: withoutCitations(job.text).trim(),
  };
}

/** The turns the user saw; hidden context turns (the summary a follow-up starts from) are not part of the chat. */
const visibleTurns = (c: Conversation) => c.turns.filter((turn) => !turn.context && turn.content.trim() !== '');

const lastModel = (turns: Turn[]) => turns.findLast((turn) => turn.usage?.model)?.usage?.model;

export function isLibraryChat(c: Conversation): boolean {
  return visibleTurns(c).length > 0;
}

/** Chat turns as Markdown: a heading per speaker, so the export reads as a transcript. */
export function chatItem(c: Conversation, labels = { user: 'You', assistant: 'Precis' }): LibraryItem {
  const url = c.page?.url;
  const turns = visibleTurns(c);
  return {
    id: entryId('chat', c.id),
    kind: 'chat',
    title: c.title || c.page?.title || url || '',
    ...(url && { url }),
    ...(siteOf(url) && { site: siteOf(url) }),
    at: c.updatedAt,
    // The model that wrote the latest answer; older records only know a conversation's own choice.
    ...((lastModel(turns) ?? c.model) && { model: lastModel(turns) ?? c.model }),
    preview: previewOf(turns.find((turn) => turn.role === 'assistant')?.content ?? turns[0]?.content ?? ''),
    body: turns.map((turn) => `## ${labels[turn.role]}\n\n${withoutCitations(turn.content).trim()}`).join('\n\n'),
  };
}

export function toEntry(item: LibraryItem): LibraryEntry {
  const { body: _body, ...entry } = item;
  return entry;
}
